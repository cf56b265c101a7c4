"""Every read whose data comes from a source says how fresh it is: a JSON ``freshness`` field,
and the ``X-Portal-Stale`` header (the only marker of CSV, HTML, YAML and JSON lists).
A source that is failing is stale; a source that is off is not."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from portal_api.config import Settings
from portal_api.db import Database, utcnow
from portal_api.main import create_app
from portal_api.sources.bundle import Sources
from portal_api.sources.prometheus import PrometheusSource
from portal_api.sync.service import get_status
from tests.conftest import bearer

APP = "chat"
# (path, the source its data comes from, where the marker is: a JSON field or only the header)
READS = [
    ("/api/v1/apps", "kubernetes", "freshness"),
    (f"/api/v1/apps/{APP}", "kubernetes", "freshness"),
    (f"/api/v1/apps/{APP}/findings", "kubernetes", "freshness"),
    ("/api/v1/findings", "kubernetes", "freshness"),
    (f"/api/v1/apps/{APP}/security", "kubernetes", "freshness"),
    (f"/api/v1/apps/{APP}/guardrails", "prometheus", "freshness"),
    (f"/api/v1/apps/{APP}/prompts", "kubernetes", "cluster"),
    (f"/api/v1/apps/{APP}/prompts/answer/versions", "kubernetes", "freshness"),
    (f"/api/v1/apps/{APP}/prompts/answer/versions/1", "kubernetes", "freshness"),
    (f"/api/v1/apps/{APP}/prompts/answer/versions/1/diff?against=1", "kubernetes", "freshness"),
    (f"/api/v1/apps/{APP}/prompts/answer/timeline", "kubernetes", None),
    ("/api/v1/catalog/entities", "kubernetes", None),
    (f"/api/v1/apps/{APP}/usage", "prometheus", "freshness"),
    (f"/api/v1/apps/{APP}/costs", "prometheus", "freshness"),
    ("/api/v1/costs", "prometheus", "freshness"),
    ("/api/v1/costs/anomalies", "prometheus", "freshness"),
    ("/api/v1/budgets", "prometheus", "freshness"),
    ("/api/v1/reports/costs?month=2026-11", "prometheus", "freshness"),
    ("/api/v1/reports/costs?month=2026-11&format=csv", "prometheus", None),
    ("/api/v1/reports/costs?month=2026-11&format=html", "prometheus", None),
]


def _seed(client: TestClient) -> None:
    ingest = bearer("ingest")
    assert client.post("/api/v1/apps", json={"name": APP}, headers=ingest).status_code == 201
    prompt = {"prompts": [{"name": "answer", "template": "Answer {{ q }}"}]}
    assert client.post(f"/api/v1/apps/{APP}/prompts", json=prompt, headers=ingest).is_success


def _failing(db: Database, source: str, step: str) -> None:
    with db.session_scope() as session:
        status = get_status(session=session, source=source, step=step)
        now = utcnow()
        status.last_attempt = now
        status.last_success = now - dt.timedelta(hours=2)
        status.last_error = f"{source}: unreachable"
        status.last_error_at = now
        status.consecutive_failures = 3
        session.add(status)


@pytest.mark.parametrize("configured", [True, False], ids=["sources-down", "sources-off"])
def test_every_source_backed_read_carries_freshness(
    settings: Settings, db: Database, configured: bool
) -> None:
    for source, step in (("kubernetes", "apps"), ("prometheus", "usage")):
        _failing(db, source, step)
    sources = (
        Sources(
            prometheus=PrometheusSource("http://127.0.0.1:9", timeout=1),
            broken={"kubernetes": "cluster unreachable"},
        )
        if configured
        else Sources()
    )
    with TestClient(create_app(settings, db=db, sources=sources)) as client:
        _seed(client)
        for path, source, field in READS:
            response = client.get(path, headers=bearer("read"))
            assert response.status_code == 200, (path, response.text)
            # Down: stale. Off: not stale (nothing fresher could be had).
            want = "true" if configured else "false"
            assert response.headers["X-Portal-Stale"] == want, path
            if field is not None:
                marker = response.json()[field]
                assert marker["source"] == source, path
                assert marker["stale"] is configured, path
