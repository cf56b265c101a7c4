"""Security findings: one shape for every source, with a lifecycle and its history."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal_api.apps.models import AppRow
from portal_api.db import UTCDateTime, utcnow
from portal_api.sync.models import Freshness


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


SEVERITY_ORDER = {s: i for i, s in enumerate(Severity)}


class FindingSource(StrEnum):
    """What reported the finding: the Trivy Operator's reports in the cluster, the portal's own
    posture checks of an app's workloads and domains, or the guard's blocked-traffic spikes."""

    TRIVY = "trivy-operator"
    POSTURE = "posture"
    GUARDRAIL = "guardrail"


class FindingStatus(StrEnum):
    """Open until its source stops reporting it (resolved; reopened if it reports it again) or
    someone suppresses it, with a reason, until a date at most a year away."""

    OPEN = "open"
    RESOLVED = "resolved"
    SUPPRESSED = "suppressed"


class OwaspLlm(StrEnum):
    """OWASP Top 10 for LLM Applications (2025)."""

    LLM01 = "LLM01"  # Prompt Injection
    LLM02 = "LLM02"  # Sensitive Information Disclosure
    LLM03 = "LLM03"  # Supply Chain
    LLM04 = "LLM04"  # Data and Model Poisoning
    LLM05 = "LLM05"  # Improper Output Handling
    LLM06 = "LLM06"  # Excessive Agency
    LLM07 = "LLM07"  # System Prompt Leakage
    LLM08 = "LLM08"  # Vector and Embedding Weaknesses
    LLM09 = "LLM09"  # Misinformation
    LLM10 = "LLM10"  # Unbounded Consumption


class Finding(SQLModel, table=True):
    """One finding; ``fingerprint`` (source, check, app, resource) identifies it across syncs."""

    __table_args__ = (UniqueConstraint("fingerprint"),)

    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(max_length=64)
    app_id: int = Field(foreign_key="app.id", index=True)
    source: FindingSource = Field(sa_type=String(20), index=True)
    check_id: str = Field(max_length=200)
    severity: Severity = Field(sa_type=String(20), index=True)
    title: str = Field(max_length=500)
    detail: str = Field(default="", max_length=4000)
    remediation: str = Field(default="", max_length=2000)
    resource: str = Field(max_length=500)  # e.g. "Deployment support/chat container app"
    owasp: OwaspLlm | None = Field(default=None, sa_type=String(10))
    # Source-specific facts (CVE package and versions, fixable, counts...); never secrets.
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: FindingStatus = Field(default=FindingStatus.OPEN, sa_type=String(20), index=True)
    first_seen: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    resolved_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    suppressed_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    suppression_reason: str | None = Field(default=None, max_length=1000)
    suppressed_by: str | None = Field(default=None, max_length=100)


class FindingEventKind(StrEnum):
    OPENED = "opened"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    SUPPRESSED = "suppressed"
    UNSUPPRESSED = "unsuppressed"
    SUPPRESSION_EXPIRED = "suppression-expired"


class FindingEvent(SQLModel, table=True):
    """The history of a finding: every status change, who made it and why."""

    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="finding.id", index=True)
    at: dt.datetime = Field(sa_type=UTCDateTime)
    kind: FindingEventKind = Field(sa_type=String(30))
    actor: str | None = Field(default=None, max_length=100)  # None: the sync
    note: str | None = Field(default=None, max_length=1000)


class GuardrailRollup(AppRow, table=True):
    """Guardrail events per app x rule x direction x action x hour (from Prometheus)."""

    __table_args__ = (UniqueConstraint("app_id", "rule", "direction", "action", "hour"),)

    rule: str = Field(max_length=100)
    direction: str = Field(max_length=20)
    action: str = Field(max_length=20)
    hour: dt.datetime = Field(sa_type=UTCDateTime, index=True)
    events: float = 0.0


# -- API shapes ------------------------------------------------------------------------------


class FindingPublic(BaseModel):
    id: int
    app: str
    team: str | None
    source: FindingSource
    check_id: str
    severity: Severity
    title: str
    detail: str
    remediation: str
    resource: str
    owasp: OwaspLlm | None
    data: dict[str, Any]
    status: FindingStatus
    first_seen: dt.datetime
    last_seen: dt.datetime
    resolved_at: dt.datetime | None
    suppressed_until: dt.datetime | None
    suppression_reason: str | None
    suppressed_by: str | None


class FindingEventPublic(BaseModel):
    at: dt.datetime
    kind: FindingEventKind
    actor: str | None
    note: str | None


class FindingDetail(FindingPublic):
    history: list[FindingEventPublic]


class SeverityCounts(BaseModel):
    critical: int = 0
    high: int = 0
    medium: int = 0
    low: int = 0
    info: int = 0

    def add(self, severity: str, n: int = 1) -> None:
        setattr(self, severity, getattr(self, severity) + n)


class VulnerabilityCounts(BaseModel):
    """Open Trivy vulnerabilities of an app by severity, and how many have a fix."""

    by_severity: SeverityCounts
    fixable: int
    unfixable: int


class AppSecuritySummary(BaseModel):
    app: str
    team: str | None
    open: SeverityCounts
    by_source: dict[str, SeverityCounts]
    vulnerabilities: VulnerabilityCounts
    freshness: Freshness  # the cluster, where Trivy Operator's reports are read


class TeamCounts(BaseModel):
    team: str | None
    open: SeverityCounts


class FindingPage(BaseModel):
    items: list[FindingPublic]
    total: int
    limit: int
    offset: int
    counts: SeverityCounts  # open findings matching the filters, by severity
    freshness: Freshness  # the cluster, where Trivy Operator's reports are read


class OrgFindingPage(FindingPage):
    teams: list[TeamCounts]


class SuppressRequest(BaseModel):
    reason: str = PydanticField(min_length=3, max_length=1000)
    until: dt.datetime = PydanticField(description="When the suppression expires (aware ISO 8601)")


class GuardrailPoint(BaseModel):
    hour: dt.datetime
    blocked: float
    flagged: float


class GuardrailTrend(BaseModel):
    app: str
    rule: str
    direction: str
    points: list[GuardrailPoint]
    total_blocked: float
    total_flagged: float


class GuardrailReport(BaseModel):
    app: str
    start: dt.datetime
    end: dt.datetime
    trends: list[GuardrailTrend]
    freshness: Freshness  # Prometheus, where guardrail events are counted
