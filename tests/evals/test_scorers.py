"""Scorers and judge parsing (pure functions, and the judge through the test server)."""

from __future__ import annotations

import pytest

from portal_api.errors import InvalidInputError
from portal_api.evals import scorers
from portal_api.evals.models import ScorerSpec
from portal_api.sources.openai import OpenAISource
from tests.servers.openai import OpenAIState


def test_exact_and_contains() -> None:
    assert scorers.exact(" billing\n", "billing").value == 1.0
    assert scorers.exact("Billing", "billing").value == 0.0
    assert scorers.exact("Billing", "billing", ignore_case=True).value == 1.0
    assert scorers.exact("x", None).value == 0.0
    assert scorers.contains("it is a bug report", "bug").value == 1.0
    assert scorers.contains("it is a BUG", "bug").value == 0.0
    assert scorers.contains("it is a BUG", "bug", ignore_case=True).value == 1.0
    assert scorers.contains("anything", None).value == 0.0


def test_regex() -> None:
    assert scorers.regex("order #12345", r"#\d{5}\b").value == 1.0
    assert scorers.regex("order #12", r"#\d{5}\b").value == 0.0


def test_json_with_and_without_schema() -> None:
    schema = {
        "type": "object",
        "required": ["label"],
        "properties": {"label": {"enum": ["billing", "bug"]}},
    }
    assert scorers.valid_json('{"label": "bug"}').value == 1.0
    assert scorers.valid_json('```json\n{"label": "bug"}\n```', schema).value == 1.0
    bad = scorers.valid_json('{"label": "other"}', schema)
    assert bad.value == 0.0
    assert bad.reason is not None
    assert "label" in bad.reason
    not_json = scorers.valid_json("label: bug")
    assert not_json.value == 0.0
    assert not_json.reason is not None
    assert "not JSON" in not_json.reason


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ('{"score": 0.8, "reason": "mostly right"}', (0.8, "mostly right")),
        ('```json\n{"score": 1}\n```', (1.0, None)),
        ('Here is my grade: {"score": 0.25, "reason": "vague"} thanks', (0.25, "vague")),
        ("Score: 7/10", (0.7, None)),
        ("score = 0.5", (0.5, None)),
    ],
)
def test_parse_judge(answer: str, expected: tuple[float, str | None]) -> None:
    assert scorers.parse_judge(answer) == expected


@pytest.mark.parametrize(
    "answer",
    [
        "I think it is quite good!",
        '{"score": 8}',  # out of range, no scale
        '{"score": "high"}',
        '{"score": true}',
        "score: 12/10",
        "",
    ],
)
def test_parse_judge_nonsense(answer: str) -> None:
    assert scorers.parse_judge(answer) is None


def test_judge_through_the_model_endpoint(openai_source: OpenAISource, llm: OpenAIState) -> None:
    llm.reply("RESPONSE:\nParis", '{"score": 0.9, "reason": "correct"}')
    llm.reply("RESPONSE:\nLyon", "What a lovely question, I cannot grade it.")
    good, nonsense = (
        scorers.judge(
            openai_source,
            model="judge",
            rubric="Is it right?",
            prompt="Capital?",
            output=output,
            expected="Paris",
        )
        for output in ("Paris", "Lyon")
    )
    assert (good.value, good.reason, good.judge_failed) == (0.9, "correct", False)
    assert good.input_tokens > 0
    assert nonsense.value == 0.0
    assert nonsense.judge_failed
    assert llm.requests[0]["temperature"] == 0
    assert "REFERENCE ANSWER:\nParis" in llm.requests[0]["messages"][1]["content"]


def test_bad_scorer_configuration_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="invalid regex"):
        scorers.validate_scorers([ScorerSpec(type="regex", pattern="(")], default_judge_model="m")
    with pytest.raises(InvalidInputError, match="rubric"):
        scorers.validate_scorers([ScorerSpec(type="judge")], default_judge_model="m")
    with pytest.raises(InvalidInputError, match="JSON Schema"):
        scorers.validate_scorers(
            [ScorerSpec(type="json", schema={"type": 12})], default_judge_model="m"
        )
    with pytest.raises(InvalidInputError, match="repeat"):
        scorers.validate_scorers(
            [ScorerSpec(type="exact"), ScorerSpec(type="exact")], default_judge_model="m"
        )
