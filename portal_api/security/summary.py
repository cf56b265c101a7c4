"""An app's security posture at a glance: open findings by severity and source, and its
guardrail events hour by hour."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlmodel import Session, col, select

from portal_api.apps.service import get_app
from portal_api.errors import InvalidInputError
from portal_api.security.history import expire_suppressions
from portal_api.security.ingest import VULNERABILITY_KIND
from portal_api.security.models import (
    AppSecuritySummary,
    Finding,
    FindingSource,
    FindingStatus,
    GuardrailPoint,
    GuardrailReport,
    GuardrailRollup,
    GuardrailTrend,
    SeverityCounts,
    VulnerabilityCounts,
)
from portal_api.sync.models import Freshness


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
