"""The learned prompt-injection classifier: logistic regression over hashed-free n-gram features.

The model file (``model/injection.json.gz``) is written by
``python -m portal_api.security.guard.train`` and ships in the package; it is read once per
process. Serving needs nothing beyond the standard library: a text's features (see
features.py) are looked up in the weight table, the n-grams' sum scaled by 1/sqrt(feature
count) (the L2 norm of the binary feature vector), the structural cues' weights added whole (a
cue says as much in a long text as in a short one), and squashed by the logistic function. Long texts are scored
piece by piece (sentences grouped into ~300 characters, see ``features.chunks``) and the
highest piece wins, so an instruction buried in a long document is not diluted by it. The
rules' score and that probability are then stacked (``Model.combine``).
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from pathlib import Path

from portal_api.security.guard.features import chunks, features, model_text

MODEL_PATH = Path(__file__).with_name("model") / "injection.json.gz"
FLAG_AT = 0.45  # the guard's flag and block scores (engine.INJECTION_FLAG / INJECTION_BLOCK)
BLOCK_AT = 0.75
CUE = "\x01"  # structural cues (features.py): weighed whole, not scaled by the text's length


def logit(probability: float) -> float:
    p = min(max(probability, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class Model:
    weights: dict[str, float]
    bias: float
    # The rules and the classifier stacked: weight of the classifier's logit, weight of the
    # rules' score, intercept (a logistic regression fitted on the dev split, see train.py).
    stack: tuple[float, float, float]
    flag_threshold: float  # on the stacked probability, calibrated on the dev split
    block_threshold: float
    veto_threshold: float  # classifier probability under which a rule hit reads as quoted
    meta: dict[str, object]
    cue_weights: dict[str, float] = field(default_factory=dict)  # the cues' weights, unscaled

    def stacked(self, rule_score: float, probability: float) -> float:
        """P(injection) from the rules' score and the classifier's probability together."""
        a, b, c = self.stack
        z = a * logit(probability) + b * rule_score + c
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def rule_floor(
        self, rule_score: float, probability: float, *, veto: bool = True, quoted: bool = False
    ) -> float:
        """What the rules alone guarantee, under the stacked score.

        A strong hit (a precise pattern, score >= BLOCK_AT) keeps its score unless the
        classifier on its own reads the text as clearly benign (documentation quoting an
        attack: its probability under ``veto_threshold``); weaker hits only count through the
        stack, which weighs them. The classifier's own probability decides, not the stacked
        one, whose weight on the rules' score may be negative (on the dev split rule hits in
        benign text are mostly quoted attacks) and would count the hit against itself. With
        ``veto`` False (obfuscated text, where hiding the words is itself the signal) every rule
        hit keeps its score. With ``quoted`` (every pattern hit inside a quotation, see
        ``injection.quoted_only``; task 14i) the hit is reported, not given: no floor.
        """
        if not veto:
            return rule_score
        if quoted:
            return 0.0
        if rule_score >= BLOCK_AT and probability >= self.veto_threshold:
            return rule_score
        return 0.0

    def combine(
        self, rule_score: float, probability: float, *, veto: bool = True, quoted: bool = False
    ) -> float:
        """One injection score (0..1) on the guard's scale from the rules and the classifier.

        The stacked probability maps onto the guard's scale (flag threshold -> FLAG_AT, block
        threshold -> BLOCK_AT); the rules' score (see ``rule_floor``) is a floor under it, so
        "ignore all previous instructions" blocks whatever the classifier thinks of the rest.
        """
        q = self.stacked(rule_score, probability)
        flag, block = self.flag_threshold, self.block_threshold
        if q < flag:
            learned = FLAG_AT * q / flag
        elif q < block:
            learned = FLAG_AT + (BLOCK_AT - FLAG_AT) * (q - flag) / max(1e-9, block - flag)
        else:
            learned = BLOCK_AT + (1 - BLOCK_AT) * (q - block) / max(1e-9, 1 - block)
        floor = self.rule_floor(rule_score, probability, veto=veto, quoted=quoted)
        return max(floor, min(1.0, learned))

    def raw_score(self, text: str) -> float:
        grams = features(text)
        if not grams:
            return self.bias
        # Unknown features weigh 0.0: one C-level pass.
        total = sum(map(self.weights.get, grams, repeat(0.0)))
        cues = sum(w for name, w in self.cue_weights.items() if name in grams)
        return self.bias + total / math.sqrt(len(grams)) + cues

    def probability(self, text: str) -> float:
        """P(injection) of ``text`` (the highest of its windows when it is long)."""
        best = max(self.raw_score(piece) for piece in chunks(model_text(text)))
        return 1.0 / (1.0 + math.exp(-best))


def load(path: Path = MODEL_PATH) -> Model:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    weights = {k: float(v) for k, v in data["weights"].items()}
    return Model(
        weights={k: v for k, v in weights.items() if not k.startswith(CUE)},
        bias=float(data["bias"]),
        stack=(float(data["stack"][0]), float(data["stack"][1]), float(data["stack"][2])),
        flag_threshold=float(data["flag_threshold"]),
        block_threshold=float(data["block_threshold"]),
        veto_threshold=float(data["veto_threshold"]),
        meta=dict(data["meta"]),
        cue_weights={k: v for k, v in weights.items() if k.startswith(CUE)},
    )


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The shipped model, loaded once per process."""
    return load()
