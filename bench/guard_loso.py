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
waves written from a set's errors by kind still help that set: read the pooled figure as an
upper bound on what an unseen set will read, closer than the dev figure.

``injection_fresh_v8`` is in no dev set (never calibrated on): it is scored with the
thresholds fitted on the whole dev split, as a check.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python -m bench.guard_loso [--model path] [--targets 0.01,0.02,0.03,0.04/0.03]
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.common import arguments
from portal_api.security.guard import classifier, injection
from portal_api.security.guard.classifier import FLAG_AT, Model
from portal_api.security.guard.normalize import normalize
from portal_api.security.guard.train import calibrate
from portal_api.security.guard.training.corpus import DEV_SETS, EXTRA_TRAINING, build

CHECK_SET = "injection_fresh_v8.jsonl"


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
    args = arguments(__doc__, model=str(classifier.MODEL_PATH), targets="0.01,0.02,0.03,0.04")
    model = classifier.load(Path(args.model))
    targets = args.targets.split(",")
    owner = _set_of()
    dev = [s for s in build() if s.split == "dev"]
    rows = [_row(model, s.text, s.label, owner.get(s.text, "")) for s in dev]
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
    for target in targets:
        for name in names:
            fitted = _fit([r for r in rows if r.source != name], target)
            hits = [(_caught(fitted, r), r.label) for r in rows if r.source == name]
            pooled[target] += hits
            per_set[name].append(_fmt(*_rates(hits)) + f" ({fitted.flag_threshold:.3f})")
    for name in names:
        print(f"{name.removesuffix('.jsonl'):<26}" + "".join(f"{c:>24}" for c in per_set[name]))
    line = "".join(f"{_fmt(*_rates(pooled[t])):>24}" for t in targets)
    print(f"{'pooled, left out':<26}{line}")
    counts = "".join(f"{'{}/{}, {}/{}'.format(*_rates(pooled[t])):>24}" for t in targets)
    print(f"{'  (caught, flagged)':<26}{counts}")
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
