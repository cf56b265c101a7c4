"""Train the injection classifier shipped in ``model/injection.json.gz``.

    .venv/bin/pip install -e '.[train]'   # numpy, scipy, scikit-learn: training only
    .venv/bin/python -m portal_api.security.guard.train

Deterministic: the corpus (training/corpus.py) is built from a fixed seed, splits are by a
stable hash of each phrasing, liblinear runs with a fixed seed and the file is written with
sorted keys and no timestamp, so the same sources give the same bytes. Steps: features of the
train split (n-grams seen in at least two texts), L2-regularised logistic regression with
rows weighted by language and label, regularisation strength picked on the dev split, then the two thresholds
calibrated on the dev split: the rules' score and the classifier's logit stacked by a small
logistic regression, then the flag and block thresholds on that (flag: at most FLAG_FPR of the
dev benign texts at or above it, in the composed texts and in the hand-written dev sets alike
(since task 14i: they are harder, and the blind sets are hand-written); block: at most
BLOCK_FPR). The test split is scored once, at the end, and only reported.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import time
from collections import Counter
from pathlib import Path
from typing import Any

from portal_api.security.guard import injection
from portal_api.security.guard.classifier import BLOCK_AT, CUE, FLAG_AT, MODEL_PATH, Model, logit
from portal_api.security.guard.features import chunks, features, model_text
from portal_api.security.guard.normalize import normalize
from portal_api.security.guard.training.corpus import (
    DEV_SETS,
    EXTRA_LINES,
    EXTRA_TRAINING,
    SEED,
    Sample,
    build,
)

FLAG_FPR = 0.03  # task 14k: chosen by leave-one-set-out (bench/guard_loso.py), see docs/guard.md
BLOCK_FPR = 0.01
VETO_LOSS = 0.05
VETO_CAP = 0.75
MIN_DF = 2
C_GRID = (8.0, 32.0, 128.0)
LANG_BALANCE = 0.25  # 0: every row weighs the same; 1: every (language, label) group the same


def _rows(sample: Sample) -> list[str]:
    """The pieces of a training text that carry its label.

    A benign text's pieces are all benign. An attack hidden in a longer document is the piece
    holding the attack line; the document's other pieces are left out, not called attacks.
    """
    pieces = chunks(model_text(sample.text))
    if sample.label == 0 or len(pieces) == 1:
        return pieces
    marker = model_text(sample.payload)[:30] if sample.payload else ""
    return [p for p in pieces if marker and marker in p]


def _weights(rows: list[Sample]) -> list[float]:
    """A weight per training row: each (language, label) group weighs in proportion to the
    square root of its size, not its size, so the English majority does not drown the other six
    languages' attacks; the two labels weigh the same in total (balanced classes)."""
    groups = Counter((s.lang, s.label) for s in rows)
    raw = [groups[(s.lang, s.label)] ** -LANG_BALANCE for s in rows]
    per_label: Counter[int] = Counter()
    for s, w in zip(rows, raw, strict=True):
        per_label[s.label] += w
    scale = {label: len(rows) / (2 * total) for label, total in per_label.items()}
    return [w * scale[s.label] for s, w in zip(rows, raw, strict=True)]


def _hand_written_dev() -> set[str]:
    """The texts of the hand-written dev sets (corpus.DEV_SETS): their benign texts are a
    calibration group of their own (task 14i), harder than the composed ones."""
    texts: set[str] = set()
    for name in DEV_SETS:
        path = EXTRA_TRAINING / name
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            texts.update(json.loads(line)["text"] for line in lines)
    return texts


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# (rules' score, classifier probability, label, every rule pattern hit inside a quotation)
Scored = list[tuple[float, float, int, bool]]


def _rates(model: Model, scored: Scored, at: float) -> tuple[float, float]:
    """Recall and false-positive rate of the guard's combined score reaching ``at``."""
    hits = [(model.combine(rule, p, quoted=q) >= at, label) for rule, p, label, q in scored]
    pos = [h for h, label in hits if label]
    neg = [h for h, label in hits if not label]
    return sum(pos) / max(1, len(pos)), sum(neg) / max(1, len(neg))


def calibrate(
    scored: Scored,
    hand: list[bool] | None = None,
    flag_fpr: float = FLAG_FPR,
    hand_fpr: float | None = None,
) -> Model:
    """The stack and the flag and block thresholds from dev (rule score, probability, label).

    Stack: a logistic regression of the label on the classifier's logit and the rules' score.
    Veto: the classifier's probability under which a strong rule hit is no floor, as high as
    possible while vetoing at most VETO_LOSS of the attacks the rules catch. Flag, block: the
    lowest stacked probabilities keeping the guard's false-positive rate on the dev benign
    texts within ``flag_fpr`` and BLOCK_FPR, in each group of ``hand`` (True: a text of the
    hand-written dev sets, corpus.DEV_SETS; False: a composed one) on its own; ``hand_fpr``,
    when given, is the flag target of the hand-written group (task 14k: a rule per group).
    """
    from sklearn.linear_model import LogisticRegression

    x = [[logit(p), rule] for rule, p, _, _ in scored]
    y = [label for _, _, label, _ in scored]
    fit = LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear", random_state=SEED)
    fit.fit(x, y)
    stack = (
        round(float(fit.coef_[0][0]), 6),
        round(float(fit.coef_[0][1]), 6),
        round(float(fit.intercept_[0]), 6),
    )
    # Veto, on the classifier's own probability: as high as possible while vetoing at most
    # VETO_LOSS of the attacks the rules catch.
    caught = sorted(p for rule, p, label, _ in scored if label and rule >= FLAG_AT)
    veto = min(VETO_CAP, caught[math.floor(VETO_LOSS * len(caught))]) if caught else 0.0
    probe = Model({}, 0.0, stack, 0.5, 1.0, veto, {})
    hand = hand or [False] * len(scored)
    groups: dict[bool, list[tuple[float, float]]] = {}
    for (rule, p, label, q), written in zip(scored, hand, strict=True):
        if not label:
            groups.setdefault(written, []).append(
                (probe.rule_floor(rule, p, quoted=q), probe.stacked(rule, p))
            )

    def threshold(rate: float, at: float, hand_rate: float | None = None) -> float:
        # The lowest stacked probability keeping at most ``rate`` of the benign texts at or
        # above ``at`` in each group (composed and hand-written), counting those the rules
        # alone put there.
        out = 0.0
        for written, benign in groups.items():
            rate_here = hand_rate if written and hand_rate is not None else rate
            forced = sum(floor >= at for floor, _ in benign)
            rest = sorted(q for floor, q in benign if floor < at)
            allowed = max(0, math.floor(rate_here * len(benign)) - forced)
            out = max(out, rest[len(rest) - allowed - 1] + 1e-6 if allowed < len(rest) else 0.5)
        return out

    flag = max(0.5, threshold(flag_fpr, FLAG_AT, hand_fpr))
    block = min(max(flag, threshold(BLOCK_FPR, BLOCK_AT)), 0.999999)
    return Model({}, 0.0, stack, round(flag, 6), round(block, 6), round(veto, 6), {})


def train(output: Path = MODEL_PATH, waves: tuple[Path, ...] = EXTRA_LINES) -> dict[str, Any]:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    started = time.perf_counter()
    corpus = build(waves)
    by_split: dict[str, list[Sample]] = {"train": [], "dev": [], "test": []}
    for sample in corpus:
        by_split[sample.split].append(sample)
    train_rows = [(features(row), s.label) for s in by_split["train"] for row in _rows(s)]
    row_weights = np.array(_weights([s for s in by_split["train"] for _ in _rows(s)]))
    train_feats = [grams for grams, _ in train_rows]
    df: Counter[str] = Counter()
    for grams in train_feats:
        df.update(grams)
    vocab = {g: i for i, g in enumerate(sorted(g for g, n in df.items() if n >= MIN_DF))}
    names = sorted(vocab, key=vocab.__getitem__)

    def matrix(rows: list[set[str]]) -> Any:
        data, indices, indptr = [], [], [0]
        for grams in rows:
            scale = 1.0 / math.sqrt(len(grams)) if grams else 0.0
            cols = sorted(vocab[g] for g in grams if g in vocab)
            indices.extend(cols)
            # n-grams are scaled by the text's length; the structural cues count whole (see
            # classifier.Model.raw_score): a cue says as much in a long text as in a short one.
            data.extend([1.0 if names[i].startswith(CUE) else scale for i in cols])
            indptr.append(len(indices))
        return csr_matrix((data, indices, indptr), shape=(len(rows), len(vocab)))

    x_train = matrix(train_feats)
    y_train = np.array([label for _, label in train_rows])

    def triples(model: Any, samples: list[Sample]) -> Scored:
        probabilities = [_sigmoid(z) for z in window_scores(model, samples)]
        out = []
        for sample, p in zip(samples, probabilities, strict=True):
            norm = normalize(sample.text)
            rule, hits, _ = injection.scan(norm)
            out.append((rule, p, sample.label, injection.quoted_only(norm, hits)))
        return out

    def window_scores(model: Any, samples: list[Sample]) -> list[float]:
        out = []
        for sample in samples:
            rows = matrix([features(w) for w in chunks(model_text(sample.text))])
            out.append(float(model.decision_function(rows).max()))
        return out

    dev_labels = [s.label for s in by_split["dev"]]
    best: tuple[float, float, Any] | None = None
    for c in C_GRID:
        model = LogisticRegression(C=c, solver="liblinear", random_state=SEED, max_iter=1000)
        model.fit(x_train, y_train, sample_weight=row_weights)
        auc = roc_auc_score(dev_labels, window_scores(model, by_split["dev"]))
        print(f"C={c:<4} dev AUC {auc:.4f}")  # noqa: T201
        if best is None or auc > best[0] + 1e-6:
            best = (auc, c, model)
    assert best is not None
    auc, c, model = best
    hand_written = _hand_written_dev()
    hand = [s.text in hand_written for s in by_split["dev"]]
    calibrated = calibrate(triples(model, by_split["dev"]), hand)
    dev_recall, dev_fpr = _rates(calibrated, triples(model, by_split["dev"]), FLAG_AT)
    test_recall, test_fpr = _rates(calibrated, triples(model, by_split["test"]), FLAG_AT)

    coef = model.coef_[0]
    weights = {
        name: round(float(w), 4) for name, w in zip(names, coef, strict=True) if abs(w) >= 5e-4
    }

    meta = {
        "training_rows": len(train_rows),
        "corpus": {
            split: dict(Counter("injection" if s.label else "benign" for s in items))
            for split, items in by_split.items()
        },
        "languages": dict(sorted(Counter(s.lang for s in corpus).items())),
        "features": len(weights),
        "C": c,
        "guard_with_rules": "dev and test figures are of the rules and classifier combined",
        "dev": {"auc": round(auc, 4), "recall": round(dev_recall, 4), "fpr": round(dev_fpr, 4)},
        "test": {"recall": round(test_recall, 4), "fpr": round(test_fpr, 4)},
    }
    payload = {
        "weights": weights,
        "bias": round(float(model.intercept_[0]), 6),
        "stack": list(calibrated.stack),
        "flag_threshold": calibrated.flag_threshold,
        "block_threshold": calibrated.block_threshold,
        "veto_threshold": calibrated.veto_threshold,
        "meta": meta,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    with (
        output.open("wb") as handle,
        gzip.GzipFile(fileobj=handle, mode="wb", mtime=0, filename="") as gz,
    ):
        gz.write(raw.encode("utf-8"))
    meta["seconds"] = round(time.perf_counter() - started, 1)
    meta["bytes"] = output.stat().st_size
    return meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    meta = train(args.output)
    print(json.dumps(meta, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
