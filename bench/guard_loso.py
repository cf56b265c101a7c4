"""Leave-one-set-out: what the injection guard's calibration promises on a hand-written set it
was not calibrated on (task 14k).

The flag threshold is calibrated on the dev split (train.calibrate: composed dev texts and
the hand-written dev sets, corpus.DEV_SETS); every dev figure is therefore optimistic, and the
sets written later by independent evaluators have read 0.02-0.10 above the dev FPR target.
Here each hand-written dev set in turn is left out: the stack and the thresholds are fitted
on the rest of the dev split, the left-out set is scored with them, and its recall and FPR
are printed per set and pooled (every left-out set's texts counted together), for several
FLAG_FPR targets. The classifier's weights are the given model file's (trained on the train
split only; its C was picked on the whole dev split, a small optimism left in), and the
waves written from a set's errors by kind still help that set, unless ``--retrain 1``: then
a set a wave was written from (WAVE_OF) is scored by a model retrained without that wave.
Read the pooled figure as an upper bound on what an unseen set will read, closer than the dev
figure; with ``--retrain 1`` closer still.

``injection_fresh_v8`` is in no dev set (never calibrated on): it is scored with the
thresholds fitted on the whole dev split, as a check.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python -m bench.guard_loso [--model path] [--targets 0.01,0.02,0.03,0.04/0.03]
    .venv/bin/python -m bench.guard_loso --retrain 1   # also leave out each set's wave (minutes)
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.common import arguments
from portal_api.security.guard import classifier, injection
from portal_api.security.guard.classifier import FLAG_AT, Model
from portal_api.security.guard.normalize import normalize
from portal_api.security.guard.train import calibrate, train
from portal_api.security.guard.training.corpus import DEV_SETS, EXTRA_LINES, EXTRA_TRAINING, build

CHECK_SET = "injection_fresh_v8.jsonl"
# The wave written from each set's errors by kind (training/PROVENANCE.md).
WAVE_OF = {
    "injection_fresh_v5.jsonl": "wave4.jsonl",
    "injection_fresh_v6.jsonl": "wave5.jsonl",
    "injection_fresh_v7.jsonl": "wave6.jsonl",
    "injection_fresh_v9.jsonl": "wave7.jsonl",
    "injection_fresh_v10.jsonl": "wave8.jsonl",
    "injection_fresh_v11.jsonl": "wave9.jsonl",
}
GOAL = (0.80, 0.05)  # issue 14: recall >= 0.80 at FPR <= 0.05, on each unseen set


@dataclass(frozen=True)
class Row:
    rule: float
    probability: float
    label: int
    quoted: bool
    obfuscated: bool
    source: str  # the hand-written set's file name, or "" for a composed text


def _row(model: Model, text: str, label: int, source: str) -> Row:
    """The guard's inputs for ``text``, read as engine.Guard reads them."""
    norm = normalize(text)
    rule, hits, _ = injection.scan(norm)
    obfuscated = bool(norm.smuggled or norm.mixed_scripts or norm.invisible >= 3)
    obfuscated = obfuscated or any(h.rule.startswith("base64:") for h in hits)
    quoted = injection.quoted_only(norm, hits)
    return Row(rule, model.probability(text), label, quoted, obfuscated, source)


def _set_of() -> dict[str, str]:
    owner: dict[str, str] = {}
    for name in DEV_SETS:
        for line in (EXTRA_TRAINING / name).read_text(encoding="utf-8").splitlines():
            owner.setdefault(json.loads(line)["text"], name)
    return owner


def _read(model: Model, name: str) -> list[Row]:
    lines = (EXTRA_TRAINING / name).read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    return [_row(model, i["text"], int(i["label"] == "injection"), name) for i in items]


def _without(wave: str, owner: dict[str, str]) -> list[Row]:
    """The dev split's rows as a model trained without ``wave`` reads them."""
    waves = tuple(p for p in EXTRA_LINES if p.name != wave)
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
        path = Path(tmp) / "model.json.gz"
        train(path, waves)
        model = classifier.load(path)
    dev = [s for s in build(waves) if s.split == "dev"]
    return [_row(model, s.text, s.label, owner.get(s.text, "")) for s in dev]


def _fit(rows: Sequence[Row], target: str) -> Model:
    """Calibrated on ``rows`` at ``target``: "0.03" (both groups), or "0.04/0.03" (composed
    dev texts / hand-written dev sets, a rule per group)."""
    composed, _, hand = target.partition("/")
    scored = [(r.rule, r.probability, r.label, r.quoted) for r in rows]
    return calibrate(
        scored,
        [bool(r.source) for r in rows],
        flag_fpr=float(composed),
        hand_fpr=float(hand) if hand else None,
    )


def _caught(fitted: Model, row: Row) -> bool:
    score = fitted.combine(row.rule, row.probability, veto=not row.obfuscated, quoted=row.quoted)
    return score >= FLAG_AT


def _rates(hits: list[tuple[bool, int]]) -> tuple[int, int, int, int]:
    caught = sum(h for h, label in hits if label)
    flagged = sum(h for h, label in hits if not label)
    attacks = sum(1 for _, label in hits if label)
    return caught, attacks, flagged, len(hits) - attacks


def _fmt(caught: int, attacks: int, flagged: int, benign: int) -> str:
    return f"{caught / max(1, attacks):.3f} at {flagged / max(1, benign):.3f}"


def main() -> None:
    args = arguments(
        __doc__, model=str(classifier.MODEL_PATH), targets="0.01,0.02,0.03,0.04", retrain=0
    )
    model = classifier.load(Path(args.model))
    targets = args.targets.split(",")
    owner = _set_of()
    dev = [s for s in build() if s.split == "dev"]
    rows = [_row(model, s.text, s.label, owner.get(s.text, "")) for s in dev]
    # --retrain 1: a set whose errors a wave was written from is scored by a model trained
    # without that wave (its dev split composed without it too), calibrated without the set
    apart = {
        n: _without(w, owner) for n, w in WAVE_OF.items() if args.retrain and n in owner.values()
    }
    check = _read(model, CHECK_SET)
    names = [n for n in DEV_SETS if any(r.source == n for r in rows)]
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; model {args.model}")
    print(
        f"dev split: {len(rows)} texts, {sum(bool(r.source) for r in rows)} hand-written "
        f"in {len(names)} sets; recall at FPR of each left-out set, its thresholds fitted "
        "on the rest of the dev split"
    )
    header = f"{'left out':<26}" + "".join(f"{'FLAG_FPR ' + t:>24}" for t in targets)
    print(header)
    pooled: dict[str, list[tuple[bool, int]]] = {t: [] for t in targets}
    per_set: dict[str, list[str]] = {n: [] for n in names}
    met: dict[str, int] = dict.fromkeys(targets, 0)  # left-out sets meeting the goal
    for target in targets:
        for name in names:
            these = apart.get(name, rows)
            fitted = _fit([r for r in these if r.source != name], target)
            hits = [(_caught(fitted, r), r.label) for r in these if r.source == name]
            pooled[target] += hits
            caught, attacks, flagged, benign = _rates(hits)
            met[target] += caught >= GOAL[0] * attacks and flagged <= GOAL[1] * benign
            per_set[name].append(_fmt(*_rates(hits)) + f" ({fitted.flag_threshold:.3f})")
    for name in names:
        print(f"{name.removesuffix('.jsonl'):<26}" + "".join(f"{c:>24}" for c in per_set[name]))
    line = "".join(f"{_fmt(*_rates(pooled[t])):>24}" for t in targets)
    print(f"{'pooled, left out':<26}{line}")
    counts = "".join(f"{'{}/{}, {}/{}'.format(*_rates(pooled[t])):>24}" for t in targets)
    print(f"{'  (caught, flagged)':<26}{counts}")
    line = "".join(f"{f'{met[t]} of {len(names)}':>24}" for t in targets)
    print(f"{'sets meeting the goal':<26}{line}")
    whole = {t: _fit(rows, t) for t in targets}
    hand = [r for r in rows if r.source]
    line = "".join(
        f"{_fmt(*_rates([(_caught(whole[t], r), r.label) for r in hand])):>24}" for t in targets
    )
    print(f"{'pooled, calibrated on all':<26}{line}")
    line = "".join(
        f"{_fmt(*_rates([(_caught(whole[t], r), r.label) for r in check])):>24}" for t in targets
    )
    print(f"{CHECK_SET.removesuffix('.jsonl') + ' (no dev)':<26}{line}")
    line = "".join(f"{'flag ' + format(whole[t].flag_threshold, '.3f'):>24}" for t in targets)
    print(f"{'thresholds, all dev':<26}{line}")


if __name__ == "__main__":
    main()
