"""Readiness results (computed on read from stored data), their daily history, API shapes."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel
from sqlalchemy import JSON, Column, String, UniqueConstraint
from sqlmodel import Field

from portal_api.apps.models import AppRow
from portal_api.db import UTCDateTime
from portal_api.sync.models import Freshness


class Pillar(StrEnum):
    OBSERVABILITY = "observability"
    QUALITY = "quality"
    SECURITY = "security"
    RELIABILITY = "reliability"
    COST = "cost"


class CheckStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


class ReadinessDaily(AppRow, table=True):
    """One app's readiness on one UTC day, as the last sync pass of that day found it."""

    __tablename__ = "readiness_daily"
    __table_args__ = (UniqueConstraint("app_id", "day"),)

    day: dt.datetime = Field(sa_type=UTCDateTime, index=True)
    level: str | None = Field(default=None, sa_type=String(31))
    score: int = 0  # percent of checks that pass
    passed: int = 0
    failed: int = 0
    unknown: int = 0
    statuses: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    recorded: dt.datetime = Field(sa_type=UTCDateTime)


class EvidenceLink(BaseModel):
    title: str
    url: str


class CheckResult(BaseModel):
    id: str
    pillar: Pillar
    title: str
    level: str | None  # the level that requires it
    status: CheckStatus
    why: str
    fix: str
    evidence: list[EvidenceLink]


class PillarSummary(BaseModel):
    pillar: Pillar
    passed: int
    failed: int
    unknown: int


class HistoryPoint(BaseModel):
    day: dt.datetime
    level: str | None
    score: int
    passed: int
    failed: int
    unknown: int


class LevelInfo(BaseModel):
    name: str
    title: str | None
    checks: list[str]
    reached: bool


class AppReadiness(BaseModel):
    app: str
    team: str | None
    lifecycle: str | None
    level: str | None
    next_level: str | None
    score: int
    passed: int
    failed: int
    unknown: int
    levels: list[LevelInfo]
    pillars: list[PillarSummary]
    checks: list[CheckResult]
    history: list[HistoryPoint]
    evaluated_at: dt.datetime
    freshness: list[Freshness]


class ReadinessRow(BaseModel):
    app: str
    team: str | None
    lifecycle: str | None
    level: str | None
    score: int
    passed: int
    failed: int
    unknown: int
    pillars: list[PillarSummary]
    failing: list[str]  # ids of failing checks
    unknown_checks: list[str]


class OrgReadiness(BaseModel):
    levels: list[str]  # lowest first
    items: list[ReadinessRow]  # most ready first
    total: int
    evaluated_at: dt.datetime
    freshness: list[Freshness]
