"""The generated Kubernetes manifests: valid (kubectl kustomize, then kubernetes-validate
against the Kubernetes OpenAPI schemas) and keeping the portal's contracts."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.templates.conftest import Project

K8S_VERSION = "1.31"
# Custom resources: no schema in kubernetes-validate; checked field by field below.
CUSTOM_KINDS = {("monitoring.coreos.com/v1", "PodMonitor"), ("serving.knative.dev/v1", "Service")}


def kustomize(project: Project, overlay: str) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is required (it renders the Kustomize manifests)"
    result = subprocess.run(
        [kubectl, "kustomize", str(project.path / overlay)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def overlays(project: Project) -> list[str]:
    return ["deploy/base", *(["deploy/overlays/knative"] if project.answers["serverless"] else [])]


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


def test_manifests_validate_against_the_kubernetes_schemas(project: Project) -> None:
    for overlay in overlays(project):
        for doc in kustomize(project, overlay):
            if (doc["apiVersion"], doc["kind"]) in CUSTOM_KINDS:
                continue
            try:
                kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
            except kubernetes_validate.ValidationError as exc:
                pytest.fail(f"{overlay}: {doc['kind']} {doc['metadata']['name']}: {exc.message}")


def test_base_has_the_production_pieces(project: Project) -> None:
    docs = kustomize(project, "deploy/base")
    kinds = sorted(d["kind"] for d in docs)
    assert kinds == sorted(
        [
            "ConfigMap",
            "Deployment",
            "HorizontalPodAutoscaler",
            "NetworkPolicy",
            "PodDisruptionBudget",
            "PodMonitor",
            "Service",
            "ServiceAccount",
        ]
    )
    name = project.answers["component_id"]
    namespace = project.answers.get("namespace", "genai")
    assert {d["metadata"]["namespace"] for d in docs} == {namespace}
    hpa = next(d for d in docs if d["kind"] == "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": name,
    }


def test_workloads_keep_the_portal_contracts(project: Project) -> None:
    name = project.answers["component_id"]
    for overlay in overlays(project):
        docs = kustomize(project, overlay)
        workloads = [
            d
            for d in docs
            if d["kind"] in ("Deployment", "Service") and "template" in d.get("spec", {})
        ]
        assert len(workloads) == 1, overlay
        workload = workloads[0]
        assert workload["kind"] == ("Service" if overlay.endswith("knative") else "Deployment")
        # The label Backstage's Kubernetes plugin and the portal find the app by, on the
        # workload and on its pods (the PodMonitor copies it onto every series).
        assert workload["metadata"]["labels"]["backstage.io/kubernetes-id"] == name
        assert (
            workload["spec"]["template"]["metadata"]["labels"]["backstage.io/kubernetes-id"] == name
        )
        assert workload["metadata"]["annotations"]["genai-portal.io/team"]
        pod = pod_spec(workload)
        assert pod["securityContext"]["runAsNonRoot"] is True
        [container] = pod["containers"]
        assert container["image"].startswith("ghcr.io/")
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
        assert container["resources"]["requests"]
        assert container["resources"]["limits"]["memory"]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        env = {e["name"]: e for e in container["env"]}
        assert env["OPENAI_API_KEY"]["valueFrom"]["secretKeyRef"] == {
            "name": f"{name}-model",
            "key": "api-key",
        }
        assert "value" not in env["OPENAI_API_KEY"]
        assert env["GEN_AI_MODEL"]["value"] == project.answers["model"]
        # The prompt ConfigMap is labelled for the portal and is what the pod mounts.
        prompt_maps = {d["metadata"]["name"]: d for d in docs if d["kind"] == "ConfigMap"}
        [(map_name, prompt_map)] = prompt_maps.items()
        assert prompt_map["metadata"]["labels"]["genai-portal.io/prompt"] == "system"
        assert prompt_map["metadata"]["labels"]["backstage.io/kubernetes-id"] == name
        mounted = {v["configMap"]["name"] for v in pod["volumes"] if "configMap" in v}
        assert mounted == {map_name}
        assert pod["serviceAccountName"] in {
            d["metadata"]["name"] for d in docs if d["kind"] == "ServiceAccount"
        }
        monitor = next(d for d in docs if d["kind"] == "PodMonitor")
        assert monitor["spec"]["podTargetLabels"] == ["backstage.io/kubernetes-id"]
        [endpoint] = monitor["spec"]["podMetricsEndpoints"]
        assert endpoint["path"] == "/metrics"
        ports = {p.get("name", "user-port") for p in container["ports"]}
        assert endpoint["port"] in ports
        assert set(monitor["spec"]["selector"]["matchLabels"].items()) <= set(
            workload["spec"]["template"]["metadata"]["labels"].items()
        )


def test_knative_overlay_replaces_the_deployment(project: Project) -> None:
    if not project.answers["serverless"]:
        assert not (project.path / "deploy/overlays").exists()
        return
    kinds = {(d["apiVersion"], d["kind"]) for d in kustomize(project, "deploy/overlays/knative")}
    assert ("serving.knative.dev/v1", "Service") in kinds
    assert not kinds & {
        ("apps/v1", "Deployment"),
        ("v1", "Service"),
        ("autoscaling/v2", "HorizontalPodAutoscaler"),
        ("policy/v1", "PodDisruptionBudget"),
    }
