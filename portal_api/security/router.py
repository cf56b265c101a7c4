"""Routes of the security domain: findings per app and org-wide, suppression, guardrail
trends, and the guard API."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from portal_api.db import MAX_ID, utcnow
from portal_api.deps import IngestCaller, PageDep, ReadCaller, SessionDep, SettingsDep
from portal_api.params import AdminWriteDep, AppName, PrometheusReadDep, TeamFilter, window
from portal_api.security import service, summary
from portal_api.security.guard import remote
from portal_api.security.guard.engine import Guard, cached_guard, new_canary
from portal_api.security.guard.models import (
    GuardBatchRequest,
    GuardBatchResult,
    GuardRequest,
    GuardResult,
)
from portal_api.security.models import (
    AppSecuritySummary,
    FindingDetail,
    FindingPage,
    FindingSource,
    FindingStatus,
    GuardrailReport,
    OrgFindingPage,
    OwaspLlm,
    Severity,
    SuppressRequest,
)
from portal_api.sync.deps import KubernetesFreshness

router = APIRouter(tags=["security"])
guard_router = APIRouter(prefix="/guard", tags=["guard"])

FindingId = Annotated[int, Path(ge=1, le=MAX_ID, description="Finding id")]
SeverityQuery = Annotated[
    list[Severity] | None, Query(description="Only these severities (repeatable)")
]


def finding_filter(
    severity: SeverityQuery = None,
    source: FindingSource | None = None,
    status: FindingStatus | None = None,
    owasp: OwaspLlm | None = None,
) -> service.FindingFilter:
    return service.FindingFilter(severity=severity, source=source, status=status, owasp=owasp)


Filters = Annotated[service.FindingFilter, Depends(finding_filter)]


@router.get("/apps/{app}/findings", response_model=FindingPage)
def list_app_findings(
    session: SessionDep,
    fresh: KubernetesFreshness,
    _: ReadCaller,
    app: AppName,
    filters: Filters,
    page: PageDep,
) -> FindingPage:
    """An app's security findings, most severe first, with open counts by severity."""
    return service.list_app_findings(
        session=session, app=app, filters=filters, page=page, now=utcnow(), freshness=fresh
    )


@router.get("/apps/{app}/security", response_model=AppSecuritySummary)
def app_security_summary(
    session: SessionDep, fresh: KubernetesFreshness, _: ReadCaller, app: AppName
) -> AppSecuritySummary:
    """Open findings of an app by severity and source; its vulnerabilities fixable or not."""
    return summary.app_summary(session=session, app=app, now=utcnow(), freshness=fresh)


@router.get("/apps/{app}/guardrails", response_model=GuardrailReport)
def app_guardrails(
    read: PrometheusReadDep,
    app: AppName,
    start: Annotated[dt.datetime | None, Query(description="Default: 7 days before end")] = None,
    end: Annotated[dt.datetime | None, Query(description="Default: now")] = None,
) -> GuardrailReport:
    """Blocked and flagged guardrail events per rule and direction, hour by hour."""
    span = window(start, end, default_end=utcnow(), days=7)
    return summary.guardrail_report(**read, **span, app=app)


@router.get("/findings", response_model=OrgFindingPage)
def list_findings(
    session: SessionDep,
    fresh: KubernetesFreshness,
    _: ReadCaller,
    filters: Filters,
    team: TeamFilter,
    page: PageDep,
) -> OrgFindingPage:
    """Findings of every app, with open counts per team."""
    return service.list_findings(
        session=session,
        filters=dataclasses.replace(filters, team=team),
        page=page,
        now=utcnow(),
        freshness=fresh,
    )


@router.get("/findings/{finding_id}", response_model=FindingDetail)
def get_finding(session: SessionDep, _: ReadCaller, finding_id: FindingId) -> FindingDetail:
    """One finding with its history (opened, resolved, reopened, suppressed...)."""
    return service.get_finding_detail(session=session, finding_id=finding_id)


@router.post("/findings/{finding_id}/suppress", response_model=FindingDetail)
def suppress_finding(
    write: AdminWriteDep, finding_id: FindingId, data: SuppressRequest
) -> FindingDetail:
    """Suppress a finding until a given time, with a reason (admin)."""
    return service.suppress_finding(
        **write, finding_id=finding_id, reason=data.reason, until=data.until
    )


@router.post("/findings/{finding_id}/unsuppress", response_model=FindingDetail)
def unsuppress_finding(write: AdminWriteDep, finding_id: FindingId) -> FindingDetail:
    """Lift a finding's suppression (admin)."""
    return service.unsuppress_finding(**write, finding_id=finding_id)


# The guard is called by workloads in front of every model call: the machine clients that
# hold ingest tokens. It reads no portal data, so it does not need (or grant) read access.


def configured_guard(settings: SettingsDep) -> Guard:
    """The guard compiled for the settings (one per configuration)."""
    return cached_guard(
        tuple(settings.guard_deny_list),
        tuple(settings.guard_canary_tokens),
        settings.guard_block_pii_in_output,
        remote.from_settings(settings),
    )


GuardDep = Annotated[Guard, Depends(configured_guard)]


def _guard_json(result: GuardResult | GuardBatchResult) -> Response:
    """The guard's own result, serialised once: returned as a model, it would be dumped,
    validated again against the response model and dumped again, per text and per scanner."""
    return Response(result.model_dump_json(), media_type="application/json")


@guard_router.post("/check", response_model=GuardResult)
def guard_check(_: IngestCaller, guard: GuardDep, data: GuardRequest) -> Response:
    """Scan one text going to (input) or coming from (output) a model; verdict per scanner."""
    return _guard_json(guard.check_request(data))


@guard_router.post("/check/batch", response_model=GuardBatchResult)
def guard_check_batch(_: IngestCaller, guard: GuardDep, data: GuardBatchRequest) -> Response:
    """Scan many texts at once (up to 256); one result per text, in order."""
    return _guard_json(guard.check_batch(data))


@guard_router.post("/canary", response_model=dict[str, str])
def guard_canary(_: IngestCaller) -> dict[str, str]:
    """A fresh canary token to plant in a system prompt and pass back in ``canaries``."""
    return {"canary": new_canary()}
