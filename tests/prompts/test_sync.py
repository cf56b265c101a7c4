"""Prompt ConfigMaps and workload annotations through the Kubernetes test server and sync."""

from __future__ import annotations

import datetime as dt

import yaml
from sqlmodel import col, select

from portal_api.db import Database
from portal_api.prompts.models import PromptDeployment, PromptList, PromptSource, PromptVersion
from portal_api.prompts.service import VersionRead, list_prompts
from portal_api.sync.models import SourceStatus
from portal_api.sync.service import freshness
from tests.factories import config_map, deployment
from tests.servers.kube import KubeState
from tests.sync.helpers import KubeSync

STALE_AFTER = dt.timedelta(minutes=15)
T0 = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(hours=1)
T2 = T0 + dt.timedelta(hours=2)


def prompt_cm(
    name: str, template: str, *, namespace: str = "support", app: str | None = None
) -> dict[str, object]:
    labels = {"genai-portal.io/prompt": "answer"}
    if app:
        labels["backstage.io/kubernetes-id"] = app
    body = yaml.safe_dump(
        {"template": template, "model": "gpt-4o", "parameters": {"temperature": 0.2}}
    )
    return config_map(
        name,
        namespace,
        data={"prompt.yaml": body},
        labels=labels,
        annotations={"genai-portal.io/author": "alice@example.com"},
    )


def mounting(name: str, cm: str, **kwargs: object) -> dict[str, object]:
    return deployment(
        name,
        "support",
        volumes=[{"name": "prompt", "configMap": {"name": cm}}],
        **kwargs,  # type: ignore[arg-type]
    )


def serve_chat_prompt(kube: KubeState, kube_sync: KubeSync, template: str) -> None:
    """Deployment chat mounts ConfigMap chat-prompt holding ``template``; synced at T0."""
    kube.add(prompt_cm("chat-prompt", template))
    kube.add(mounting("chat", "chat-prompt"))
    sync(kube_sync, T0)


def sync(kube_sync: KubeSync, now: dt.datetime) -> None:
    results = list(kube_sync(now).values())
    assert all(r.ok for r in results), results


def versions(db: Database) -> list[PromptVersion]:
    with db.session() as session:
        return list(session.exec(select(PromptVersion).order_by(col(PromptVersion.number))).all())


def deployments(db: Database) -> list[PromptDeployment]:
    with db.session() as session:
        return list(session.exec(select(PromptDeployment).order_by(col(PromptDeployment.id))).all())


def test_config_map_versions_and_deploy_timeline(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    serve_chat_prompt(kube, kube_sync, "Answer {{question}} politely.")
    sync(kube_sync, T1)  # unchanged: nothing new

    [v1] = versions(db)
    assert (v1.name, v1.number, v1.source) == ("answer", 1, PromptSource.KUBERNETES)
    assert v1.variables == ["question"]
    assert v1.model == "gpt-4o"
    assert v1.parameters == {"temperature": 0.2}
    assert v1.author == "alice@example.com"
    assert v1.source_ref == "configmap/support/chat-prompt"
    [d1] = deployments(db)
    assert (d1.version_id, d1.workload, d1.via, d1.started, d1.ended) == (
        v1.id,
        "chat",
        "configmap",
        T0,
        None,
    )

    kube.add(prompt_cm("chat-prompt", "Answer {{question}} briefly."))
    sync(kube_sync, T2)
    v1, v2 = versions(db)
    assert v2.number == 2
    d1, d2 = deployments(db)
    assert d1.ended == T2
    assert (d2.version_id, d2.started, d2.ended) == (v2.id, T2, None)

    with db.session() as session:
        status = session.get(SourceStatus, "kubernetes/prompts")
        assert status is not None
        assert status.stats["versions_created"] == 1
        assert status.stats["deployments_started"] == 1


def test_annotation_names_the_running_version(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    # Two versions known from ConfigMaps labelled with the app; the annotation picks one.
    kube.add(prompt_cm("answer-v1", "One {{q}}", app="chat"))
    kube.add(prompt_cm("answer-v2", "Two {{q}}", app="chat"))
    kube.add(deployment("chat", "support"))
    sync(kube_sync, T0)
    v1, v2 = versions(db)
    assert deployments(db) == []

    kube.add(
        deployment(
            "chat",
            "support",
            annotations={
                "genai-portal.io/prompt-versions": f"answer={v1.content_hash[:12]},other=deadbeef00"
            },
        )
    )
    sync(kube_sync, T1)
    [d] = deployments(db)
    assert (d.version_id, d.via) == (v1.id, "annotation")
    with db.session() as session:
        status = session.get(SourceStatus, "kubernetes/prompts")
        assert status is not None
        assert status.stats["unresolved"] == ["support/chat: other=deadbeef00"]

    kube.add(
        deployment(
            "chat",
            "support",
            annotations={"genai-portal.io/prompt-versions": f"answer={v2.content_hash}"},
        )
    )
    sync(kube_sync, T2)
    old, new = deployments(db)
    assert old.ended == T2
    assert (new.version_id, new.ended) == (v2.id, None)

    kube.remove("apps/v1", "deployments", "support", "chat")
    sync(kube_sync, T2 + dt.timedelta(hours=1))
    assert all(d.ended is not None for d in deployments(db))


def test_broken_config_maps_are_reported_not_fatal(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    kube.add(
        config_map("empty", "support", data={"x": "y"}, labels={"genai-portal.io/prompt": "p"})
    )
    kube.add(
        config_map(
            "bad-yaml",
            "support",
            data={"prompt.yaml": "template: [unclosed"},
            labels={"genai-portal.io/prompt": "p"},
        )
    )
    kube.add(
        config_map(
            "orphan", "support", data={"template": "hi"}, labels={"genai-portal.io/prompt": "p"}
        )
    )
    kube.add(
        config_map(
            "plain",
            "support",
            data={
                "template": "Hello {{name}}",
                "variables": "name, title",
                "parameters": "temperature: 0",
            },
            labels={"genai-portal.io/prompt": "greet"},
        )
    )
    kube.add(mounting("chat", "plain"))
    sync(kube_sync, T0)
    [v] = versions(db)
    assert (v.name, v.variables, v.parameters) == ("greet", ["name", "title"], {"temperature": 0})
    with db.session() as session:
        status = session.get(SourceStatus, "kubernetes/prompts")
        assert status is not None
        invalid = status.stats["invalid"]
    assert len(invalid) == 3
    assert any("support/orphan: no known app" in i for i in invalid)
    assert any("support/bad-yaml" in i and "YAML" in i for i in invalid)


def chat_prompts(db: Database, now: dt.datetime) -> PromptList:
    """App chat's prompts as the API lists them at ``now``, with the cluster's freshness."""
    with db.session() as session:
        cluster = freshness(session=session, source="kubernetes", now=now, stale_after=STALE_AFTER)
        return list_prompts(VersionRead(session, now), app="chat", cluster=cluster)


def test_cluster_down_keeps_what_is_stored(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    serve_chat_prompt(kube, kube_sync, "Answer {{question}}.")
    fresh = chat_prompts(db, T0)
    assert (fresh.cluster.stale, fresh.cluster.as_of) == (False, T0)
    kube.fail("/api/v1/configmaps", 500)
    assert kube_sync(T1)["kubernetes/prompts"].ok is False
    assert len(versions(db)) == 1
    assert deployments(db)[0].ended is None
    listing = chat_prompts(db, T1)
    assert listing.cluster.stale is True
    assert listing.cluster.last_error is not None
    assert [r.workload for r in listing.prompts[0].running] == ["chat"]  # still shown, marked stale
