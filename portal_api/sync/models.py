"""Health of each sync step: when it last ran, succeeded, failed, and how long it took."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from portal_api.db import UTCDateTime


class SourceStatus(SQLModel, table=True):
    """One row per sync step (e.g. ``kubernetes`` / ``apps``)."""

    step: str = Field(primary_key=True, max_length=100)
    source: str = Field(max_length=50, index=True)
    last_attempt: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=2000)
    last_error_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_duration_seconds: float | None = None
    consecutive_failures: int = 0
    watermark: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    stats: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class StepStatusPublic(BaseModel):
    step: str
    last_attempt: dt.datetime | None
    last_success: dt.datetime | None
    last_error: str | None
    last_error_at: dt.datetime | None
    last_duration_seconds: float | None
    consecutive_failures: int
    stats: dict[str, Any]


class SourceStatusPublic(BaseModel):
    source: str
    configured: bool
    state: str  # ok | failing | never-synced | off
    stale: bool
    last_success: dt.datetime | None
    last_error: str | None
    steps: list[StepStatusPublic]


class Freshness(BaseModel):
    """Attached to data read from stored sync results: how old, and whether to trust it."""

    source: str
    as_of: dt.datetime | None
    stale: bool
    last_error: str | None = None
    # ok | failing | never-synced | off: a source that is off is not stale, it has no data.
    state: str = "ok"
