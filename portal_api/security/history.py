"""A finding's history: the events of its lifecycle, and suppressions that run out."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from portal_api.security.models import Finding, FindingEvent, FindingEventKind, FindingStatus


def record_event(
    session: Session,
    finding: Finding,
    kind: FindingEventKind,
    now: dt.datetime,
    actor: str | None = None,
    note: str | None = None,
) -> None:
    assert finding.id is not None
    session.add(FindingEvent(finding_id=finding.id, at=now, kind=kind, actor=actor, note=note))


def is_suppressed(finding: Finding, now: dt.datetime) -> bool:
    return finding.suppressed_until is not None and finding.suppressed_until > now


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
        record_event(session, finding, FindingEventKind.SUPPRESSION_EXPIRED, now)
    if expired:
        session.flush()
    return len(expired)
