"""The finding lifecycle: open, resolve, reopen, suppress with expiry; history kept."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from portal_api.db import Database
from portal_api.errors import InvalidInputError, NotFoundError
from portal_api.pagination import PageParams
from portal_api.security import history, ingest, service
from portal_api.security.ingest import FindingDraft
from portal_api.security.models import (
    Finding,
    FindingPage,
    FindingSource,
    FindingStatus,
    OwaspLlm,
    Severity,
)
from portal_api.security.service import FindingFilter
from portal_api.sync.models import Freshness
from tests.factories import make_app

FRESH = Freshness(source="kubernetes", as_of=None, stale=False)
T0 = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _draft(
    app_id: int, check: str, severity: Severity = Severity.HIGH, **kw: object
) -> FindingDraft:
    return FindingDraft(
        app_id=app_id,
        source=kw.pop("source", FindingSource.POSTURE),  # type: ignore[arg-type]
        check_id=check,
        severity=severity,
        title=f"title {check}",
        resource=str(kw.pop("resource", "Deployment ns/app")),
        **kw,  # type: ignore[arg-type]
    )


def _reconcile(
    session: Session, drafts: list[FindingDraft], now: dt.datetime
) -> ingest.ReconcileResult:
    return ingest.reconcile_findings(
        session=session, source=FindingSource.POSTURE, drafts=drafts, now=now
    )


def _one(session: Session, check: str) -> Finding:
    return session.exec(select(Finding).where(Finding.check_id == check)).one()


def _app_findings(session: Session, app: str, filters: FindingFilter) -> FindingPage:
    """The first page of an app's findings at T0, as the API lists them."""
    return service.list_app_findings(
        session=session, app=app, filters=filters, page=PageParams(), now=T0, freshness=FRESH
    )


def _open_finding(session: Session) -> tuple[int, int]:
    """An app with one open posture finding ``A`` since T0: the app's id and the finding's."""
    app = make_app(session, now=T0)
    assert app.id is not None
    _reconcile(session, [_draft(app.id, "A")], T0)
    fid = _one(session, "A").id
    assert fid is not None
    return app.id, fid


def test_lifecycle_open_resolve_reopen_with_history(db: Database) -> None:
    with db.session_scope() as session:
        app = make_app(session, now=T0)
        assert app.id is not None
        first = _reconcile(session, [_draft(app.id, "A"), _draft(app.id, "B")], T0)
        assert (first["opened"], first["resolved"]) == (2, 0)
        second = _reconcile(session, [_draft(app.id, "A", Severity.CRITICAL)], T0 + DAY)
        assert (second["opened"], second["resolved"]) == (0, 1)
        a, b = _one(session, "A"), _one(session, "B")
        assert a.severity == Severity.CRITICAL  # facts follow the latest report
        assert a.last_seen == T0 + DAY
        assert b.status == FindingStatus.RESOLVED
        assert b.resolved_at == T0 + DAY
        third = _reconcile(session, [_draft(app.id, "A"), _draft(app.id, "B")], T0 + 2 * DAY)
        assert third["reopened"] == 1
        assert b.id is not None
        detail = service.get_finding_detail(session=session, finding_id=b.id)
    assert detail.status == FindingStatus.OPEN
    assert detail.first_seen == T0
    assert detail.resolved_at is None
    assert [(e.kind, e.at) for e in detail.history] == [
        ("opened", T0),
        ("resolved", T0 + DAY),
        ("reopened", T0 + 2 * DAY),
    ]


def test_scope_limits_what_a_source_resolves(db: Database) -> None:
    with db.session_scope() as session:
        app = make_app(session, now=T0)
        assert app.id is not None
        _reconcile(session, [_draft(app.id, "A"), _draft(app.id, "B")], T0)
        ingest.reconcile_findings(
            session=session,
            source=FindingSource.POSTURE,
            drafts=[],
            now=T0 + DAY,
            in_scope=lambda f: f.check_id == "A",
        )
        # Another source never touches posture findings.
        ingest.reconcile_findings(
            session=session, source=FindingSource.TRIVY, drafts=[], now=T0 + DAY
        )
        assert _one(session, "A").status == FindingStatus.RESOLVED
        assert _one(session, "B").status == FindingStatus.OPEN


def test_suppression_lasts_until_expiry_and_survives_resolve_and_reopen(db: Database) -> None:
    with db.session_scope() as session:
        app_id, fid = _open_finding(session)
        detail = service.suppress_finding(
            session=session,
            finding_id=fid,
            reason="accepted risk: internal only",
            until=T0 + 10 * DAY,
            actor="alice",
            now=T0,
        )
        assert detail.status == FindingStatus.SUPPRESSED
        assert detail.suppressed_by == "alice"
        # Reported again while suppressed: stays suppressed.
        _reconcile(session, [_draft(app_id, "A")], T0 + DAY)
        assert _one(session, "A").status == FindingStatus.SUPPRESSED
        # Gone, then back before expiry: suppressed again, not open.
        _reconcile(session, [], T0 + 2 * DAY)
        assert _one(session, "A").status == FindingStatus.RESOLVED
        _reconcile(session, [_draft(app_id, "A")], T0 + 3 * DAY)
        assert _one(session, "A").status == FindingStatus.SUPPRESSED
        # Expiry: open again, with an event.
        assert history.expire_suppressions(session=session, now=T0 + 10 * DAY) == 1
        assert _one(session, "A").status == FindingStatus.OPEN
        kinds = [
            e.kind for e in service.get_finding_detail(session=session, finding_id=fid).history
        ]
    assert kinds == [
        "opened",
        "suppressed",
        "resolved",
        "reopened",
        "suppression-expired",
    ]


def test_unsuppress(db: Database) -> None:
    with db.session_scope() as session:
        _, fid = _open_finding(session)
        with pytest.raises(InvalidInputError, match="not suppressed"):
            service.unsuppress_finding(session=session, finding_id=fid, actor="bob", now=T0)
        service.suppress_finding(
            session=session,
            finding_id=fid,
            reason="later",
            until=T0 + DAY,
            actor="bob",
            now=T0,
        )
        detail = service.unsuppress_finding(session=session, finding_id=fid, actor="bob", now=T0)
    assert detail.status == FindingStatus.OPEN
    assert detail.suppressed_until is None
    assert [e.kind for e in detail.history][-1] == "unsuppressed"


@pytest.mark.parametrize(
    ("until", "message"),
    [
        (T0 - DAY, "in the future"),
        (T0, "in the future"),
        (T0 + 400 * DAY, "at most one year"),
        (dt.datetime(2026, 12, 1), "timezone"),
    ],
)
def test_bad_suppressions_are_refused_and_change_nothing(
    db: Database, until: dt.datetime, message: str
) -> None:
    with db.session_scope() as session:
        _, fid = _open_finding(session)
        with pytest.raises(InvalidInputError, match=message):
            service.suppress_finding(
                session=session, finding_id=fid, reason="why not", until=until, actor="x", now=T0
            )
        finding = _one(session, "A")
        assert finding.status == FindingStatus.OPEN
        assert finding.suppressed_until is None
        with pytest.raises(NotFoundError):
            service.suppress_finding(
                session=session,
                finding_id=fid + 1000,
                reason="why not",
                until=T0 + DAY,
                actor="x",
                now=T0,
            )


def test_lists_filter_sort_and_count(db: Database) -> None:
    with db.session_scope() as session:
        chat = make_app(session, name="chat", team="care", now=T0)
        search = make_app(session, name="search", team="discovery", now=T0)
        assert chat.id is not None
        assert search.id is not None
        _reconcile(
            session,
            [
                _draft(chat.id, "LOW", Severity.LOW),
                _draft(chat.id, "CRIT", Severity.CRITICAL, owasp=OwaspLlm.LLM02),
                _draft(chat.id, "MED", Severity.MEDIUM, owasp=OwaspLlm.LLM06),
                _draft(search.id, "HIGH", Severity.HIGH),
            ],
            T0,
        )
        page = _app_findings(session, "chat", FindingFilter())
        assert [f.check_id for f in page.items] == ["CRIT", "MED", "LOW"]
        assert page.counts.model_dump() == {
            "critical": 1,
            "high": 0,
            "medium": 1,
            "low": 1,
            "info": 0,
        }
        only = _app_findings(session, "chat", FindingFilter(owasp=OwaspLlm.LLM06))
        assert [f.check_id for f in only.items] == ["MED"]
        org = service.list_findings(
            session=session,
            filters=FindingFilter(severity=[Severity.CRITICAL, Severity.HIGH]),
            page=PageParams(limit=1),
            now=T0,
            freshness=FRESH,
        )
        assert org.total == 2
        assert [f.check_id for f in org.items] == ["CRIT"]
        assert {t.team: (t.open.critical, t.open.high) for t in org.teams} == {
            "care": (1, 0),
            "discovery": (0, 1),
        }
        with pytest.raises(NotFoundError):
            _app_findings(session, "nope", FindingFilter())
