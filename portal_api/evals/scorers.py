"""Scorers of portal-run evaluations: each maps (output, expected) to a score in 0..1."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from portal_api.errors import InvalidInputError
from portal_api.evals.models import ScorerSpec
from portal_api.sources.openai import OpenAISource


@dataclass(frozen=True)
class Score:
    value: float
    reason: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    judge_failed: bool = False


def validate_scorers(scorers: list[ScorerSpec], *, default_judge_model: str | None) -> None:
    """Refuse a scorer configuration before any model is called.

    Raises:
        InvalidInputError: a regex that does not compile, a JSON Schema that is not one, a
            judge without rubric or model, or two scorers with one name.
    """
    names = [s.key for s in scorers]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InvalidInputError(f"scorer names repeat: {', '.join(repeated)} (set 'name')")
    for s in scorers:
        if s.type == "regex":
            if not s.pattern:
                raise InvalidInputError(f"scorer {s.key}: regex needs 'pattern'")
            try:
                re.compile(s.pattern)
            except re.error as exc:
                raise InvalidInputError(f"scorer {s.key}: invalid regex: {exc}") from None
        if s.type == "json" and s.json_schema is not None:
            import jsonschema  # loaded when used: an API worker that only reads never does

            try:
                jsonschema.validators.validator_for(s.json_schema).check_schema(s.json_schema)
            except jsonschema.SchemaError as exc:
                raise InvalidInputError(
                    f"scorer {s.key}: invalid JSON Schema: {exc.message}"
                ) from None
        if s.type == "judge":
            if not s.rubric:
                raise InvalidInputError(f"scorer {s.key}: judge needs a 'rubric'")
            if not (s.model or default_judge_model):
                raise InvalidInputError(f"scorer {s.key}: judge needs a 'model'")


def exact(output: str, expected: str | None, *, ignore_case: bool = False) -> Score:
    if expected is None:
        return Score(0.0, "no expected output")
    a, b = output.strip(), expected.strip()
    if ignore_case:
        a, b = a.casefold(), b.casefold()
    return Score(1.0 if a == b else 0.0, None if a == b else "output differs from expected")


def contains(output: str, needle: str | None, *, ignore_case: bool = False) -> Score:
    if not needle:
        return Score(0.0, "nothing to look for (no value, no expected output)")
    hay, pin = (output.casefold(), needle.casefold()) if ignore_case else (output, needle)
    found = pin in hay
    return Score(1.0 if found else 0.0, None if found else f"{needle!r} not in output")


def regex(output: str, pattern: str, *, ignore_case: bool = False) -> Score:
    found = re.search(pattern, output, re.IGNORECASE if ignore_case else 0) is not None
    return Score(1.0 if found else 0.0, None if found else "pattern does not match")


def _strip_fence(text: str) -> str:
    stripped = text.strip()
    match = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", stripped, re.DOTALL)
    return match.group(1) if match else stripped


def valid_json(output: str, schema: dict[str, Any] | None = None) -> Score:
    try:
        value = json.loads(_strip_fence(output))
    except json.JSONDecodeError as exc:
        return Score(0.0, f"not JSON: {exc.msg} at line {exc.lineno}")
    if schema is not None:
        import jsonschema

        validator = jsonschema.validators.validator_for(schema)(schema)
        errors = sorted(validator.iter_errors(value), key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(p) for p in errors[0].path) or "(root)"
            return Score(0.0, f"schema: {where}: {errors[0].message}"[:500])
    return Score(1.0)


JUDGE_SYSTEM = (
    "You are a strict evaluator. Grade the RESPONSE against the RUBRIC. Answer with JSON only: "
    '{"score": <number from 0 to 1>, "reason": "<one sentence>"}.'
)


def judge_messages(
    rubric: str, prompt: str, output: str, expected: str | None
) -> list[dict[str, str]]:
    parts = [f"RUBRIC:\n{rubric}", f"PROMPT:\n{prompt}", f"RESPONSE:\n{output}"]
    if expected is not None:
        parts.append(f"REFERENCE ANSWER:\n{expected}")
    return [
        {"role": "system", "content": JUDGE_SYSTEM},
        {"role": "user", "content": "\n\n".join(parts)},
    ]


_SCORE_WORD = re.compile(
    r"\bscore\b\W{0,5}(-?\d+(?:\.\d+)?)(\s*/\s*(\d+(?:\.\d+)?))?", re.IGNORECASE
)


def parse_judge(answer: str) -> tuple[float, str | None] | None:
    """The score (0..1) and reason in a judge's answer, or None when it makes no sense.

    Accepts a JSON object with ``score`` (and ``reason``), possibly fenced or inside prose, or
    a plain ``score: 0.7`` / ``Score: 7/10``. A number outside 0..1 without a scale is nonsense.
    """
    text = _strip_fence(answer)
    candidates = [text]
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if match:
        candidates.append(match.group(0))
    for candidate in candidates:
        try:
            data = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and "score" in data:
            raw = data["score"]
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                return None
            reason = data.get("reason")
            return (float(raw), str(reason)[:500] if reason else None) if 0 <= raw <= 1 else None
    word = _SCORE_WORD.search(text)
    if word:
        value = float(word.group(1))
        if word.group(3):
            scale = float(word.group(3))
            value = value / scale if scale > 0 else -1
        if 0 <= value <= 1:
            return value, None
    return None


def judge(
    llm: OpenAISource,
    *,
    model: str,
    rubric: str,
    prompt: str,
    output: str,
    expected: str | None,
) -> Score:
    """Ask the judge model; an answer without a usable score scores 0 and says so."""
    result = llm.chat(
        model=model,
        messages=judge_messages(rubric, prompt, output, expected),
        parameters={"temperature": 0},
    )
    parsed = parse_judge(result.text)
    if parsed is None:
        return Score(
            0.0,
            f"judge answer has no score in 0..1: {result.text[:200]!r}",
            result.input_tokens,
            result.output_tokens,
            judge_failed=True,
        )
    return Score(parsed[0], parsed[1], result.input_tokens, result.output_tokens)


def score(
    spec: ScorerSpec,
    *,
    llm: OpenAISource | None,
    default_judge_model: str | None,
    prompt: str,
    output: str,
    expected: str | None,
) -> Score:
    if spec.type == "exact":
        return exact(output, expected, ignore_case=spec.ignore_case)
    if spec.type == "contains":
        return contains(output, spec.value or expected, ignore_case=spec.ignore_case)
    if spec.type == "regex":
        assert spec.pattern is not None
        return regex(output, spec.pattern, ignore_case=spec.ignore_case)
    if spec.type == "json":
        return valid_json(output, spec.json_schema)
    assert llm is not None
    assert spec.rubric is not None
    model = spec.model or default_judge_model
    assert model is not None
    return judge(
        llm, model=model, rubric=spec.rubric, prompt=prompt, output=output, expected=expected
    )
