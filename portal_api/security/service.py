"""Findings as people work them: suppress and lift, read one with its history, list them
per app and org-wide (most severe first, with open counts)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.apps.service import get_app
from portal_api.errors import InvalidInputError, NotFoundError
from portal_api.kit.fields import copy_into
from portal_api.pagination import PageParams, Window, paginate
from portal_api.security.history import expire_suppressions, record_event
from portal_api.security.models import (
    Finding,
    FindingDetail,
    FindingEvent,
    FindingEventKind,
    FindingEventPublic,
    FindingPage,
    FindingPublic,
    FindingSource,
    FindingStatus,
    OrgFindingPage,
    OwaspLlm,
    Severity,
    SeverityCounts,
    TeamCounts,
)
from portal_api.sync.models import Freshness

MAX_SUPPRESSION = dt.timedelta(days=366)


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
    record_event(
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
    record_event(session, finding, FindingEventKind.UNSUPPRESSED, now, actor=actor)
    session.flush()
    return get_finding_detail(session=session, finding_id=finding_id)


def _public(finding: Finding, app: App) -> FindingPublic:
    assert finding.id is not None
    return copy_into(FindingPublic, finding, app=app.name, team=app.team)


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
) -> tuple[list[FindingPublic], Window[Any], SeverityCounts, dict[str | None, Any]]:
    ordered = base.order_by(_SEVERITY_RANK, col(Finding.last_seen).desc(), col(Finding.id))
    window = paginate(ordered, page, session=session)
    counts, teams = _open_counts(session, base)
    return [_public(f, a) for f, a in window.rows], window, counts, teams


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
    items, window, counts, _ = _page(session, base, page)
    return copy_into(FindingPage, window, items=items, counts=counts, freshness=freshness)


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
    items, window, counts, teams = _page(session, base, page)
    return copy_into(
        OrgFindingPage,
        window,
        freshness=freshness,
        items=items,
        counts=counts,
        teams=[
            TeamCounts(team=t, open=c)
            for t, c in sorted(teams.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
        ],
    )
