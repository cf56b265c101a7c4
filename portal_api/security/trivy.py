"""Trivy Operator reports (aquasecurity.github.io/v1alpha1) as findings linked to apps.

A report names the object it scanned in its ``trivy-operator.resource.*`` labels. For a
Deployment that object is a ReplicaSet (``<deployment>-<pod-template-hash>``), for a Knative
Service the ReplicaSet of its revision's Deployment (``<service>-<NNNNN>-deployment-<hash>``).
The workload found that way carries ``backstage.io/kubernetes-id``: the app.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from portal_api.security.ingest import VULNERABILITY_KIND, Check, FindingDraft
from portal_api.security.models import FindingSource, OwaspLlm, Severity
from portal_api.sources.models import ObjectInfo, WorkloadInfo

log = logging.getLogger(__name__)

GROUP, VERSION = "aquasecurity.github.io", "v1alpha1"
VULNERABILITY_REPORTS = "vulnerabilityreports"
CONFIG_AUDIT_REPORTS = "configauditreports"
EXPOSED_SECRET_REPORTS = "exposedsecretreports"
REPORT_KINDS = {
    VULNERABILITY_REPORTS: VULNERABILITY_KIND,
    CONFIG_AUDIT_REPORTS: "config-audit",
    EXPOSED_SECRET_REPORTS: "exposed-secret",
}

LABEL_KIND = "trivy-operator.resource.kind"
LABEL_NAME = "trivy-operator.resource.name"
LABEL_NAMESPACE = "trivy-operator.resource.namespace"
LABEL_CONTAINER = "trivy-operator.container.name"

SECRET_REMEDIATION = "Remove the secret from the image, rotate it, and mount it from a Kubernetes Secret at run time."
_SEVERITY = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
}
_KNATIVE_REVISION_DEPLOYMENT = re.compile(r"^(?P<service>.+)-\d{5}-deployment$")

WorkloadKey = tuple[str, str, str]  # kind, namespace, name


def _severity(value: Any) -> Severity:
    return _SEVERITY.get(str(value or "").upper(), Severity.INFO)


def _check(
    entry: Mapping[str, Any],
    id_key: str,
    remediation: str,
    owasp: OwaspLlm | None = None,
    *,
    title: str | None = None,
) -> Check:
    """What a report entry found: its id, severity and title (else ``title``, else its id)."""
    check_id = str(entry[id_key])
    severity = _severity(entry.get("severity"))
    return Check(
        check_id, severity, str(entry.get("title") or title or check_id), remediation, owasp
    )


def _strip_suffix(name: str) -> str:
    return name.rsplit("-", 1)[0] if "-" in name else name


@dataclass
class TrivyParseResult:
    drafts: list[FindingDraft] = field(default_factory=list)
    reports: int = 0
    linked: int = 0
    skipped: int = 0


def owner_workload(
    kind: str, namespace: str, name: str, workloads: Mapping[WorkloadKey, WorkloadInfo]
) -> WorkloadInfo | None:
    """The labelled workload that owns the scanned object, if any."""
    candidates: list[WorkloadKey] = []
    if kind in ("Deployment", "StatefulSet"):
        candidates.append((kind, namespace, name))
    elif kind == "ReplicaSet":
        deployment = _strip_suffix(name)
        candidates.append(("Deployment", namespace, deployment))
        if m := _KNATIVE_REVISION_DEPLOYMENT.match(deployment):
            candidates.append(("KnativeService", namespace, m["service"]))
    elif kind == "Pod":
        candidates.append(("StatefulSet", namespace, _strip_suffix(name)))
        candidates.append(("Deployment", namespace, _strip_suffix(_strip_suffix(name))))
    for key in candidates:
        if key in workloads:
            return workloads[key]
    return None


def _resource(w: WorkloadInfo, container: str | None) -> str:
    base = f"{w.kind} {w.namespace}/{w.name}"
    return f"{base} container {container}" if container else base


def _vulnerabilities(
    report: dict[str, Any], app_id: int, resource: str, image: str
) -> list[FindingDraft]:
    drafts = []
    for v in report["vulnerabilities"]:
        if not isinstance(v, dict) or not v.get("vulnerabilityID"):
            continue
        package = str(v.get("resource") or "")
        fixed = str(v.get("fixedVersion") or "")
        installed = str(v.get("installedVersion") or "")
        cve = str(v["vulnerabilityID"])
        remediation = (
            f"Upgrade {package} from {installed} to {fixed} (rebuild the image on a patched base)."
            if fixed
            else "No fixed version is published yet: track the advisory, or replace the package."
        )
        drafts.append(
            _check(
                v, "vulnerabilityID", remediation, OwaspLlm.LLM03, title=f"{cve} in {package}"
            ).finding(
                FindingSource.TRIVY,
                app_id,
                f"{resource} package {package}",
                f"{cve} in {package} {installed} (image {image}).",
                {
                    "kind": VULNERABILITY_KIND,
                    "package": package,
                    "installed_version": installed,
                    "fixed_version": fixed,
                    "score": v.get("score"),
                    "link": v.get("primaryLink"),
                    "image": image,
                    "target": v.get("target"),
                },
            )
        )
    return drafts


def _config_checks(report: dict[str, Any], app_id: int, resource: str) -> list[FindingDraft]:
    drafts = []
    for check in report["checks"]:
        if not isinstance(check, dict) or check.get("success", True) or not check.get("checkID"):
            continue
        scope = check.get("scope") or {}
        where = f" ({scope.get('type')} {scope.get('value')})" if scope.get("value") else ""
        messages = [str(m) for m in check.get("messages") or []]
        drafts.append(
            _check(check, "checkID", str(check.get("remediation") or "")).finding(
                FindingSource.TRIVY,
                app_id,
                resource + where,
                " ".join(messages) or str(check.get("description") or ""),
                {"kind": "config-audit", "category": check.get("category")},
            )
        )
    return drafts


def _secrets(report: dict[str, Any], app_id: int, resource: str, image: str) -> list[FindingDraft]:
    drafts = []
    for secret in report["secrets"]:
        if not isinstance(secret, dict) or not secret.get("ruleID"):
            continue
        target = str(secret.get("target") or "")
        # The match is masked by Trivy; the portal keeps only where it was found.
        drafts.append(
            _check(secret, "ruleID", SECRET_REMEDIATION, OwaspLlm.LLM02).finding(
                FindingSource.TRIVY,
                app_id,
                f"{resource} file {target}",
                f"A {secret.get('category') or 'secret'} credential is baked into image "
                f"{image} at {target}.",
                {"kind": "exposed-secret", "category": secret.get("category"), "image": image},
            )
        )
    return drafts


def report_findings(
    plural: str, report: dict[str, Any], app_id: int, resource: str, image: str
) -> list[FindingDraft]:
    """The findings of one report of a kind (with its list of entries) on an app's workload."""
    if plural == VULNERABILITY_REPORTS:
        return _vulnerabilities(report, app_id, resource, image)
    if plural == CONFIG_AUDIT_REPORTS:
        return _config_checks(report, app_id, resource)
    return _secrets(report, app_id, resource, image)


_LIST_FIELD = {
    VULNERABILITY_REPORTS: "vulnerabilities",
    CONFIG_AUDIT_REPORTS: "checks",
    EXPOSED_SECRET_REPORTS: "secrets",
}


def parse_reports(
    plural: str,
    reports: Iterable[ObjectInfo],
    *,
    workloads: Iterable[WorkloadInfo],
    app_ids: Mapping[str, int],
) -> TrivyParseResult:
    """Findings of every report of one kind whose scanned object belongs to a known app.

    Reports of an unknown shape or without the resource labels are skipped with a warning.
    """
    index = {(w.kind, w.namespace, w.name): w for w in workloads}
    result = TrivyParseResult()
    list_field = _LIST_FIELD[plural]
    for obj in reports:
        result.reports += 1
        where = f"{obj.kind} {obj.namespace}/{obj.name}"
        kind, name = obj.labels.get(LABEL_KIND), obj.labels.get(LABEL_NAME)
        namespace = obj.labels.get(LABEL_NAMESPACE) or obj.namespace
        if not kind or not name or not namespace:
            log.warning("skipping %s: no %s/%s labels", where, LABEL_KIND, LABEL_NAME)
            result.skipped += 1
            continue
        report = obj.body.get("report")
        if not isinstance(report, dict) or not isinstance(report.get(list_field) or [], list):
            log.warning("skipping %s: unknown report shape (no report.%s list)", where, list_field)
            result.skipped += 1
            continue
        report = {**report, list_field: report.get(list_field) or []}
        workload = owner_workload(kind, namespace, name, index)
        if workload is None:
            log.debug(
                "%s scanned %s %s/%s, which is no app's workload", where, kind, namespace, name
            )
            continue
        app_id = app_ids.get(workload.app_id)
        if app_id is None:
            log.warning("skipping %s: app %s is not registered yet", where, workload.app_id)
            result.skipped += 1
            continue
        result.linked += 1
        resource = _resource(workload, obj.labels.get(LABEL_CONTAINER))
        artifact = report.get("artifact") or {}
        image = str(artifact.get("repository") or "")
        if artifact.get("tag"):
            image += f":{artifact['tag']}"
        result.drafts.extend(report_findings(plural, report, app_id, resource, image))
    return result
