"""Findings: reconcile what a source reports now, suppress, and read (per app, org-wide)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.apps.service import get_app
from portal_api.errors import InvalidInputError, NotFoundError
from portal_api.pagination import PageParams, paginate
from portal_api.security.models import (
    AppSecuritySummary,
    Finding,
    FindingDetail,
    FindingEvent,
    FindingEventKind,
    FindingEventPublic,
    FindingPage,
    FindingPublic,
    FindingSource,
    FindingStatus,
    GuardrailPoint,
    GuardrailReport,
    GuardrailRollup,
    GuardrailTrend,
    OrgFindingPage,
    OwaspLlm,
    Severity,
    SeverityCounts,
    TeamCounts,
    VulnerabilityCounts,
)
from portal_api.sync.models import Freshness

log = logging.getLogger(__name__)

MAX_SUPPRESSION = dt.timedelta(days=366)
VULNERABILITY_KIND = "vulnerability"


@dataclass
class FindingDraft:
    """A finding as a source reports it now, before it meets its stored history."""

    app_id: int
    source: FindingSource
    check_id: str
    severity: Severity
    title: str
    resource: str
    detail: str = ""
    remediation: str = ""
    owasp: OwaspLlm | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        key = f"{self.source}\x1f{self.check_id}\x1f{self.app_id}\x1f{self.resource}"
        return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class ReconcileResult:
    reported: int = 0
    opened: int = 0
    reopened: int = 0
    resolved: int = 0


def _event(
    session: Session,
    finding: Finding,
    kind: FindingEventKind,
    now: dt.datetime,
    actor: str | None = None,
    note: str | None = None,
) -> None:
    assert finding.id is not None
    session.add(FindingEvent(finding_id=finding.id, at=now, kind=kind, actor=actor, note=note))


def _suppressed(finding: Finding, now: dt.datetime) -> bool:
    return finding.suppressed_until is not None and finding.suppressed_until > now


def reconcile_findings(
    *,
    session: Session,
    source: FindingSource,
    drafts: Iterable[FindingDraft],
    now: dt.datetime,
    in_scope: Callable[[Finding], bool] | None = None,
) -> ReconcileResult:
    """Bring the stored findings of one source in line with what it reports now.

    A new finding opens; one reported again updates its facts and last_seen (and reopens if
    it was resolved); one of this source (and ``in_scope``) no longer reported is resolved.
    Nothing is deleted: each change is an event in the finding's history.
    """
    result = ReconcileResult()
    by_fp: dict[str, FindingDraft] = {}
    for draft in drafts:
        by_fp[draft.fingerprint] = draft
    result.reported = len(by_fp)
    existing = {
        f.fingerprint: f
        for f in session.exec(select(Finding).where(Finding.source == source)).all()
        if in_scope is None or in_scope(f)
    }
    for fp, draft in by_fp.items():
        finding = existing.get(fp)
        kind: FindingEventKind | None = None
        if finding is None:
            finding = Finding(
                fingerprint=fp,
                app_id=draft.app_id,
                source=source,
                check_id=draft.check_id,
                resource=draft.resource,
                severity=draft.severity,
                title=draft.title,
                first_seen=now,
                last_seen=now,
            )
            kind = FindingEventKind.OPENED
            result.opened += 1
        elif finding.status == FindingStatus.RESOLVED:
            kind = FindingEventKind.REOPENED
            result.reopened += 1
        finding.severity = draft.severity
        finding.title = draft.title[:500]
        finding.detail = draft.detail[:4000]
        finding.remediation = draft.remediation[:2000]
        finding.owasp = draft.owasp
        finding.data = draft.data
        finding.last_seen = now
        if finding.status == FindingStatus.RESOLVED or kind == FindingEventKind.OPENED:
            finding.resolved_at = None
            finding.status = (
                FindingStatus.SUPPRESSED if _suppressed(finding, now) else FindingStatus.OPEN
            )
        session.add(finding)
        if kind is not None:
            session.flush()
            _event(session, finding, kind, now)
    for fp, finding in existing.items():
        if fp not in by_fp and finding.status != FindingStatus.RESOLVED:
            finding.status = FindingStatus.RESOLVED
            finding.resolved_at = now
            session.add(finding)
            _event(session, finding, FindingEventKind.RESOLVED, now, note="no longer reported")
            result.resolved += 1
    session.flush()
    return result


def expire_suppressions(*, session: Session, now: dt.datetime) -> int:
    """Suppressions past their expiry end: the finding is open again."""
    expired = session.exec(
        select(Finding).where(
            Finding.status == FindingStatus.SUPPRESSED,
            col(Finding.suppressed_until) <= now,
        )
    ).all()
    for finding in expired:
        finding.status = FindingStatus.OPEN
        session.add(finding)
        _event(session, finding, FindingEventKind.SUPPRESSION_EXPIRED, now)
    if expired:
        session.flush()
    return len(expired)


def _get_finding(session: Session, finding_id: int) -> Finding:
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFoundError(f"no finding with id {finding_id}")
    return finding


def suppress_finding(
    *,
    session: Session,
    finding_id: int,
    reason: str,
    until: dt.datetime,
    actor: str,
    now: dt.datetime,
) -> FindingDetail:
    """Suppress a finding until a given time, with a reason (kept in its history).

    Raises:
        NotFoundError: no finding has that id.
        InvalidInputError: the expiry is not in the future or more than a year away.
    """
    if until.tzinfo is None:
        raise InvalidInputError("until must carry a timezone (e.g. 2027-01-31T00:00:00Z)")
    if until <= now:
        raise InvalidInputError("until must be in the future")
    if until - now > MAX_SUPPRESSION:
        raise InvalidInputError("a suppression may last at most one year")
    if not reason.strip():
        raise InvalidInputError("reason must not be blank")
    finding = _get_finding(session, finding_id)
    finding.suppressed_until = until.astimezone(dt.UTC)
    finding.suppression_reason = reason.strip()
    finding.suppressed_by = actor
    if finding.status == FindingStatus.OPEN:
        finding.status = FindingStatus.SUPPRESSED
    session.add(finding)
    session.flush()
    _event(
        session,
        finding,
        FindingEventKind.SUPPRESSED,
        now,
        actor=actor,
        note=f"until {finding.suppressed_until.isoformat()}: {finding.suppression_reason}"[:1000],
    )
    session.flush()
    return get_finding_detail(session=session, finding_id=finding_id)


def unsuppress_finding(
    *, session: Session, finding_id: int, actor: str, now: dt.datetime
) -> FindingDetail:
    """Lift a suppression; an active finding is open again.

    Raises:
        NotFoundError: no finding has that id.
        InvalidInputError: the finding is not suppressed.
    """
    finding = _get_finding(session, finding_id)
    if finding.suppressed_until is None:
        raise InvalidInputError(f"finding {finding_id} is not suppressed")
    finding.suppressed_until = None
    finding.suppression_reason = None
    finding.suppressed_by = None
    if finding.status == FindingStatus.SUPPRESSED:
        finding.status = FindingStatus.OPEN
    session.add(finding)
    _event(session, finding, FindingEventKind.UNSUPPRESSED, now, actor=actor)
    session.flush()
    return get_finding_detail(session=session, finding_id=finding_id)


# -- reads -----------------------------------------------------------------------------------


def _public(finding: Finding, app: App) -> FindingPublic:
    assert finding.id is not None
    return FindingPublic(
        id=finding.id,
        app=app.name,
        team=app.team,
        source=finding.source,
        check_id=finding.check_id,
        severity=finding.severity,
        title=finding.title,
        detail=finding.detail,
        remediation=finding.remediation,
        resource=finding.resource,
        owasp=finding.owasp,
        data=finding.data,
        status=finding.status,
        first_seen=finding.first_seen,
        last_seen=finding.last_seen,
        resolved_at=finding.resolved_at,
        suppressed_until=finding.suppressed_until,
        suppression_reason=finding.suppression_reason,
        suppressed_by=finding.suppressed_by,
    )


def get_finding_detail(*, session: Session, finding_id: int) -> FindingDetail:
    """One finding with its history.

    Raises:
        NotFoundError: no finding has that id.
    """
    finding = _get_finding(session, finding_id)
    app = session.get(App, finding.app_id)
    assert app is not None
    events = session.exec(
        select(FindingEvent)
        .where(FindingEvent.finding_id == finding_id)
        .order_by(col(FindingEvent.at), col(FindingEvent.id))
    ).all()
    return FindingDetail(
        **_public(finding, app).model_dump(),
        history=[
            FindingEventPublic(at=e.at, kind=e.kind, actor=e.actor, note=e.note) for e in events
        ],
    )


_SEVERITY_RANK = case(
    {s.value: i for i, s in enumerate(Severity)}, value=col(Finding.severity), else_=99
)


@dataclass
class FindingFilter:
    severity: list[Severity] | None = None
    source: FindingSource | None = None
    status: FindingStatus | None = None
    owasp: OwaspLlm | None = None
    team: str | None = None


def _filtered(query: Any, filters: FindingFilter) -> Any:
    if filters.severity:
        query = query.where(col(Finding.severity).in_([s.value for s in filters.severity]))
    if filters.source is not None:
        query = query.where(Finding.source == filters.source)
    if filters.status is not None:
        query = query.where(Finding.status == filters.status)
    if filters.owasp is not None:
        query = query.where(Finding.owasp == filters.owasp)
    if filters.team is not None:
        query = query.where(App.team == filters.team)
    return query


def _open_counts(session: Session, base: Any) -> tuple[SeverityCounts, dict[str | None, Any]]:
    rows = session.exec(
        base.where(Finding.status == FindingStatus.OPEN)
        .with_only_columns(App.team, Finding.severity, func.count())
        .group_by(App.team, Finding.severity)
        .order_by(None)
    ).all()
    total = SeverityCounts()
    teams: dict[str | None, SeverityCounts] = defaultdict(SeverityCounts)
    for team, severity, n in rows:
        total.add(str(severity), n)
        teams[team].add(str(severity), n)
    return total, teams


def _page(
    session: Session, base: Any, page: PageParams
) -> tuple[list[FindingPublic], int, SeverityCounts, dict[str | None, Any]]:
    ordered = base.order_by(_SEVERITY_RANK, col(Finding.last_seen).desc(), col(Finding.id))
    window = paginate(ordered, page, session=session)
    counts, teams = _open_counts(session, base)
    return [_public(f, a) for f, a in window.rows], window.total, counts, teams


def list_app_findings(
    *,
    session: Session,
    app: str,
    filters: FindingFilter,
    page: PageParams,
    now: dt.datetime,
    freshness: Freshness,
) -> FindingPage:
    """One app's findings, most severe first.

    Raises:
        NotFoundError: no app has that name.
    """
    row = get_app(session=session, name=app)
    expire_suppressions(session=session, now=now)
    base = _filtered(
        select(Finding, App)
        .join(App, col(App.id) == col(Finding.app_id))
        .where(Finding.app_id == row.id),
        filters,
    )
    items, total, counts, _ = _page(session, base, page)
    return FindingPage(
        items=items,
        total=total,
        limit=page.limit,
        offset=page.offset,
        counts=counts,
        freshness=freshness,
    )


def list_findings(
    *,
    session: Session,
    filters: FindingFilter,
    page: PageParams,
    now: dt.datetime,
    freshness: Freshness,
) -> OrgFindingPage:
    """Findings of every app, with open counts per team."""
    expire_suppressions(session=session, now=now)
    base = _filtered(select(Finding, App).join(App, col(App.id) == col(Finding.app_id)), filters)
    items, total, counts, teams = _page(session, base, page)
    return OrgFindingPage(
        freshness=freshness,
        items=items,
        total=total,
        limit=page.limit,
        offset=page.offset,
        counts=counts,
        teams=[
            TeamCounts(team=t, open=c)
            for t, c in sorted(teams.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
        ],
    )


def app_summary(
    *, session: Session, app: str, now: dt.datetime, freshness: Freshness
) -> AppSecuritySummary:
    """Open findings of one app by severity and source; Trivy vulnerabilities fixable or not.

    Raises:
        NotFoundError: no app has that name.
    """
    row = get_app(session=session, name=app)
    expire_suppressions(session=session, now=now)
    findings = session.exec(
        select(Finding).where(Finding.app_id == row.id, Finding.status == FindingStatus.OPEN)
    ).all()
    total = SeverityCounts()
    by_source: dict[str, SeverityCounts] = {}
    vulns = SeverityCounts()
    fixable = unfixable = 0
    for f in findings:
        total.add(f.severity)
        by_source.setdefault(str(f.source), SeverityCounts()).add(f.severity)
        if f.source == FindingSource.TRIVY and f.data.get("kind") == VULNERABILITY_KIND:
            vulns.add(f.severity)
            if f.data.get("fixed_version"):
                fixable += 1
            else:
                unfixable += 1
    return AppSecuritySummary(
        freshness=freshness,
        app=row.name,
        team=row.team,
        open=total,
        by_source=by_source,
        vulnerabilities=VulnerabilityCounts(
            by_severity=vulns, fixable=fixable, unfixable=unfixable
        ),
    )


# -- guardrail rollups -----------------------------------------------------------------------


def upsert_guardrail_rollups(
    *, session: Session, rows: Iterable[tuple[int, str, str, str, dt.datetime, float]]
) -> int:
    """Store hourly event counts; a re-read hour replaces what was stored (idempotent)."""
    wanted = {(a, r, d, act, h): v for a, r, d, act, h, v in rows}
    if not wanted:
        return 0
    hours = {k[4] for k in wanted}
    existing = {
        (g.app_id, g.rule, g.direction, g.action, g.hour): g
        for g in session.exec(
            select(GuardrailRollup).where(
                col(GuardrailRollup.hour) >= min(hours), col(GuardrailRollup.hour) <= max(hours)
            )
        ).all()
    }
    for key, value in wanted.items():
        row = existing.get(key)
        if row is None:
            app_id, rule, direction, action, hour = key
            row = GuardrailRollup(
                app_id=app_id, rule=rule, direction=direction, action=action, hour=hour
            )
        row.events = value
        session.add(row)
    session.flush()
    return len(wanted)


def guardrail_report(
    *, session: Session, app: str, start: dt.datetime, end: dt.datetime, freshness: Freshness
) -> GuardrailReport:
    """Blocked and flagged events per rule and direction, hour by hour, in [start, end).

    Raises:
        NotFoundError: no app has that name.
        InvalidInputError: the range is empty or longer than 92 days.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInputError("start and end must carry a timezone")
    if end <= start:
        raise InvalidInputError("end must be after start")
    if end - start > dt.timedelta(days=92):
        raise InvalidInputError("the range may span at most 92 days")
    row = get_app(session=session, name=app)
    rollups = session.exec(
        select(GuardrailRollup)
        .where(
            GuardrailRollup.app_id == row.id,
            col(GuardrailRollup.hour) >= start,
            col(GuardrailRollup.hour) < end,
        )
        .order_by(col(GuardrailRollup.hour))
    ).all()
    grouped: dict[tuple[str, str], dict[dt.datetime, GuardrailPoint]] = defaultdict(dict)
    for r in rollups:
        points = grouped[(r.rule, r.direction)]
        point = points.setdefault(r.hour, GuardrailPoint(hour=r.hour, blocked=0, flagged=0))
        if r.action == "blocked":
            point.blocked += r.events
        else:
            point.flagged += r.events
    trends = []
    for (rule, direction), points in sorted(grouped.items()):
        series = sorted(points.values(), key=lambda p: p.hour)
        trends.append(
            GuardrailTrend(
                app=row.name,
                rule=rule,
                direction=direction,
                points=series,
                total_blocked=sum(p.blocked for p in series),
                total_flagged=sum(p.flagged for p in series),
            )
        )
    return GuardrailReport(app=row.name, start=start, end=end, trends=trends, freshness=freshness)
