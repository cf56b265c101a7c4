"""Each readiness check against data that passes, fails, and is unknown (source off), on
both databases; levels from the scorecard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from sqlmodel import select

from portal_api.db import Database
from portal_api.prompts.models import PromptDeployment
from portal_api.readiness import service
from portal_api.readiness.checks import CHECKS
from portal_api.readiness.models import CheckResult, CheckStatus
from portal_api.readiness.scorecard import load_scorecard
from portal_api.security.models import Severity
from portal_api.sync.models import SourceStatus
from tests.factories import make_app
from tests.readiness.factories import BREAK, NOW, ready_app, synced, vulnerability

ON = {"kubernetes": True, "prometheus": True}
OFF = {"kubernetes": False, "prometheus": False}
SCORECARD = load_scorecard()


def results(
    db: Database, app: str = "chat", configured: Mapping[str, bool] = ON
) -> dict[str, CheckResult]:
    with db.session() as session:
        scored = service.score_apps(
            session=session,
            apps=[a for a in _apps(session) if a.name == app],
            scorecard=SCORECARD,
            now=NOW,
            configured=configured,
        )
    return {r.id: r for r in scored[0].results}


def _apps(session):  # type: ignore[no-untyped-def]
    from portal_api.apps.models import App

    return session.exec(select(App)).all()


def test_every_check_is_scored_once() -> None:
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids)) == 21
    assert {c.pillar for c in CHECKS} == {
        "observability",
        "quality",
        "security",
        "reliability",
        "cost",
    }
    # The shipped scorecard places every check in exactly one level.
    assert sorted(c for lv in SCORECARD.levels for c in lv.checks) == sorted(ids)


def test_a_ready_app_passes_every_check_and_reaches_gold(db: Database) -> None:
    with db.session_scope() as session:
        synced(session)
        ready_app(session)
    scored = results(db)
    failing = {k: v.why for k, v in scored.items() if v.status != CheckStatus.PASS}
    assert failing == {}
    assert scored["OBS-GENAI-METRICS"].why == "120 requests and 59,000 tokens in the last 24 h."
    assert scored["COST-PER-REQUEST-TREND"].why.startswith("Cost per request $0.01050, +5 %")
    assert all(r.evidence for r in scored.values() if r.id != "OBS-BUDGET-ALERTS")
    with db.session() as session:
        (s,) = service.score_apps(
            session=session, apps=_apps(session), scorecard=SCORECARD, now=NOW, configured=ON
        )
    assert (s.level, s.score) == ("gold", 100)


@pytest.mark.parametrize("check_id", sorted(BREAK))
def test_each_check_fails_on_its_own_evidence(db: Database, check_id: str) -> None:
    with db.session_scope() as session:
        synced(session)
        app = ready_app(session)
        BREAK[check_id](session, app)
    scored = results(db)
    assert scored[check_id].status == CheckStatus.FAIL, scored[check_id].why
    assert scored[check_id].why
    assert scored[check_id].fix
    # Only the checks that share the broken evidence fail with it.
    others = {k for k, v in scored.items() if v.status != CheckStatus.PASS} - {check_id}
    related = {
        "OBS-GENAI-METRICS": {"OBS-LATENCY-ERRORS"},
        "OBS-BUDGET": {"OBS-BUDGET-ALERTS"},
        "OBS-BUDGET-ALERTS": {"COST-PER-REQUEST-TREND"},
    }
    assert others <= related.get(check_id, set()), others


def test_checks_are_unknown_when_their_source_is_off(db: Database) -> None:
    with db.session_scope() as session:
        ready_app(session)  # data of the portal's own, but no source has ever synced
    scored = results(db, configured=OFF)
    unknown = {k for k, v in scored.items() if v.status == CheckStatus.UNKNOWN}
    sourced = {c.id for c in CHECKS if c.step is not None}
    assert unknown == sourced
    assert "source is off (PORTAL_PROMETHEUS_URL)" in scored["OBS-GENAI-METRICS"].why
    assert "PORTAL_KUBERNETES" in scored["REL-REPLICAS"].why
    # The portal's own data (budgets, prompts from CI, evaluations) is still judged.
    assert scored["OBS-BUDGET"].status == CheckStatus.PASS
    assert scored["QUAL-EVAL-RECENT"].status == CheckStatus.PASS
    # Configured but never synced: unknown too, and says so.
    never = results(db, configured=ON)
    assert never["SEC-GUARD-IN-PATH"].status == CheckStatus.UNKNOWN
    assert "has not synced yet" in never["SEC-GUARD-IN-PATH"].why
    with db.session() as session:
        (s,) = service.score_apps(
            session=session, apps=_apps(session), scorecard=SCORECARD, now=NOW, configured=OFF
        )
    assert s.level is None  # unknown never counts as a pass


def test_stored_data_of_a_source_turned_off_is_still_judged(db: Database) -> None:
    with db.session_scope() as session:
        synced(session, at=NOW - dt.timedelta(days=2))
        ready_app(session)
    scored = results(db, configured=OFF)
    assert scored["REL-REPLICAS"].status == CheckStatus.PASS


def test_workload_checks_are_unknown_for_an_app_outside_the_cluster(db: Database) -> None:
    with db.session_scope() as session:
        synced(session)
        make_app(session, name="vendor-app", team="growth", origin="api")
    scored = results(db, app="vendor-app")
    for check_id in ("REL-REPLICAS", "REL-IMAGE-DIGEST", "SEC-NON-ROOT", "REL-PDB"):
        assert scored[check_id].status == CheckStatus.UNKNOWN
        assert scored[check_id].why == "No workload of this app runs in the cluster."
    assert scored["QUAL-PROMPTS-VERSIONED"].status == CheckStatus.FAIL
    assert scored["QUAL-NO-REGRESSION"].status == CheckStatus.UNKNOWN


def test_findings_sla_is_unknown_without_trivy_and_counts_only_overdue(db: Database) -> None:
    with db.session_scope() as session:
        synced(session)
        app = ready_app(session)
        # Within its SLA (critical: 7 days): not a failure yet.
        vulnerability(session, app, "CVE-2025-0001", Severity.CRITICAL, days_open=3)
    assert results(db)["SEC-FINDINGS-SLA"].status == CheckStatus.PASS
    with db.session_scope() as session:
        trivy = session.get(SourceStatus, "kubernetes/security-trivy")
        assert trivy is not None
        trivy.stats = {"vulnerabilityreports": "not installed"}
        session.add(trivy)
    result = results(db)["SEC-FINDINGS-SLA"]
    assert result.status == CheckStatus.UNKNOWN
    assert "Trivy Operator is not installed" in result.why


def test_a_cost_rise_explained_by_a_prompt_change_passes(db: Database) -> None:
    with db.session_scope() as session:
        synced(session)
        app = ready_app(session)
        BREAK["COST-PER-REQUEST-TREND"](session, app)
        deploy = session.exec(select(PromptDeployment)).one()
        deploy.started = NOW - dt.timedelta(days=10)
        session.add(deploy)
    result = results(db)["COST-PER-REQUEST-TREND"]
    assert result.status == CheckStatus.PASS
    assert "+110 %" in result.why
    assert "explained by a change: prompt answer v1" in result.why


def test_org_table_ranks_by_level_then_score_and_records_history(db: Database) -> None:
    with db.session_scope() as session:
        synced(session)
        ready_app(session, name="gold-app", team="care")
        silver = ready_app(session, name="silver-app", team="search")
        BREAK["REL-PDB"](session, silver)
        bronze = ready_app(session, name="bronze-app", team="search")
        BREAK["SEC-GUARD-IN-PATH"](session, bronze)
        BREAK["REL-PDB"](session, bronze)
        none = ready_app(session, name="no-level", team="search")
        BREAK["OBS-GENAI-METRICS"](session, none)
    with db.session() as session:
        org = service.org_readiness(
            session=session, scorecard=SCORECARD, now=NOW, configured=ON, fresh=[]
        )
    assert [(row.app, row.level) for row in org.items] == [
        ("gold-app", "gold"),
        ("silver-app", "silver"),
        ("bronze-app", "bronze"),
        ("no-level", None),
    ]
    assert org.items[1].failing == ["REL-PDB"]
    assert org.items[1].score > org.items[2].score
    with db.session() as session:
        search = service.org_readiness(
            session=session,
            scorecard=SCORECARD,
            now=NOW,
            configured=ON,
            fresh=[],
            team="search",
            level="bronze",
        )
        none = service.org_readiness(
            session=session, scorecard=SCORECARD, now=NOW, configured=ON, fresh=[], level="none"
        )
    assert [row.app for row in search.items] == ["bronze-app"]
    assert [row.app for row in none.items] == ["no-level"]
    with db.session_scope() as session:
        assert (
            service.record_history(session=session, scorecard=SCORECARD, now=NOW, configured=ON)
            == 4
        )
        # A second pass the same day replaces the day's row.
        assert (
            service.record_history(session=session, scorecard=SCORECARD, now=NOW, configured=ON)
            == 4
        )
    with db.session() as session:
        detail = service.app_readiness(
            session=session, app="bronze-app", scorecard=SCORECARD, now=NOW, configured=ON, fresh=[]
        )
    assert len(detail.history) == 1
    assert detail.history[0].day == NOW.replace(hour=0)
