"""Timeline events from real sync passes: the Kubernetes test server (image, scale, Knative
revision and traffic) and a real Prometheus (a model switch in the usage rollups)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.readiness.models import ReadinessDaily
from portal_api.sources.kubernetes import KubernetesSource
from portal_api.sources.prometheus import PrometheusSource
from portal_api.timeline.models import ChangeEvent, ChangeKind
from tests.conftest import bearer
from tests.factories import container, deployment, knative_service
from tests.servers.kube import KubeState
from tests.servers.prometheus import PrometheusFactory, PromSeries
from tests.sync.helpers import sync_pass

T0 = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
V1 = "registry.example.com/care/chat:1.4.0@sha256:" + "a" * 64
V2 = "registry.example.com/care/chat:1.5.0@sha256:" + "b" * 64


def sync_kube(db: Database, source: KubernetesSource, settings: Settings, now: dt.datetime) -> None:
    results = sync_pass(db, settings, now, kubernetes=source)
    failed = [r for r in results if not r.ok]
    assert not failed, failed


def events(db: Database, kind: ChangeKind | None = None) -> list[ChangeEvent]:
    with db.session() as session:
        rows = session.exec(select(ChangeEvent).order_by(ChangeEvent.at, ChangeEvent.id)).all()
    return [r for r in rows if kind is None or r.kind == kind]


def revisioned(
    name: str, revision: str, traffic: list[dict[str, Any]], min_scale: int
) -> dict[str, Any]:
    svc = knative_service(name, "search", min_scale=min_scale)
    svc["status"].update(
        {
            "latestReadyRevisionName": revision,
            "latestCreatedRevisionName": revision,
            "traffic": traffic,
        }
    )
    return svc


def test_image_scale_and_knative_changes_from_sync_passes(
    db: Database,
    kube: KubeState,
    kube_source: KubernetesSource,
    kube_settings: Settings,
    client: TestClient,
) -> None:
    kube.add(deployment("chat", "care", containers=[container(image=V1)], replicas=2))
    kube.add(
        revisioned(
            "rewriter",
            "rewriter-00001",
            [{"revisionName": "rewriter-00001", "percent": 100, "latestRevision": True}],
            1,
        )
    )
    sync_kube(db, kube_source, kube_settings, T0)
    assert events(db) == []  # the first pass is the baseline

    # A new image and a scale-up; a new Knative revision takes 10 % of traffic.
    kube.add(deployment("chat", "care", containers=[container(image=V2)], replicas=4))
    kube.add(
        revisioned(
            "rewriter",
            "rewriter-00002",
            [
                {"revisionName": "rewriter-00001", "percent": 90},
                {"revisionName": "rewriter-00002", "percent": 10, "tag": "canary"},
            ],
            2,
        )
    )
    t1 = T0 + dt.timedelta(minutes=5)
    sync_kube(db, kube_source, kube_settings, t1)
    found = {(e.kind, e.summary) for e in events(db)}
    assert found == {
        (
            ChangeKind.IMAGE,
            "Deployment care/chat container app: chat:1.4.0@sha256:aaaaaaaaaaaa → "
            "chat:1.5.0@sha256:bbbbbbbbbbbb",
        ),
        (ChangeKind.SCALE, "Deployment care/chat replicas 2 → 4"),
        (ChangeKind.SCALE, "KnativeService search/rewriter min-scale 1 → 2"),
        (
            ChangeKind.KNATIVE_REVISION,
            "KnativeService search/rewriter: revision rewriter-00002 ready (was rewriter-00001)",
        ),
        (
            ChangeKind.KNATIVE_TRAFFIC,
            "KnativeService search/rewriter traffic: rewriter-00001 90 %, rewriter-00002 (canary) 10 %",
        ),
    }
    assert all(e.at == t1 for e in events(db))
    image = events(db, ChangeKind.IMAGE)[0]
    assert image.data["from"] == V1
    assert image.data["to"] == V2

    # Nothing changed: a third pass records nothing new.
    sync_kube(db, kube_source, kube_settings, t1 + dt.timedelta(minutes=5))
    assert len(events(db)) == 5

    # The app's timeline and the org feed serve them, newest first, filtered by kind.
    body = client.get(
        "/api/v1/apps/chat/timeline",
        params={"from": "2026-11-20T00:00:00Z", "to": "2026-11-21T00:00:00Z"},
        headers=bearer("read"),
    ).json()
    kinds = [i["kind"] for i in body["items"]]
    assert ChangeKind.IMAGE in kinds
    assert ChangeKind.SCALE in kinds
    assert ChangeKind.PROMPT_DEPLOY not in kinds  # no prompt in this cluster
    assert all(i["app"] == "chat" for i in body["items"])
    feed = client.get(
        "/api/v1/changes",
        params={
            "from": "2026-11-20T00:00:00Z",
            "to": "2026-11-21T00:00:00Z",
            "kind": "knative-revision",
        },
        headers=bearer("read"),
    ).json()
    assert [(i["app"], i["kind"]) for i in feed["items"]] == [("rewriter", "knative-revision")]
    assert {f["source"] for f in feed["freshness"]} == {"kubernetes", "prometheus"}

    # Each pass stored the day's readiness of every app.
    with db.session() as session:
        history = session.exec(select(ReadinessDaily)).all()
    assert {h.day for h in history} == {T0.replace(hour=0)}
    assert len(history) == 2


HOUR = dt.timedelta(hours=1)
# Two days back: outside Prometheus' head block, inside its (long) retention.
P0 = (dt.datetime.now(dt.UTC) - dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
LABELS = {
    "backstage_io_kubernetes_id": "chat",
    "namespace": "care",
    "gen_ai_provider_name": "openai",
}


def _counter(model: str, token_type: str, start_h: int, end_h: int, per_min: float) -> PromSeries:
    """A counter sampled every 5 minutes while the app uses ``model`` (it starts at a
    non-zero value, as a process that was already running does)."""
    return PromSeries(
        "gen_ai_client_token_usage_sum",
        {**LABELS, "gen_ai_request_model": model, "gen_ai_token_type": token_type},
        [
            (P0 + dt.timedelta(minutes=m), 1000 + per_min * m)
            for m in range(start_h * 60, end_h * 60 + 1, 5)
        ],
    )


def test_a_model_switch_in_prometheus_data_is_on_the_timeline(
    db: Database,
    prometheus_factory: PrometheusFactory,
    settings: Settings,
    client: TestClient,
) -> None:
    # The app runs gpt-4o-mini for 24 h, then gpt-4o for the next 24 h.
    server = prometheus_factory.start(
        [
            _counter("gpt-4o-mini", "input", 0, 24, 50),
            _counter("gpt-4o-mini", "output", 0, 24, 10),
            _counter("gpt-4o", "input", 24, 48, 60),
            _counter("gpt-4o", "output", 24, 48, 12),
        ]
    )
    prom = PrometheusSource(server.url, timeout=30)
    with db.session_scope() as session:
        from tests.factories import make_app

        make_app(session, name="chat", namespace="care", team="care", now=P0)
    prom_settings = settings.model_copy(update={"prometheus_url": server.url, "backfill_days": 4})
    now = P0 + 49 * HOUR + dt.timedelta(minutes=10)
    results = sync_pass(db, prom_settings, now, prometheus=prom)
    assert all(r.ok for r in results), [r for r in results if not r.ok]
    switches = events(db, ChangeKind.MODEL_SWITCH)
    assert len(switches) == 1, [(e.at, e.summary) for e in switches]
    switch = switches[0]
    assert switch.summary == "model switch: gpt-4o-mini → gpt-4o"
    assert abs(switch.at - (P0 + 24 * HOUR)) <= HOUR
    assert switch.data == {"added": ["gpt-4o"], "removed": ["gpt-4o-mini"]}

    # A second pass re-reads the overlap and finds the same switch, not a second one.
    sync_pass(db, prom_settings, now + HOUR, prometheus=prom)
    assert len(events(db, ChangeKind.MODEL_SWITCH)) == 1

    body = client.get(
        "/api/v1/apps/chat/timeline",
        params={"from": P0.isoformat(), "to": now.isoformat(), "kind": "model-switch"},
        headers=bearer("read"),
    ).json()
    assert [i["summary"] for i in body["items"]] == ["model switch: gpt-4o-mini → gpt-4o"]


def test_a_model_served_from_two_namespaces_in_turn_is_no_switch(
    db: Database, prometheus_factory: PrometheusFactory, settings: Settings
) -> None:
    # gpt-4o all along; gpt-4o-mini from the app's canary namespace first, then (overlapping
    # for a few hours) from its main one: the model never left the app, nor came back.
    canary = _counter("gpt-4o-mini", "input", 0, 30, 50)
    canary.labels = {**canary.labels, "namespace": "care-canary"}
    server = prometheus_factory.start(
        [
            _counter("gpt-4o", "input", 0, 48, 60),
            canary,
            _counter("gpt-4o-mini", "input", 26, 48, 50),
        ]
    )
    with db.session_scope() as session:
        from tests.factories import make_app

        make_app(session, name="chat", namespace="care", team="care", now=P0)
    prom_settings = settings.model_copy(update={"prometheus_url": server.url, "backfill_days": 4})
    now = P0 + 49 * HOUR + dt.timedelta(minutes=10)
    prom = PrometheusSource(server.url, timeout=30)
    results = sync_pass(db, prom_settings, now, prometheus=prom)
    assert all(r.ok for r in results), [r for r in results if not r.ok]
    assert [(e.at, e.summary) for e in events(db, ChangeKind.MODEL_SWITCH)] == []
