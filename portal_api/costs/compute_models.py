"""Compute cost rollups: per app x namespace x resource x hour (and day).

``app`` is empty for pods without the ``backstage.io/kubernetes-id`` label (unallocated).
``model_spend`` marks GPU rows that are already charged as a self-hosted model's GPU-hours
(``gpu_cost`` of the model costs): they are kept for the record but never added to
``compute_cost``, so a GPU is counted once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from portal_api.db import Money
from portal_api.usage.models import DailyRow, HourlyRow, rollup_table_args

UNALLOCATED = "(unallocated)"


class ComputeColumns(SQLModel):
    app: str = Field(max_length=253)
    namespace: str = Field(default="", max_length=63)
    resource: str = Field(sa_type=String(10))  # cpu | memory | gpu
    quantity: float = 0.0  # core-hours, GiB-hours, GPU-hours
    cost: Decimal | None = Field(default=None, sa_type=Money)
    model_spend: bool = False


class ComputeCostHourly(HourlyRow, ComputeColumns, table=True):
    __tablename__ = "compute_cost_hourly"
    __table_args__ = rollup_table_args("compute_cost_hourly", "hour", "resource")

    source: str = Field(default="unpriced", sa_type=String(20))  # opencost | rate-card | unpriced


class ComputeCostDaily(DailyRow, ComputeColumns, table=True):
    """Sums of the hourly rows of one UTC day."""

    __tablename__ = "compute_cost_daily"
    __table_args__ = rollup_table_args("compute_cost_daily", "day", "resource")


class ComputeBucket(BaseModel):
    """An app's compute in one bucket: cost per resource (USD) and unit-hours."""

    start: dt.datetime
    cost: Decimal
    cpu_cost: Decimal
    memory_cost: Decimal
    gpu_cost: Decimal
    cpu_hours: float
    memory_gib_hours: float
    gpu_hours: float


class UnallocatedCompute(BaseModel):
    """Compute of pods that name no app (no ``backstage.io/kubernetes-id`` label)."""

    namespace: str
    cost: Decimal
    cpu_hours: float
    memory_gib_hours: float
    gpu_hours: float
