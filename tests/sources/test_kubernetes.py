"""The Kubernetes adapter against the Kubernetes test server, through the real client."""

from __future__ import annotations

import pytest

from portal_api.config import KubernetesMode, Settings
from portal_api.errors import SourceError
from portal_api.sources import kubernetes as kube_module
from portal_api.sources.kubernetes import KubernetesSource
from tests.factories import config_map, container, deployment, knative_service, stateful_set
from tests.servers.kube import KubeState


def test_lists_labelled_workloads_of_every_kind(
    kube: KubeState, kube_source: KubernetesSource
) -> None:
    kube.add(deployment("chat", "team-a", replicas=3))
    kube.add(stateful_set("indexer", "team-a", app_id="rag"))
    kube.add(knative_service("rewriter", "team-b", min_scale=2))
    kube.add(deployment("unrelated", "team-a", app_id=""))  # no app label
    kube.install("serving.knative.dev/v1", "services")

    workloads = {(w.kind, w.name): w for w in kube_source.list_workloads()}

    assert set(workloads) == {
        ("Deployment", "chat"),
        ("StatefulSet", "indexer"),
        ("KnativeService", "rewriter"),
    }
    assert workloads[("Deployment", "chat")].replicas == 3
    assert workloads[("StatefulSet", "indexer")].app_id == "rag"
    assert workloads[("KnativeService", "rewriter")].replicas == 2
    assert workloads[("KnativeService", "rewriter")].namespace == "team-b"


def test_a_cluster_without_knative_is_not_an_error(
    kube: KubeState, kube_source: KubernetesSource
) -> None:
    kube.add(deployment("chat", "team-a"))
    assert [w.name for w in kube_source.list_workloads()] == ["chat"]


def test_parses_what_posture_checks_need(kube: KubeState, kube_source: KubernetesSource) -> None:
    kube.add(
        deployment(
            "chat",
            "team-a",
            containers=[
                container(
                    env=[
                        {"name": "OPENAI_API_KEY", "value": "sk-live-not-for-eyes"},
                        {
                            "name": "ANTHROPIC_API_KEY",
                            "valueFrom": {"secretKeyRef": {"name": "llm", "key": "anthropic"}},
                        },
                    ],
                    security_context={},
                    readiness=False,
                )
            ],
            volumes=[{"name": "prompts", "configMap": {"name": "chat-prompts"}}],
        )
    )
    (w,) = kube_source.list_workloads()
    (c,) = w.containers
    env = {e.name: e for e in c.env}
    assert env["OPENAI_API_KEY"].has_value
    assert env["OPENAI_API_KEY"].secret_ref is None
    assert env["ANTHROPIC_API_KEY"].secret_ref == "llm/anthropic"
    assert "sk-live" not in w.model_dump_json()  # literal values are never kept
    assert c.readiness_probe is None
    assert c.run_as_non_root is None
    assert w.config_maps == {"chat-prompts"}


def test_namespace_list_reads_only_those_namespaces(
    kube: KubeState, kube_settings: Settings
) -> None:
    kube.add(deployment("a", "team-a"))
    kube.add(deployment("b", "team-b"))
    kube.add(deployment("c", "team-c"))
    source = KubernetesSource.from_settings(
        kube_settings.model_copy(update={"namespaces": ["team-a", "team-c"]})
    )
    assert source is not None
    assert sorted(w.name for w in source.list_workloads()) == ["a", "c"]
    assert not any("/namespaces/team-b/" in r for r in kube.requests)
    source.close()


def test_pages_through_large_lists(
    kube: KubeState, kube_source: KubernetesSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kube_module, "PAGE_SIZE", 3)
    for i in range(8):
        kube.add(deployment(f"app-{i}", "big"))
    assert len(kube_source.list_workloads()) == 8
    assert sum("continue=" in r for r in kube.requests) >= 2


def test_lists_config_maps_with_a_selector(kube: KubeState, kube_source: KubernetesSource) -> None:
    kube.add(config_map("p1", "team-a", labels={"genai-portal.io/prompt": "greeting"}))
    kube.add(config_map("other", "team-a"))
    objs = kube_source.list_objects("", "v1", "configmaps", label_selector="genai-portal.io/prompt")
    assert [(o.name, o.labels["genai-portal.io/prompt"]) for o in objs] == [("p1", "greeting")]


@pytest.mark.parametrize("status", [403, 500])
def test_api_errors_become_source_errors(
    kube: KubeState, kube_source: KubernetesSource, status: int
) -> None:
    kube.fail("/apis/apps/v1", status)
    with pytest.raises(SourceError) as info:
        kube_source.list_workloads()
    assert info.value.source == "kubernetes"
    assert str(status) in info.value.message
    assert info.value.status == status


def test_unreachable_api_server_is_a_source_error(tmp_path, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    from tests.servers.kube import write_kubeconfig

    config = write_kubeconfig(tmp_path / "kc", "http://127.0.0.1:9")  # nothing listens there
    source = KubernetesSource.from_settings(
        settings.model_copy(update={"kubernetes": KubernetesMode.KUBECONFIG, "kubeconfig": config})
    )
    assert source is not None
    with pytest.raises(SourceError, match="unreachable"):
        source.list_workloads()


def test_missing_kubeconfig_is_a_clear_error(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SourceError, match="cannot load configuration"):
        KubernetesSource.from_settings(
            settings.model_copy(
                update={
                    "kubernetes": KubernetesMode.KUBECONFIG,
                    "kubeconfig": tmp_path / "absent",
                }
            )
        )
