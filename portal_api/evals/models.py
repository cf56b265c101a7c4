"""Evaluation runs of prompt versions, their cases and scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, TypedDict

from pydantic import BaseModel, field_validator
from sqlalchemy import JSON, Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal_api.apps.models import AppRow
from portal_api.db import Money, UTCDateTime, utcnow
from portal_api.prompts.models import MAX_ID, PROMPT_NAME_PATTERN

DATASET_PATTERN = r"^[a-zA-Z0-9][a-zA-Z0-9._/-]{0,199}$"
MAX_CASES = 2000
# Per case; MAX_CASES of them still fit the run's 32-bit token columns.
MAX_CASE_TOKENS = 1_000_000


class EvalSource(StrEnum):
    CI = "ci"
    PROMPTFOO = "promptfoo"
    PORTAL = "portal"
    DEMO = "demo"


class EvalRun(AppRow, table=True):
    __tablename__ = "eval_run"
    # A retried post finds the run it stored: one run per (app, ingest key).
    __table_args__ = (
        UniqueConstraint("app_id", "ingest_key", name="uq_eval_run_app_id_ingest_key"),
    )

    prompt_version_id: int = Field(foreign_key="prompt_version.id", index=True)
    model: str | None = Field(default=None, max_length=200)
    dataset: str = Field(max_length=200, index=True)
    source: EvalSource = Field(sa_type=String(20))
    started: dt.datetime = Field(sa_type=UTCDateTime)
    finished: dt.datetime = Field(sa_type=UTCDateTime, index=True)
    cases: int = 0
    passed: int = 0
    errors: int = 0
    scores: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    aggregate_score: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: Decimal | None = Field(default=None, sa_type=Money)
    # Set when the run falls below the previous version's latest run by more than the margin.
    regression: bool = Field(default=False, index=True)
    baseline_run_id: int | None = Field(default=None, foreign_key="eval_run.id")
    baseline_score: float | None = None
    margin: float | None = None
    external_id: str | None = Field(default=None, max_length=200)
    # ``id:<external_id>`` (the caller's id, promptfoo's evalId) or ``sha256:<digest of the
    # body>``; null for runs that are not ingested (portal-run, demo).
    ingest_key: str | None = Field(default=None, max_length=210)
    # Digest of what was posted: the same key with other content is a conflict, not a replay.
    ingest_digest: str | None = Field(default=None, max_length=64)
    created: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EvalCase(SQLModel, table=True):
    __tablename__ = "eval_case"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="eval_run.id", index=True)
    index: int
    vars: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    input: str = Field(default="", sa_column=Column(Text, nullable=False))
    output: str = Field(default="", sa_column=Column(Text, nullable=False))
    # The app's guard refused the input or the output: the case has no model output.
    blocked: bool = False
    expected: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    scores: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    passed: bool
    error: str | None = Field(default=None, max_length=2000)
    reasons: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    input_tokens: int = 0
    output_tokens: int = 0
    latency_ms: int | None = None


# --- API shapes ---------------------------------------------------------------------------

Score = Annotated[float, Field(ge=0.0, le=1.0)]


class CaseIn(BaseModel):
    vars: dict[str, Any] = Field(default_factory=dict)
    input: str = Field(default="", max_length=200_000)
    output: str | None = Field(
        default="", max_length=200_000, description="null: no output (e.g. a blocked case)"
    )
    blocked: bool = Field(
        default=False, description="the app's guardrail refused the input or the output"
    )
    expected: str | None = Field(default=None, max_length=200_000)
    scores: dict[str, Score] = Field(default_factory=dict)
    passed: bool
    error: str | None = Field(default=None, max_length=2000)
    input_tokens: int = Field(default=0, ge=0, le=MAX_CASE_TOKENS)
    output_tokens: int = Field(default=0, ge=0, le=MAX_CASE_TOKENS)
    latency_ms: int | None = Field(default=None, ge=0, le=MAX_ID)


class PromptRef(BaseModel):
    """Which version was evaluated: its number, or its content hash (a prefix of 8+ chars)."""

    name: str = Field(max_length=63, schema_extra={"pattern": PROMPT_NAME_PATTERN})
    version: int | None = Field(default=None, ge=1, le=MAX_ID)
    hash: str | None = Field(
        default=None, min_length=8, max_length=64, schema_extra={"pattern": r"^[0-9a-f]+$"}
    )


class EvalRunIn(BaseModel):
    """An evaluation run in the portal's own format (what CI posts)."""

    prompt: PromptRef
    model: str | None = Field(default=None, max_length=200)
    dataset: str = Field(max_length=200, schema_extra={"pattern": DATASET_PATTERN})
    started: dt.datetime
    finished: dt.datetime
    cases: list[CaseIn] = Field(min_length=1, max_length=MAX_CASES)
    input_tokens: int | None = Field(default=None, ge=0, le=MAX_ID)
    output_tokens: int | None = Field(default=None, ge=0, le=MAX_ID)
    cost: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=9)
    external_id: str | None = Field(default=None, max_length=200)

    @field_validator("started", "finished")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("needs a timezone (e.g. 2026-11-26T12:00:00Z)")
        return value.astimezone(dt.UTC)


class ScorerSpec(BaseModel):
    """One scorer of a portal-run evaluation."""

    type: Literal["exact", "contains", "regex", "json", "judge"]
    name: str | None = Field(default=None, max_length=63)
    pattern: str | None = Field(default=None, max_length=2000, description="regex")
    value: str | None = Field(
        default=None, max_length=2000, description="contains: text (default: expected)"
    )
    ignore_case: bool = False
    json_schema: dict[str, Any] | None = Field(default=None, alias="schema")
    rubric: str | None = Field(default=None, max_length=10_000, description="judge")
    model: str | None = Field(default=None, max_length=200, description="judge model")
    threshold: float = Field(default=1.0, ge=0.0, le=1.0, description="pass at or above")

    model_config = {"populate_by_name": True}

    @property
    def key(self) -> str:
        return self.name or self.type


class EvalRunRequest(BaseModel):
    """Run a dataset through a prompt version on the configured model endpoint."""

    prompt: PromptRef
    dataset: str = Field(
        max_length=200, schema_extra={"pattern": DATASET_PATTERN}, description="dataset name"
    )
    cases: str = Field(
        min_length=1,
        max_length=5_000_000,
        description='JSONL: one {"vars": {...}, "expected": "..."} per line',
    )
    scorers: list[ScorerSpec] = Field(min_length=1, max_length=20)
    model: str | None = Field(default=None, max_length=200, description="default: the version's")
    concurrency: int | None = Field(default=None, ge=1, le=64)


class EvalCasePublic(BaseModel):
    index: int
    vars: dict[str, Any]
    input: str
    output: str
    blocked: bool
    expected: str | None
    scores: dict[str, float]
    reasons: dict[str, str]
    passed: bool
    error: str | None
    input_tokens: int
    output_tokens: int
    latency_ms: int | None


class EvalRunPublic(BaseModel):
    id: int
    app: str
    prompt: str
    version: int
    content_hash: str
    model: str | None
    dataset: str
    source: EvalSource
    started: dt.datetime
    finished: dt.datetime
    cases: int
    passed: int
    errors: int
    pass_rate: float | None
    scores: dict[str, float]
    aggregate_score: float
    input_tokens: int
    output_tokens: int
    cost: Decimal | None
    regression: bool
    baseline_run_id: int | None
    baseline_score: float | None
    margin: float | None


class EvalRunDetail(EvalRunPublic):
    case_results: list[EvalCasePublic]


class TrendPoint(BaseModel):
    version: int
    content_hash: str
    runs: int
    aggregate_score: float | None
    pass_rate: float | None
    scores: dict[str, float]
    latest_run_id: int | None
    latest_finished: dt.datetime | None
    regression: bool


class ScoreTrend(BaseModel):
    prompt: str
    dataset: str | None
    points: list[TrendPoint]


class RunFilter(TypedDict):
    """Which evaluation runs a list shows."""

    prompt: str | None
    version: int | None
    dataset: str | None
    regression: bool | None
