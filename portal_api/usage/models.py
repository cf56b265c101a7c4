"""Usage rollups: per app x model x hour (and day), token counts by type, requests, latency.

Token types are columns (input, output, cached input) rather than rows: one row per app,
model and hour carries everything one hour of one app's traffic to one model produced.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal_api.db import UTCDateTime
from portal_api.sync.models import Freshness

Step = Literal["hour", "day", "week", "month"]


class ModelTraffic(SQLModel):
    """Whose traffic to which model, and its tokens by type (usage rollups and daily costs)."""

    app: str = Field(max_length=253)
    namespace: str = Field(default="", max_length=63)
    model: str = Field(max_length=200)
    provider: str | None = Field(default=None, max_length=100)
    input_tokens: int = Field(default=0, sa_type=BigInteger)
    output_tokens: int = Field(default=0, sa_type=BigInteger)
    cached_input_tokens: int = Field(default=0, sa_type=BigInteger)


class UsageColumns(ModelTraffic):
    requests: int = Field(default=0, sa_type=BigInteger)
    errors: int = Field(default=0, sa_type=BigInteger)
    latency_p50: float | None = None
    latency_p95: float | None = None
    ttft_p50: float | None = None
    ttft_p95: float | None = None


class HourlyRow(SQLModel):
    """The key and the time of a row of an hourly rollup."""

    id: int | None = Field(default=None, primary_key=True)
    hour: dt.datetime = Field(sa_type=UTCDateTime)
    day: dt.datetime = Field(sa_type=UTCDateTime)  # midnight UTC of `hour`, for the daily rollup


class DailyRow(SQLModel):
    """The key and the time (midnight UTC) of a row of a daily rollup."""

    id: int | None = Field(default=None, primary_key=True)
    day: dt.datetime = Field(sa_type=UTCDateTime)


class MonthlyRow(SQLModel):
    """The key of a row of a monthly rollup: one row per calendar month (UTC), app and model."""

    id: int | None = Field(default=None, primary_key=True)
    month: dt.datetime = Field(sa_type=UTCDateTime)  # first day, 00:00 UTC
    app: str = Field(max_length=253)
    model: str = Field(max_length=200)


def monthly_table_args() -> tuple[UniqueConstraint]:
    """A monthly rollup holds one row per month x app x model (each table its own constraint)."""
    return (UniqueConstraint("month", "app", "model"),)


def rollup_table_args(
    table: str, time: Literal["hour", "day"], dimension: str
) -> tuple[UniqueConstraint, Index]:
    """A rollup holds one row per ``time`` x app x namespace x ``dimension`` and is read by app
    over a time range."""
    return (
        UniqueConstraint(time, "app", "namespace", dimension),
        Index(f"ix_{table}_app_{time}", "app", time),
    )


class UsageHourly(HourlyRow, UsageColumns, table=True):
    __tablename__ = "usage_hourly"
    __table_args__ = rollup_table_args("usage_hourly", "hour", "model")


class UsageDaily(DailyRow, UsageColumns, table=True):
    """Sums of the hourly rows; latencies are request-weighted means of the hourly quantiles."""

    __tablename__ = "usage_daily"
    __table_args__ = (
        *rollup_table_args("usage_daily", "day", "model"),
        # Covers requests per app or model over a period (the cost report, org costs).
        Index("ix_usage_daily_day_app_model_requests", "day", "app", "model", "requests"),
    )


class UsageMonthly(MonthlyRow, table=True):
    """Requests per app x model x calendar month (UTC), summed from ``usage_daily`` whenever the
    daily rows are rebuilt, so the monthly report never scans a month of daily rows."""

    __tablename__ = "usage_monthly"
    __table_args__ = monthly_table_args()

    requests: int = Field(default=0, sa_type=BigInteger)


class UsageBucket(BaseModel):
    start: dt.datetime
    model: str
    # True while the bucket's hours are not all synced yet (the current hour, today, ...).
    partial: bool = False
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int
    requests: int
    errors: int
    latency_p50: float | None
    latency_p95: float | None
    ttft_p50: float | None
    ttft_p95: float | None


class UsageTotals(BaseModel):
    model: str
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int
    requests: int
    errors: int


class AppUsage(BaseModel):
    """``start``/``end``: exactly the hours summed (the requested range widened to whole hours)."""

    app: str
    start: dt.datetime
    end: dt.datetime
    step: Step
    # Up to when the stored usage is complete (the last sync's time); later buckets are partial.
    covered_until: dt.datetime | None = None
    buckets: list[UsageBucket]
    totals: list[UsageTotals]
    freshness: Freshness
