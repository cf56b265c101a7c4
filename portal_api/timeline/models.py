"""Changes to an app (deploys, model switches, image and scale changes, budgets, findings...).

Changes that other domains already store with their time (prompt deploys and label moves,
findings opened or resolved, eval regressions) are read from their tables; changes that only a
comparison between two sync passes reveals (images, replicas, Knative revisions and traffic,
models appearing in the usage rollups) and budget edits are stored here as ``ChangeEvent``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal_api.apps.models import AppRow
from portal_api.db import UTCDateTime
from portal_api.sync.models import Freshness


class ChangeKind(StrEnum):
    PROMPT_DEPLOY = "prompt-deploy"
    PROMPT_LABEL = "prompt-label"
    MODEL_SWITCH = "model-switch"
    IMAGE = "image"
    SCALE = "scale"
    KNATIVE_REVISION = "knative-revision"
    KNATIVE_TRAFFIC = "knative-traffic"
    BUDGET = "budget"
    FINDING_OPENED = "finding-opened"
    FINDING_RESOLVED = "finding-resolved"
    EVAL_REGRESSION = "eval-regression"


# Changes that alter what an app does or what it costs: the ones a moving cost is blamed on.
BEHAVIOUR_KINDS = frozenset(
    {
        ChangeKind.PROMPT_DEPLOY,
        ChangeKind.PROMPT_LABEL,
        ChangeKind.MODEL_SWITCH,
        ChangeKind.IMAGE,
        ChangeKind.SCALE,
        ChangeKind.KNATIVE_REVISION,
        ChangeKind.KNATIVE_TRAFFIC,
    }
)


class ChangeEvent(SQLModel, table=True):
    """A change found by comparing sync passes, or made through the API (budgets).

    ``fingerprint`` makes recording idempotent: a sync pass that runs again after a crash
    finds its events already there.
    """

    __tablename__ = "change_event"
    __table_args__ = (
        UniqueConstraint("fingerprint"),
        Index("ix_change_event_app_at", "app_id", "at"),
        Index("ix_change_event_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(max_length=64)
    app_id: int | None = Field(default=None, foreign_key="app.id")
    team: str | None = Field(default=None, max_length=63)  # team budgets concern every app
    kind: ChangeKind = Field(sa_type=String(30))
    at: dt.datetime = Field(sa_type=UTCDateTime)
    summary: str = Field(max_length=500)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class WorkloadSnapshot(AppRow, table=True):
    """What the previous sync pass saw of a workload: images, replicas, Knative revision and
    traffic. The next pass compares against it to find changes."""

    __tablename__ = "workload_snapshot"
    __table_args__ = (UniqueConstraint("kind", "namespace", "name"),)

    kind: str = Field(max_length=20)
    namespace: str = Field(max_length=63)
    name: str = Field(max_length=253)
    images: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    replicas: int | None = None
    revision: str | None = Field(default=None, max_length=253)
    traffic: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    seen: dt.datetime = Field(sa_type=UTCDateTime)


# --- API shapes ---------------------------------------------------------------------------


class ChangePublic(BaseModel):
    """One change. ``id`` is stable (``<table>-<row id>``), ``link`` points at its details."""

    id: str
    app: str | None
    team: str | None
    kind: ChangeKind
    at: dt.datetime
    summary: str
    data: dict[str, Any]
    link: str | None = None


class Timeline(BaseModel):
    app: str
    start: dt.datetime
    end: dt.datetime
    kinds: list[ChangeKind]
    items: list[ChangePublic]
    freshness: list[Freshness]


class ChangePage(BaseModel):
    start: dt.datetime
    end: dt.datetime
    items: list[ChangePublic]
    total: int
    limit: int
    offset: int
    freshness: list[Freshness]
