"""Costs per app x model x day, monthly budgets, and what the cost endpoints answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, field_validator
from pydantic import Field as PydanticField
from sqlalchemy import Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from portal_api.costs.compute_models import ComputeBucket, UnallocatedCompute
from portal_api.db import Money, UTCDateTime, utcnow
from portal_api.kit.names import NAME_PATTERN
from portal_api.sync.models import Freshness
from portal_api.timeline.models import ChangePublic
from portal_api.usage.models import (
    DailyRow,
    ModelTraffic,
    MonthlyRow,
    monthly_table_args,
    rollup_table_args,
)

CURRENCY = "USD"


class PriceSource(StrEnum):
    GENAI_PRICES = "genai-prices"
    OVERRIDE = "override"
    GPU = "gpu"
    UNPRICED = "unpriced"


class CostDaily(ModelTraffic, DailyRow, table=True):
    """Cost of one app's use of one model on one UTC day. ``cost`` is None when unpriced."""

    __tablename__ = "cost_daily"
    __table_args__ = (
        *rollup_table_args("cost_daily", "day", "model"),
        # Covers the org-wide grouped scans of a period (reports, budgets, /metrics).
        Index("ix_cost_daily_day_app_model_cost", "day", "app", "model", "cost"),
        # The unpriced rows alone (unpriced usage of a period: reports, app costs).
        Index(
            "ix_cost_daily_unpriced_day",
            "day",
            "app",
            "model",
            sqlite_where=text("cost IS NULL"),
            postgresql_where=text("cost IS NULL"),
        ),
    )

    gpu_hours: float = 0.0
    input_cost: Decimal | None = Field(default=None, sa_type=Money)
    cached_input_cost: Decimal | None = Field(default=None, sa_type=Money)
    output_cost: Decimal | None = Field(default=None, sa_type=Money)
    gpu_cost: Decimal | None = Field(default=None, sa_type=Money)
    cost: Decimal | None = Field(default=None, sa_type=Money)
    price_source: PriceSource = Field(default=PriceSource.UNPRICED, sa_type=String(20))


class CostMonthly(MonthlyRow, table=True):
    """Priced cost per app x model x calendar month (UTC), derived from ``cost_daily`` by the
    costs step, so monthly reports, budgets and /metrics never scan a month of daily rows."""

    __tablename__ = "cost_monthly"
    __table_args__ = monthly_table_args()

    cost: Decimal = Field(sa_type=Money)


class CostDailyTotal(SQLModel, table=True):
    """Priced cost of the whole org per UTC day, derived from ``cost_daily`` with the monthly
    costs (the report's daily chart reads a month of these, not a month of daily rows)."""

    __tablename__ = "cost_daily_total"

    day: dt.datetime = Field(sa_type=UTCDateTime, primary_key=True)
    cost: Decimal = Field(sa_type=Money)


class CostAnomalyRow(SQLModel, table=True):
    """A day on which an app cost far more than its trailing baseline (found by the costs step)."""

    __tablename__ = "cost_anomaly"
    __table_args__ = (UniqueConstraint("day", "app"),)

    id: int | None = Field(default=None, primary_key=True)
    day: dt.datetime = Field(sa_type=UTCDateTime)
    app: str = Field(max_length=253)
    cost: Decimal = Field(sa_type=Money)
    baseline: Decimal = Field(sa_type=Money)
    ratio: float


class BudgetScope(StrEnum):
    TEAM = "team"
    APP = "app"


class BudgetBasis(StrEnum):
    MODEL = "model"  # model spend: tokens and self-hosted GPUs (the default, as before)
    TOTAL = "total"  # model spend plus the app's own compute


class BudgetBase(SQLModel):
    scope: BudgetScope = Field(sa_type=String(20))
    name: str = Field(max_length=63, schema_extra={"pattern": NAME_PATTERN})
    # Money is stored as integer nano-units in a BIGINT: at most about 9.2e9.
    amount: Decimal = Field(sa_type=Money, gt=0, le=1_000_000_000, decimal_places=2)
    basis: BudgetBasis = Field(
        default=BudgetBasis.MODEL,
        sa_type=String(10),
        sa_column_kwargs={"server_default": BudgetBasis.MODEL.value},
    )


class Budget(BudgetBase, table=True):
    __table_args__ = (UniqueConstraint("scope", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BudgetCreate(BudgetBase):
    """A monthly budget (USD) for a team or an app."""

    @field_validator("amount", mode="before")
    @classmethod
    def _no_float(cls, value: object) -> object:
        # JSON numbers arrive as floats: take their shortest decimal text, never binary noise.
        return Decimal(repr(value)) if isinstance(value, float) else value


class BudgetUpdate(SQLModel):
    amount: Decimal = Field(gt=0, le=1_000_000_000, decimal_places=2)
    basis: BudgetBasis | None = None  # unchanged when left out

    @field_validator("amount", mode="before")
    @classmethod
    def _no_float(cls, value: object) -> object:
        return Decimal(repr(value)) if isinstance(value, float) else value


class BudgetAlert(BaseModel):
    threshold: int  # percent of the budget
    basis: Literal["actual", "forecast"]
    firing: bool


class BudgetStatus(BaseModel):
    id: int
    scope: BudgetScope
    name: str
    basis: BudgetBasis = BudgetBasis.MODEL
    month: str
    amount: Decimal
    currency: str = CURRENCY
    spent: Decimal
    forecast: Decimal
    utilisation: float
    forecast_utilisation: float
    state: Literal["ok", "warning", "exceeded"]
    alerts: list[BudgetAlert]


class BudgetList(BaseModel):
    month: str
    items: list[BudgetStatus]
    freshness: Freshness


class CostBucket(BaseModel):
    start: dt.datetime
    model: str
    # True while the bucket's hours are not all synced yet (today, this month, ...).
    partial: bool = False
    cost: Decimal | None
    input_cost: Decimal | None
    cached_input_cost: Decimal | None
    output_cost: Decimal | None
    gpu_cost: Decimal | None
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int
    priced: bool


class UnpricedUsage(BaseModel):
    app: str | None = None
    model: str
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int


class AppCosts(BaseModel):
    """``start``/``end``: exactly the hours summed (the requested range widened to whole hours)."""

    app: str
    start: dt.datetime
    end: dt.datetime
    # Up to when the stored usage is complete (the last sync's time); later buckets are partial.
    covered_until: dt.datetime | None = None
    step: Literal["day", "week", "month"]
    currency: str = CURRENCY
    total: Decimal
    by_model: dict[str, Decimal]
    buckets: list[CostBucket]
    unpriced: list[UnpricedUsage]
    compute_cost: Decimal = Decimal(0)
    total_cost: Decimal = Decimal(0)  # model spend (total) + compute
    compute_by_resource: dict[str, Decimal] = PydanticField(default_factory=dict)
    compute: list[ComputeBucket] = PydanticField(default_factory=list)
    requests: int = 0
    cost_per_1k_requests: Decimal | None = None
    freshness: Freshness


class CostGroup(BaseModel):
    """``cost`` is model spend (tokens and self-hosted GPUs); ``total_cost`` adds compute."""

    key: str
    cost: Decimal
    previous: Decimal
    change: Decimal
    change_pct: float | None
    compute_cost: Decimal = Decimal(0)
    previous_compute_cost: Decimal = Decimal(0)
    total_cost: Decimal = Decimal(0)
    previous_total_cost: Decimal = Decimal(0)
    total_change: Decimal = Decimal(0)
    total_change_pct: float | None = None
    requests: int | None = None
    cost_per_1k_requests: Decimal | None = None  # total cost per 1,000 model requests


class CostMover(CostGroup):
    """A top mover, with the changes around the day its cost moved (timeline)."""

    changes: list[ChangePublic] = []
    explanation: str | None = None


class CostTotals(BaseModel):
    """What an org-wide answer adds after its groups: usage without a price, then the total
    cost of ownership (model spend plus compute), now and in the period compared.

    A mixin listed first among the bases, so that its fields follow the answer's own head
    (pydantic orders fields base by base, the last base first)."""

    unpriced: list[UnpricedUsage]
    compute_total: Decimal = Decimal(0)
    previous_compute_total: Decimal = Decimal(0)
    total_cost: Decimal = Decimal(0)
    previous_total_cost: Decimal = Decimal(0)


class _OrgCostsHead(BaseModel):
    start: dt.datetime
    end: dt.datetime
    previous_start: dt.datetime
    group_by: Literal["team", "app", "model"]
    currency: str = CURRENCY
    total: Decimal
    previous_total: Decimal
    groups: list[CostGroup]


class OrgCosts(CostTotals, _OrgCostsHead):
    """``start``/``end``: exactly the hours summed (the requested range widened to whole hours)."""

    unallocated: list[UnallocatedCompute] = PydanticField(default_factory=list)
    freshness: Freshness


class CostAnomaly(BaseModel):
    day: dt.datetime
    app: str
    cost: Decimal
    baseline: Decimal
    ratio: float


class AnomalyList(BaseModel):
    baseline_days: int
    items: list[CostAnomaly]
    freshness: Freshness


class DailyTotal(BaseModel):
    day: dt.datetime
    cost: Decimal
    compute_cost: Decimal = Decimal(0)
    total_cost: Decimal = Decimal(0)


class _CostReportHead(BaseModel):
    month: str
    previous_month: str
    # For a month in progress: the previous month's first N days are the comparison.
    compared_days: int | None = None
    currency: str = CURRENCY
    generated_at: dt.datetime
    total: Decimal
    previous_total: Decimal
    by_team: list[CostGroup]
    by_app: list[CostGroup]
    by_model: list[CostGroup]
    top_movers: list[CostMover]
    daily: list[DailyTotal]
    budgets: list[BudgetStatus]
    anomalies: list[CostAnomaly]


class CostReport(CostTotals, _CostReportHead):
    compute_by_resource: dict[str, Decimal] = PydanticField(default_factory=dict)
    unallocated: list[UnallocatedCompute] = PydanticField(default_factory=list)
    freshness: Freshness
