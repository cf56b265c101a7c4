"""Trivy Operator reports, PodDisruptionBudgets and NetworkPolicies as the API server returns
them (shapes from aquasecurity/trivy-operator's v1alpha1 types and real clusters)."""

from __future__ import annotations

from typing import Any

API_VERSION = "aquasecurity.github.io/v1alpha1"
SCANNER = {"name": "Trivy", "vendor": "Aqua Security", "version": "0.56.1"}


def _meta(
    namespace: str, resource_kind: str, resource_name: str, container: str | None
) -> dict[str, Any]:
    prefix = resource_kind.lower()
    name = f"{prefix}-{resource_name}" + (f"-{container}" if container else "")
    labels = {
        "trivy-operator.resource.kind": resource_kind,
        "trivy-operator.resource.name": resource_name,
        "trivy-operator.resource.namespace": namespace,
        "resource-spec-hash": "5d6b8f9c7d",
    }
    if container:
        labels["trivy-operator.container.name"] = container
    return {
        "name": name,
        "namespace": namespace,
        "labels": labels,
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": resource_kind,
                "name": resource_name,
                "controller": True,
                "blockOwnerDeletion": False,
                "uid": "0b5c3a8e-8c1f-4b8e-9a57-2f3c1d6e7a90",
            }
        ],
    }


def vulnerability(
    cve: str,
    package: str,
    installed: str,
    fixed: str = "",
    severity: str = "HIGH",
    title: str | None = None,
) -> dict[str, Any]:
    return {
        "vulnerabilityID": cve,
        "resource": package,
        "installedVersion": installed,
        "fixedVersion": fixed,
        "publishedDate": "2024-09-03T16:15:06Z",
        "lastModifiedDate": "2024-09-12T21:35:13Z",
        "severity": severity,
        "title": title or f"{package}: issue {cve}",
        "primaryLink": f"https://avd.aquasec.com/nvd/{cve.lower()}",
        "links": [],
        "score": 7.5,
        "target": "",
    }


def _summary(items: list[dict[str, Any]], *, failed_only: bool = False) -> dict[str, int]:
    counts = {"criticalCount": 0, "highCount": 0, "mediumCount": 0, "lowCount": 0}
    for item in items:
        if failed_only and item.get("success"):
            continue
        key = f"{str(item.get('severity', '')).lower()}Count"
        if key in counts:
            counts[key] += 1
    return counts


def _report(
    kind: str,
    namespace: str,
    resource_kind: str,
    resource_name: str,
    container: str | None,
    **report: Any,
) -> dict[str, Any]:
    """A Trivy Operator report of ``kind`` about one workload (one container of it)."""
    return {
        "apiVersion": API_VERSION,
        "kind": kind,
        "metadata": _meta(namespace, resource_kind, resource_name, container),
        "report": {"updateTimestamp": "2026-11-20T08:00:00Z", "scanner": SCANNER, **report},
    }


REGISTRY = {"server": "registry.example.com"}


def vulnerability_report(
    namespace: str,
    resource_name: str,
    vulnerabilities: list[dict[str, Any]],
    *,
    resource_kind: str = "ReplicaSet",
    container: str = "app",
    repository: str = "team/app",
    tag: str = "1.4.0",
) -> dict[str, Any]:
    return _report(
        "VulnerabilityReport",
        namespace,
        resource_kind,
        resource_name,
        container,
        registry=REGISTRY,
        artifact={"repository": repository, "tag": tag},
        os={"family": "debian", "name": "12.7"},
        summary=_summary(vulnerabilities) | {"unknownCount": 0, "noneCount": 0},
        vulnerabilities=vulnerabilities,
    )


def check(
    check_id: str, severity: str = "HIGH", *, success: bool = False, title: str = ""
) -> dict[str, Any]:
    return {
        "checkID": check_id,
        "title": title or f"Check {check_id}",
        "description": f"Description of {check_id}.",
        "severity": severity,
        "category": "Kubernetes Security Check",
        "messages": [f"Container 'app' of ReplicaSet should satisfy {check_id}"],
        "remediation": f"Fix {check_id}.",
        "success": success,
    }


def config_audit_report(
    namespace: str, resource_name: str, checks: list[dict[str, Any]]
) -> dict[str, Any]:
    """A ReplicaSet's configuration audit (of the whole pod: no container)."""
    summary = _summary(checks, failed_only=True)
    return _report(
        "ConfigAuditReport",
        namespace,
        "ReplicaSet",
        resource_name,
        None,
        summary=summary,
        checks=checks,
    )


def exposed_secret_report(
    namespace: str, resource_name: str, secrets: list[dict[str, Any]]
) -> dict[str, Any]:
    """Secrets found in the image of a ReplicaSet's container ``app``."""
    return _report(
        "ExposedSecretReport",
        namespace,
        "ReplicaSet",
        resource_name,
        "app",
        registry=REGISTRY,
        artifact={"repository": "team/app", "tag": "1.4.0"},
        summary=_summary(secrets),
        secrets=secrets,
    )


def exposed_secret(rule_id: str = "openai-api-key", target: str = "/app/.env") -> dict[str, Any]:
    return {
        "target": target,
        "ruleID": rule_id,
        "title": "OpenAI API Key",
        "category": "OpenAI",
        "severity": "CRITICAL",
        "match": "OPENAI_API_KEY=*****************************************************",
    }


def pdb(name: str, namespace: str, match_labels: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"minAvailable": 1, "selector": {"matchLabels": match_labels}},
    }


def network_policy(
    name: str,
    namespace: str,
    pod_selector: dict[str, Any],
    *,
    egress: list[dict[str, Any]] | None = None,
    policy_types: list[str] | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "podSelector": pod_selector,
        "policyTypes": policy_types or ["Egress"],
    }
    if egress is not None:
        spec["egress"] = egress
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }


LIMITED_EGRESS = [
    {
        "to": [{"ipBlock": {"cidr": "203.0.113.0/24"}}],
        "ports": [{"protocol": "TCP", "port": 443}],
    },
    {"to": [{"namespaceSelector": {}}], "ports": [{"protocol": "UDP", "port": 53}]},
]
