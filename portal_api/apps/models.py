"""The app registry: an app is a Backstage Component; its workloads run in the cluster."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, TypedDict

from pydantic import AnyHttpUrl, BaseModel, field_validator
from sqlalchemy import JSON, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal_api.db import UTCDateTime, utcnow

# Re-exported: the routers and models of other domains import them from here too.
from portal_api.kit.names import NAME_PATTERN as NAME_PATTERN
from portal_api.kit.names import NAMESPACE_PATTERN as NAMESPACE_PATTERN
from portal_api.pagination import Page
from portal_api.sync.models import Freshness


class AppStatus(StrEnum):
    ACTIVE = "active"
    GONE = "gone"


class AppOrigin(StrEnum):
    """How the portal learned of the app: found in the cluster by its label, or registered
    through the API (e.g. by the scaffolder)."""

    KUBERNETES = "kubernetes"
    API = "api"


class Lifecycle(StrEnum):
    """The app's stage, as in Backstage's spec.lifecycle."""

    EXPERIMENTAL = "experimental"
    PRODUCTION = "production"
    DEPRECATED = "deprecated"


class Link(BaseModel):
    url: AnyHttpUrl
    title: str | None = Field(default=None, max_length=200)
    icon: str | None = Field(default=None, max_length=50)


class AppBase(SQLModel):
    name: str = Field(
        max_length=63, schema_extra={"pattern": NAME_PATTERN}, index=True, unique=True
    )
    namespace: str | None = Field(
        default=None, max_length=63, schema_extra={"pattern": NAMESPACE_PATTERN}
    )
    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    team: str | None = Field(
        default=None, max_length=63, schema_extra={"pattern": NAME_PATTERN}, index=True
    )
    lifecycle: Lifecycle | None = Field(default=None, sa_type=String(20))
    system: str | None = Field(default=None, max_length=63, schema_extra={"pattern": NAME_PATTERN})
    cost_center: str | None = Field(default=None, max_length=100)


class App(AppBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    origin: AppOrigin = Field(default=AppOrigin.API, sa_type=String(20))
    status: AppStatus = Field(default=AppStatus.ACTIVE, index=True, sa_type=String(20))
    links: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    first_seen: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    gone_since: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class AppCreate(AppBase):
    """An app that runs outside the cluster (or before its workloads exist)."""

    links: list[Link] = Field(default_factory=list, max_length=50)

    @field_validator("name", "team", "system", "namespace")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be blank")
        return value


class WorkloadKind(StrEnum):
    DEPLOYMENT = "Deployment"
    STATEFUL_SET = "StatefulSet"
    KNATIVE_SERVICE = "KnativeService"


class AppRow(SQLModel):
    """The key of a row that belongs to one app, and that app (indexed: rows are read by app)."""

    id: int | None = Field(default=None, primary_key=True)
    app_id: int = Field(foreign_key="app.id", index=True)


class Workload(AppRow, table=True):
    __table_args__ = (UniqueConstraint("kind", "namespace", "name"),)

    kind: WorkloadKind = Field(sa_type=String(20))
    namespace: str = Field(max_length=63)
    name: str = Field(max_length=253)
    replicas: int | None = None
    images: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    present: bool = True
    first_seen: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WorkloadPublic(SQLModel):
    kind: WorkloadKind
    namespace: str
    name: str
    replicas: int | None
    images: list[str]
    present: bool
    first_seen: dt.datetime
    last_seen: dt.datetime


class AppPublic(AppBase):
    origin: AppOrigin
    status: AppStatus
    owner: str | None
    links: list[dict[str, Any]]
    first_seen: dt.datetime
    last_seen: dt.datetime
    gone_since: dt.datetime | None


class AppDetail(AppPublic):
    workloads: list[WorkloadPublic]
    freshness: Freshness  # the cluster, where apps and workloads are discovered


class AppPage(Page[AppPublic]):
    freshness: Freshness


class AppFilter(TypedDict):
    """Which apps a list shows."""

    team: str | None
    namespace: str | None
    status: AppStatus | None
    search: str | None
