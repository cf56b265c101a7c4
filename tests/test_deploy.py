"""The production manifests keep the promises docs/deployment.md makes: read-only RBAC, secrets from a
Secret, probes on the portal's health routes, non-root pods."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

BASE = Path(__file__).parent.parent / "deploy" / "base"


def _documents() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((BASE / "kustomization.yaml").read_text())
    docs = []
    for resource in kustomization["resources"]:
        docs.extend(d for d in yaml.safe_load_all((BASE / resource).read_text()) if d)
    return docs


def test_rbac_is_read_only_but_for_the_sync_lease() -> None:
    roles = [d for d in _documents() if d["kind"] in ("ClusterRole", "Role")]
    assert roles
    for role in roles:
        for rule in role["rules"]:
            assert "secrets" not in rule["resources"]
            if set(rule["verbs"]) <= {"get", "list", "watch"}:
                continue
            # The only write: its own Lease, namespaced, never delete.
            assert role["kind"] == "Role"
            assert rule["apiGroups"] == ["coordination.k8s.io"]
            assert rule["resources"] == ["leases"]
            assert "delete" not in rule["verbs"]


def test_rbac_covers_what_the_sources_read() -> None:
    granted = {
        (group, resource)
        for d in _documents()
        if d["kind"] == "ClusterRole"
        for rule in d["rules"]
        for group in rule["apiGroups"]
        for resource in rule["resources"]
    }
    for needed in [
        ("apps", "deployments"),
        ("apps", "statefulsets"),
        ("", "configmaps"),
        ("serving.knative.dev", "services"),
    ]:
        assert needed in granted


def test_workloads_are_hardened_and_take_secrets_from_a_secret() -> None:
    deployments = [d for d in _documents() if d["kind"] == "Deployment"]
    assert {d["metadata"]["name"] for d in deployments} == {"genai-portal-api", "genai-portal-sync"}
    for d in deployments:
        pod = d["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for c in pod["containers"]:
            assert c["securityContext"]["readOnlyRootFilesystem"] is True
            assert c["securityContext"]["allowPrivilegeEscalation"] is False
            assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
            assert c["resources"]["limits"]
            env = {e["name"]: e for e in c["env"]}
            for secret in ("PORTAL_DATABASE_URL", "PORTAL_API_TOKENS", "PORTAL_OPENAI_API_KEY"):
                assert "secretKeyRef" in env[secret]["valueFrom"], secret
                assert "value" not in env[secret]
    api = next(d for d in deployments if d["metadata"]["name"] == "genai-portal-api")
    assert api["spec"]["replicas"] >= 2
