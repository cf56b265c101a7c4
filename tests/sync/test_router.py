"""Source health over HTTP: /api/v1/sources, /readyz, explicit sync, /metrics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.main import create_app
from portal_api.sources.bundle import Sources
from portal_api.sources.kubernetes import KubernetesSource
from tests.conftest import bearer
from tests.factories import deployment
from tests.servers.kube import KubeState


@pytest.fixture
def kube_client(
    kube_settings: Settings, db: Database, kube_source: KubernetesSource
) -> Iterator[TestClient]:
    app = create_app(kube_settings, db=db, sources=Sources(kubernetes=kube_source))
    with TestClient(app) as client:
        yield client


def _kubernetes(client: TestClient) -> dict[str, Any]:
    sources = client.get("/api/v1/sources", headers=bearer("read")).json()
    return next(s for s in sources if s["source"] == "kubernetes")


def _apps_step(source: dict[str, Any]) -> dict[str, Any]:
    step: dict[str, Any] = next(s for s in source["steps"] if s["step"] == "kubernetes/apps")
    return step


def test_sources_before_any_sync(kube_client: TestClient) -> None:
    k8s = _kubernetes(kube_client)
    assert k8s["configured"] is True
    assert k8s["state"] == "never-synced"
    assert k8s["stale"] is True
    prom = next(
        s
        for s in kube_client.get("/api/v1/sources", headers=bearer("read")).json()
        if s["source"] == "prometheus"
    )
    assert prom["state"] == "off"
    assert prom["stale"] is False


def test_explicit_sync_then_failure_then_recovery(kube_client: TestClient, kube: KubeState) -> None:
    kube.add(deployment("chat", "support"))
    results = kube_client.post("/api/v1/sources/sync", headers=bearer("admin")).json()
    assert {r["step"]: r["ok"] for r in results}["kubernetes/apps"] is True
    k8s = _kubernetes(kube_client)
    assert k8s["state"] == "ok"
    assert k8s["stale"] is False
    step = _apps_step(k8s)
    assert step["stats"]["apps_seen"] == 1
    assert step["last_duration_seconds"] >= 0

    kube.fail("/apis/apps/v1", 403)
    results = kube_client.post("/api/v1/sources/sync", headers=bearer("admin")).json()
    assert any(r["step"] == "kubernetes/apps" and not r["ok"] for r in results)
    k8s = _kubernetes(kube_client)
    assert k8s["state"] == "failing"
    assert k8s["stale"] is True
    assert "403" in str(k8s["last_error"])
    # Stored data is still served.
    assert kube_client.get("/api/v1/apps/chat", headers=bearer("read")).status_code == 200

    ready = kube_client.get("/readyz")
    assert ready.status_code == 200  # a source down does not make the portal unready
    states = {s["source"]: s for s in ready.json()["sources"]}
    assert states["kubernetes"]["state"] == "failing"
    step = _apps_step(states["kubernetes"])
    assert step["last_duration_seconds"] is not None
    assert step["last_success"] is not None

    kube.failures.clear()
    kube_client.post("/api/v1/sources/sync", headers=bearer("admin"))
    assert _kubernetes(kube_client)["state"] == "ok"


def test_data_older_than_three_intervals_is_stale(
    db: Database, kube: KubeState, kube_source: KubernetesSource, kube_settings: Settings
) -> None:
    from tests.sync.helpers import sync_pass

    kube.add(deployment("chat"))
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    sync_pass(db, kube_settings, long_ago, kubernetes=kube_source)
    app = create_app(kube_settings, db=db, sources=Sources(kubernetes=kube_source))
    with TestClient(app) as client:
        k8s = _kubernetes(client)
    assert k8s["state"] == "ok"
    assert k8s["stale"] is True  # interval 300 s: stale after 15 min


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    client.get("/api/v1/apps/some-app", headers=bearer("read"))
    text = client.get("/metrics").text
    assert (
        'genai_portal_http_requests_total{method="GET",route="/api/v1/apps/{app}",status="404"}'
        in text
    )
    assert "some-app" not in text
    assert "genai_portal_http_request_duration_seconds_bucket" in text


def test_metrics_label_refusals_by_template_and_unknown_paths_as_one(client: TestClient) -> None:
    client.get("/api/v1/apps/refused-app")  # no token: refused before any route runs
    client.delete("/healthz")  # a served path, another method
    client.get("/no/such/path/1")
    client.get("/no/such/path/2")
    text = client.get("/metrics").text
    counted = 'genai_portal_http_requests_total{method="%s",route="%s",status="%s"}'
    assert counted % ("GET", "/api/v1/apps/{app}", "401") in text
    assert counted % ("DELETE", "/healthz", "405") in text
    assert counted % ("GET", "unmatched", "404") in text
    assert "refused-app" not in text
    assert "/no/such" not in text


def test_metrics_show_sync_durations_and_failures(kube_client: TestClient, kube: KubeState) -> None:
    kube.fail("/apis/apps/v1", 500)
    before = _metric(kube_client, "genai_portal_sync_step_failures_total")
    kube_client.post("/api/v1/sources/sync", headers=bearer("admin"))
    assert _metric(kube_client, "genai_portal_sync_step_failures_total") == before + 1
    assert "genai_portal_sync_step_duration_seconds_count" in kube_client.get("/metrics").text


def _metric(client: TestClient, name: str) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(name + '{source="kubernetes",step="apps"}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_readyz_fails_when_the_database_is_unreachable(settings: Settings) -> None:
    from portal_api.db import make_engine

    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1")
    app = create_app(settings, db=Database(engine), sources=Sources())
    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert client.get("/healthz").status_code == 200


def test_freshness_of_a_source_that_is_off_is_not_stale(db: Database) -> None:
    """Data of a source that is not configured (the demo's, or kept from before) is not
    marked stale: nothing is expected to refresh it; a configured one never synced says so."""
    from portal_api.sync.service import freshness

    now = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
    after = dt.timedelta(minutes=15)
    with db.session() as session:
        off = freshness(
            session=session, source="prometheus", now=now, stale_after=after, configured=False
        )
        never = freshness(session=session, source="prometheus", now=now, stale_after=after)
    assert (off.state, off.stale, off.as_of) == ("off", False, None)
    assert (never.state, never.stale, never.as_of) == ("never-synced", True, None)
