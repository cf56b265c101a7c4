"""App discovery against the Kubernetes test server, through sync, on both databases."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from portal_api.apps.models import App, AppStatus, Workload
from portal_api.db import Database
from portal_api.sync.models import SourceStatus
from tests.factories import deployment, knative_service, make_app, stateful_set
from tests.servers.kube import KubeState
from tests.sync.helpers import KubeSync

T0 = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def _apps(db: Database) -> dict[str, App]:
    with db.session() as session:
        return {a.name: a for a in session.exec(select(App)).all()}


def test_discovers_apps_and_their_teams(db: Database, kube: KubeState, kube_sync: KubeSync) -> None:
    kube.add(deployment("chat", "support", annotations={"genai-portal.io/team": "care"}))
    kube.add(deployment("chat", "support-staging", annotations={"genai-portal.io/team": "care"}))
    kube.add(stateful_set("indexer", "search", labels={"app.kubernetes.io/part-of": "search"}))
    kube.add(knative_service("rewriter", "search"))
    kube.install("serving.knative.dev/v1", "services")

    kube_sync(T0)

    apps = _apps(db)
    assert set(apps) == {"chat", "indexer", "rewriter"}
    assert apps["chat"].team == "care"
    assert apps["indexer"].team == "search"  # from app.kubernetes.io/part-of
    assert apps["rewriter"].team is None  # stays unknown
    assert apps["chat"].status == AppStatus.ACTIVE
    assert apps["chat"].first_seen == T0
    with db.session() as session:
        workloads = session.exec(select(Workload).where(Workload.app_id == apps["chat"].id)).all()
    assert sorted(w.namespace for w in workloads) == ["support", "support-staging"]


def test_annotation_wins_over_part_of_label(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    kube.add(
        deployment(
            "chat",
            annotations={"genai-portal.io/team": "care"},
            labels={"app.kubernetes.io/part-of": "platform"},
        )
    )
    kube_sync(T0)
    assert _apps(db)["chat"].team == "care"


def test_an_app_whose_workloads_disappear_is_gone_not_deleted(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    kube.add(deployment("chat", "support"))
    kube.add(deployment("search", "search"))
    kube_sync(T0)

    kube.remove("apps/v1", "deployments", "support", "chat")
    later = T0 + dt.timedelta(hours=1)
    kube_sync(later)

    apps = _apps(db)
    assert apps["chat"].status == AppStatus.GONE
    assert apps["chat"].gone_since == later
    assert apps["chat"].last_seen == T0
    assert apps["search"].status == AppStatus.ACTIVE
    with db.session() as session:
        (w,) = session.exec(select(Workload).where(Workload.app_id == apps["chat"].id)).all()
    assert w.present is False

    # It comes back: active again, same row, first_seen unchanged.
    kube.add(deployment("chat", "support"))
    kube_sync(later + dt.timedelta(hours=1))
    chat = _apps(db)["chat"]
    assert chat.status == AppStatus.ACTIVE
    assert chat.gone_since is None
    assert chat.first_seen == T0
    assert chat.id == apps["chat"].id


def test_apps_registered_through_the_api_are_never_marked_gone(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    with db.session_scope() as session:
        make_app(session, name="vendor-bot", origin="api", team="growth")
    kube.add(deployment("chat"))
    kube_sync(T0)
    assert _apps(db)["vendor-bot"].status == AppStatus.ACTIVE


def test_api_server_failure_keeps_the_registry_and_marks_the_source_failed(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    kube.add(deployment("chat", "support"))
    kube_sync(T0)

    kube.fail("/apis/apps/v1", 500)
    later = T0 + dt.timedelta(minutes=5)
    assert kube_sync(later)["kubernetes/apps"].ok is False
    apps = _apps(db)
    assert apps["chat"].status == AppStatus.ACTIVE  # not marked gone by a failed read
    with db.session() as session:
        status = session.get(SourceStatus, "kubernetes/apps")
    assert status is not None
    assert status.last_success == T0
    assert status.last_error_at == later
    assert "500" in (status.last_error or "")
    assert status.consecutive_failures == 1


def test_sync_twice_is_idempotent(db: Database, kube: KubeState, kube_sync: KubeSync) -> None:
    kube.add(deployment("chat", "support"))
    kube_sync(T0)
    kube_sync(T0)
    with db.session() as session:
        assert len(session.exec(select(App)).all()) == 1
        assert len(session.exec(select(Workload)).all()) == 1


def test_one_pass_lists_the_workloads_once_for_every_step(
    kube: KubeState, kube_sync: KubeSync
) -> None:
    kube.add(deployment("chat", "support"))
    results = kube_sync(T0).values()
    kubernetes_steps = [r for r in results if r.step.startswith("kubernetes/") and r.ok]
    assert len(kubernetes_steps) >= 2  # apps and the domains that read workloads too
    assert sum("/deployments" in r for r in kube.requests) == 1
