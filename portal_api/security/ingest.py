"""Ingest: bring stored findings in line with what a source reports now, and store the
guardrail event counts read from Prometheus."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from portal_api.kit.fields import copy_into
from portal_api.kit.tally import Tally
from portal_api.security.history import is_suppressed, record_event
from portal_api.security.models import (
    Finding,
    FindingEventKind,
    FindingSource,
    FindingStatus,
    GuardrailRollup,
    OwaspLlm,
    Severity,
)

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


@dataclass(frozen=True)
class Check:
    """What every finding of one kind says, wherever it is found: id, severity, title, fix."""

    id: str
    severity: Severity
    title: str
    remediation: str
    owasp: OwaspLlm | None = None

    def finding(
        self,
        source: FindingSource,
        app_id: int,
        resource: str,
        detail: str,
        data: dict[str, Any] | None = None,
    ) -> FindingDraft:
        """This check's finding on one resource of an app."""
        return FindingDraft(
            app_id=app_id,
            source=source,
            check_id=self.id,
            severity=self.severity,
            title=self.title,
            resource=resource,
            detail=detail,
            remediation=self.remediation,
            owasp=self.owasp,
            data=data if data is not None else {},
        )


def reconcile_findings(
    *,
    session: Session,
    source: FindingSource,
    drafts: Iterable[FindingDraft],
    now: dt.datetime,
    in_scope: Callable[[Finding], bool] | None = None,
) -> Tally:
    """Bring the stored findings of one source in line with what it reports now.

    A new finding opens; one reported again updates its facts and last_seen (and reopens if
    it was resolved); one of this source (and ``in_scope``) no longer reported is resolved.
    Nothing is deleted: each change is an event in the finding's history.

    Returns:
        The findings reported, and how many of them opened, reopened and resolved.
    """
    result = Tally("findings", "opened", "reopened", "resolved")
    by_fp: dict[str, FindingDraft] = {}
    for draft in drafts:
        by_fp[draft.fingerprint] = draft
    result["findings"] = len(by_fp)
    existing = {
        f.fingerprint: f
        for f in session.exec(select(Finding).where(Finding.source == source)).all()
        if in_scope is None or in_scope(f)
    }
    for fp, draft in by_fp.items():
        finding = existing.get(fp)
        kind: FindingEventKind | None = None
        if finding is None:
            # The draft's facts, stored (trimmed) below as for a finding seen again.
            finding = copy_into(
                Finding, draft, fingerprint=fp, source=source, first_seen=now, last_seen=now
            )
            kind = FindingEventKind.OPENED
            result["opened"] += 1
        elif finding.status == FindingStatus.RESOLVED:
            kind = FindingEventKind.REOPENED
            result["reopened"] += 1
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
                FindingStatus.SUPPRESSED if is_suppressed(finding, now) else FindingStatus.OPEN
            )
        session.add(finding)
        if kind is not None:
            session.flush()
            record_event(session, finding, kind, now)
    for fp, finding in existing.items():
        if fp not in by_fp and finding.status != FindingStatus.RESOLVED:
            finding.status = FindingStatus.RESOLVED
            finding.resolved_at = now
            session.add(finding)
            record_event(
                session, finding, FindingEventKind.RESOLVED, now, note="no longer reported"
            )
            result["resolved"] += 1
    session.flush()
    return result


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
