"""Readiness through the API: one app with reasons, the org table (JSON and CSV)."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlmodel import select

from portal_api.db import Database, utcnow
from portal_api.sources.prometheus import PrometheusSource
from tests.conftest import bearer
from tests.readiness.factories import BREAK, ready_app, synced


def seed(db: Database) -> None:
    # The factories' data is dated around "now" for reads through the API.
    import tests.readiness.factories as f

    f_now = utcnow().replace(minute=0, second=0, microsecond=0)
    saved = f.NOW, f.TODAY
    f.NOW, f.TODAY = f_now, f_now.replace(hour=0)
    try:
        with db.session_scope() as session:
            synced(session)
            ready_app(session, name="chat", team="care")
            weak = ready_app(session, name="rag", team="search")
            BREAK["REL-PDB"](session, weak)
            BREAK["SEC-NON-ROOT"](session, weak)
    finally:
        f.NOW, f.TODAY = saved


def test_app_readiness_has_every_check_with_reasons(client: TestClient, db: Database) -> None:
    seed(db)
    response = client.get("/api/v1/apps/rag/readiness", headers=bearer("read"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["level"], body["next_level"]) == ("bronze", "silver")
    assert len(body["checks"]) == 21
    pdb = next(c for c in body["checks"] if c["id"] == "REL-PDB")
    assert pdb["status"] == "fail"
    assert pdb["pillar"] == "reliability"
    assert pdb["level"] == "gold"
    assert "PodDisruptionBudget" in pdb["fix"]
    assert pdb["evidence"][0]["url"].startswith("/api/v1/")
    assert [lv["reached"] for lv in body["levels"]] == [True, False, False]
    assert {p["pillar"] for p in body["pillars"]} == {
        "observability",
        "quality",
        "security",
        "reliability",
        "cost",
    }
    assert {f["source"]: f["stale"] for f in body["freshness"]} == {
        "kubernetes": False,
        "prometheus": False,
    }
    assert client.get("/api/v1/apps/nope/readiness", headers=bearer("read")).status_code == 404
    assert client.get("/api/v1/apps/rag/readiness").status_code == 401


def test_org_readiness_ranks_filters_and_exports_csv(client: TestClient, db: Database) -> None:
    seed(db)
    body = client.get("/api/v1/readiness", headers=bearer("read")).json()
    assert body["levels"] == ["bronze", "silver", "gold"]
    assert [(i["app"], i["level"]) for i in body["items"]] == [("chat", "gold"), ("rag", "bronze")]
    assert body["items"][1]["failing"] == ["SEC-NON-ROOT", "REL-PDB"]
    only = client.get(
        "/api/v1/readiness", params={"team": "search", "level": "bronze"}, headers=bearer("read")
    ).json()
    assert [i["app"] for i in only["items"]] == ["rag"]
    empty = client.get("/api/v1/readiness", params={"level": "none"}, headers=bearer("read"))
    assert empty.json()["items"] == []
    bad = client.get("/api/v1/readiness", params={"level": "platinum"}, headers=bearer("read"))
    assert bad.status_code == 422
    assert "unknown level 'platinum'" in bad.json()["detail"]

    exported = client.get("/api/v1/readiness", params={"format": "csv"}, headers=bearer("read"))
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.headers["x-portal-stale"] == "false"
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["app"], r["level"], r["score_pct"]) for r in rows] == [
        ("chat", "gold", "100"),
        ("rag", "bronze", str(round(100 * 19 / 21))),
    ]
    assert rows[1]["reliability"] == "4/5"
    assert rows[1]["failing_checks"] == "SEC-NON-ROOT REL-PDB"


def test_readiness_marks_a_failing_source_stale(client: TestClient, db: Database) -> None:
    from portal_api.sources.bundle import Sources
    from portal_api.sync.models import SourceStatus

    seed(db)
    with db.session_scope() as session:
        for row in session.exec(select(SourceStatus)).all():
            row.last_success = utcnow()
            if row.step == "kubernetes/apps":
                row.consecutive_failures = 2
                row.last_error = "kubernetes: API server unreachable: MaxRetryError"
            session.add(row)
    # Both sources configured (Kubernetes' configuration is broken).
    client.app.state.sources = Sources(  # type: ignore[attr-defined]
        prometheus=PrometheusSource("http://127.0.0.1:9", timeout=1),
        broken={"kubernetes": "bad kubeconfig"},
    )
    exported = client.get("/api/v1/readiness", params={"format": "csv"}, headers=bearer("read"))
    assert exported.headers["x-portal-stale"] == "true"
    body = client.get("/api/v1/apps/chat/readiness", headers=bearer("read")).json()
    fresh = {f["source"]: f for f in body["freshness"]}
    assert fresh["kubernetes"]["stale"] is True
    assert "unreachable" in fresh["kubernetes"]["last_error"]
    assert fresh["prometheus"]["stale"] is False
    # Stored data is still judged while the source fails.
    assert body["level"] == "gold"
