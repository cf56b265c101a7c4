"""Trivy Operator reports and posture checks, read from the Kubernetes test server by the
real sync steps, stored on both databases."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from sqlmodel import select

from portal_api.apps.models import App
from portal_api.db import Database
from portal_api.security import summary as posture
from portal_api.security.models import Finding, FindingEvent, FindingSource, FindingStatus
from portal_api.sync.models import Freshness
from tests.factories import container, deployment, knative_service, stateful_set
from tests.security import factories as f
from tests.servers.kube import KubeState
from tests.sync.helpers import KubeSync

FRESH = Freshness(source="kubernetes", as_of=None, stale=False)
T0 = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
PRODUCTION = {"genai-portal.io/lifecycle": "production", "genai-portal.io/team": "care"}
TRIVY = f.API_VERSION


def _findings(db: Database, **where: Any) -> list[Finding]:
    with db.session() as session:
        rows = session.exec(select(Finding)).all()
    return [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]


@pytest.fixture
def kube(kube: KubeState) -> KubeState:
    """The emptied test server with Trivy Operator's report types, PodDisruptionBudgets and
    NetworkPolicies installed (no objects yet)."""
    for plural in ("vulnerabilityreports", "configauditreports", "exposedsecretreports"):
        kube.install(TRIVY, plural)
    kube.install("policy/v1", "poddisruptionbudgets")
    kube.install("networking.k8s.io/v1", "networkpolicies")
    return kube


def _cluster(kube: KubeState) -> None:
    kube.add(deployment("chat", "support", annotations=dict(PRODUCTION)))
    kube.add(stateful_set("memory", "support", app_id="chat", annotations=dict(PRODUCTION)))
    kube.add(knative_service("rewriter", "search", min_scale=2))
    reports = [
        # Chat's Deployment is scanned through its ReplicaSet.
        f.vulnerability_report(
            "support",
            "chat-5d8f7b9c4",
            [
                f.vulnerability("CVE-2024-6119", "openssl", "3.0.13", "3.0.14", "HIGH"),
                f.vulnerability("CVE-2023-45853", "zlib1g", "1.2.13", "", "CRITICAL"),
                f.vulnerability("CVE-2024-37891", "urllib3", "2.2.1", "2.2.2", "MEDIUM"),
            ],
        ),
        # The StatefulSet is scanned directly.
        f.vulnerability_report(
            "support",
            "memory",
            [f.vulnerability("CVE-2024-45490", "libexpat1", "2.5.0", "2.5.0-1", "LOW")],
            resource_kind="StatefulSet",
        ),
        # Knative: the ReplicaSet of the revision's Deployment.
        f.vulnerability_report(
            "search",
            "rewriter-00001-deployment-7f9c8d6b5",
            [f.vulnerability("CVE-2024-24790", "stdlib", "1.21.9", "1.21.11", "CRITICAL")],
            container="user-container",
        ),
        f.config_audit_report(
            "support",
            "chat-5d8f7b9c4",
            [f.check("KSV014", "HIGH"), f.check("KSV003", "LOW"), f.check("KSV001", success=True)],
        ),
        f.exposed_secret_report("support", "chat-5d8f7b9c4", [f.exposed_secret()]),
    ]
    for report in reports:
        kube.add(report)
    # A report about something that is no app's workload: ignored.
    kube.add(
        f.vulnerability_report(
            "kube-system", "coredns-7db6d8ff4d", [f.vulnerability("CVE-1", "x", "1")]
        )
    )


def test_trivy_reports_become_findings_linked_to_apps(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    _cluster(kube)
    results = kube_sync(T0)
    step = results["kubernetes/security-trivy"]
    assert step.ok, step.error
    assert step.stats["vulnerabilityreports"]["reports"] == 4
    assert step.stats["vulnerabilityreports"]["linked"] == 3

    trivy = _findings(db, source=FindingSource.TRIVY)
    with db.session() as session:
        apps = {a.id: a.name for a in session.exec(select(App)).all()}
    by_app: dict[str, set[str]] = {}
    for finding in trivy:
        by_app.setdefault(apps[finding.app_id], set()).add(finding.check_id)
    assert by_app == {
        "chat": {
            "CVE-2024-6119",
            "CVE-2023-45853",
            "CVE-2024-37891",
            "CVE-2024-45490",
            "KSV014",
            "KSV003",
            "openai-api-key",
        },
        "rewriter": {"CVE-2024-24790"},
    }
    cve = next(x for x in trivy if x.check_id == "CVE-2024-6119")
    assert cve.resource == "Deployment support/chat container app package openssl"
    assert cve.severity == "high"
    assert cve.owasp == "LLM03"
    assert cve.data["fixed_version"] == "3.0.14"
    memory = next(x for x in trivy if x.check_id == "CVE-2024-45490")
    assert memory.resource.startswith("StatefulSet support/memory")
    secret = next(x for x in trivy if x.check_id == "openai-api-key")
    assert secret.severity == "critical"
    assert secret.owasp == "LLM02"
    assert "*****" not in secret.detail  # the masked match is not kept either

    with db.session() as session:
        summary = posture.app_summary(session=session, app="chat", now=T0, freshness=FRESH)
    assert summary.vulnerabilities.by_severity.model_dump() == {
        "critical": 1,
        "high": 1,
        "medium": 1,
        "low": 1,
        "info": 0,
    }
    assert (summary.vulnerabilities.fixable, summary.vulnerabilities.unfixable) == (3, 1)
    assert summary.by_source["trivy-operator"].high == 2  # CVE-2024-6119 and KSV014


def test_a_report_that_disappears_resolves_and_one_that_returns_reopens(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    _cluster(kube)
    kube_sync(T0)
    before = {x.check_id: x.id for x in _findings(db, source=FindingSource.TRIVY)}

    report = next(
        o
        for o in kube.objects[(TRIVY, "vulnerabilityreports")]
        if o["metadata"]["name"] == "replicaset-chat-5d8f7b9c4-app"
    )
    kube.remove(TRIVY, "vulnerabilityreports", "support", "replicaset-chat-5d8f7b9c4-app")
    later = T0 + dt.timedelta(hours=6)
    step = kube_sync(later)["kubernetes/security-trivy"]
    assert step.stats["vulnerabilityreports"]["resolved"] == 3
    resolved = {x.check_id for x in _findings(db, status=FindingStatus.RESOLVED)}
    assert resolved == {"CVE-2024-6119", "CVE-2023-45853", "CVE-2024-37891"}
    # Other report kinds are untouched.
    assert _findings(db, check_id="KSV014")[0].status == FindingStatus.OPEN

    kube.add(report)
    again = T0 + dt.timedelta(hours=12)
    step = kube_sync(again)["kubernetes/security-trivy"]
    assert step.stats["vulnerabilityreports"]["reopened"] == 3
    reopened = _findings(db, check_id="CVE-2024-6119")[0]
    assert reopened.id == before["CVE-2024-6119"]  # the same finding, not a new one
    assert reopened.status == FindingStatus.OPEN
    assert reopened.first_seen == T0
    assert reopened.last_seen == again
    with db.session() as session:
        events = session.exec(
            select(FindingEvent).where(FindingEvent.finding_id == reopened.id)
        ).all()
    assert [(e.kind, e.at) for e in events] == [
        ("opened", T0),
        ("resolved", later),
        ("reopened", again),
    ]


def test_sync_twice_changes_nothing(db: Database, kube: KubeState, kube_sync: KubeSync) -> None:
    _cluster(kube)
    kube_sync(T0)
    first = {(x.fingerprint, x.status) for x in _findings(db)}
    results = kube_sync(T0 + dt.timedelta(hours=1))
    assert results["kubernetes/security-trivy"].stats["vulnerabilityreports"]["opened"] == 0
    assert {(x.fingerprint, x.status) for x in _findings(db)} == first
    with db.session() as session:
        assert len(session.exec(select(FindingEvent)).all()) == len(first)


def test_unknown_shapes_and_missing_labels_are_skipped_with_a_warning(
    db: Database,
    kube: KubeState,
    kube_sync: KubeSync,
    caplog: pytest.LogCaptureFixture,
) -> None:
    kube.add(deployment("chat", "support"))
    unlabelled = f.vulnerability_report(
        "support", "chat-5d8f7b9c4", [f.vulnerability("CVE-2024-6119", "openssl", "3.0.13")]
    )
    unlabelled["metadata"]["labels"] = {}
    unlabelled["metadata"]["name"] = "unlabelled"
    kube.add(unlabelled)
    odd = f.vulnerability_report("support", "chat-5d8f7b9c4", [])
    odd["report"] = {"vulnerabilities": "not a list"}
    odd["metadata"]["name"] = "odd"
    kube.add(odd)
    no_report = f.config_audit_report("support", "chat-5d8f7b9c4", [])
    del no_report["report"]
    kube.add(no_report)
    good = f.vulnerability_report(
        "support", "chat-5d8f7b9c4", [f.vulnerability("CVE-2024-6119", "openssl", "3.0.13")]
    )
    kube.add(good)

    with caplog.at_level(logging.WARNING, logger="portal_api.security.trivy"):
        step = kube_sync(T0)["kubernetes/security-trivy"]
    assert step.ok, step.error
    assert step.stats["vulnerabilityreports"]["skipped"] == 2
    assert step.stats["configauditreports"]["skipped"] == 1
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "no trivy-operator.resource.kind" in messages
    assert "unknown report shape" in messages
    assert [x.check_id for x in _findings(db, source=FindingSource.TRIVY)] == ["CVE-2024-6119"]


def test_without_trivy_operator_nothing_is_resolved(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    _cluster(kube)
    kube_sync(T0)
    open_before = len(_findings(db, source=FindingSource.TRIVY, status=FindingStatus.OPEN))
    # The operator is uninstalled: its CRDs answer 404. Unknown is not fixed.
    for plural in ("vulnerabilityreports", "configauditreports", "exposedsecretreports"):
        kube.objects.pop((TRIVY, plural), None)
        kube.installed.discard((TRIVY, plural))
    step = kube_sync(T0 + dt.timedelta(hours=1))["kubernetes/security-trivy"]
    assert step.ok
    assert step.stats["vulnerabilityreports"] == "not installed"
    assert len(_findings(db, source=FindingSource.TRIVY, status=FindingStatus.OPEN)) == open_before


def test_api_server_failure_keeps_findings(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    _cluster(kube)
    kube_sync(T0)
    stored = {(x.fingerprint, x.status) for x in _findings(db)}
    kube.fail("/apis/aquasecurity.github.io", 500)
    step = kube_sync(T0 + dt.timedelta(hours=1))["kubernetes/security-trivy"]
    assert not step.ok
    assert "500" in (step.error or "")
    assert {(x.fingerprint, x.status) for x in _findings(db)} == stored


# -- posture ----------------------------------------------------------------------------------


def _bad_workload() -> dict[str, Any]:
    bad = container(
        image="registry.example.com/care/bot:latest",
        env=[
            {"name": "OPENAI_API_KEY", "value": "sk-proj-not-a-real-key"},
            {"name": "OPENAI_BASE_URL", "value": "https://api.openai.com/v1"},
            {"name": "LOG_LEVEL", "value": "info"},
        ],
        resources={"requests": {"cpu": "100m"}},
        security_context={},
        readiness=False,
    )
    return deployment("bot", "care", annotations=dict(PRODUCTION), replicas=1, containers=[bad])


def _good_workload() -> dict[str, Any]:
    good = container(
        env=[
            {
                "name": "OPENAI_API_KEY",
                "valueFrom": {"secretKeyRef": {"name": "openai", "key": "api-key"}},
            }
        ]
    )
    return deployment("bot", "care", annotations=dict(PRODUCTION), replicas=3, containers=[good])


def _policies(kube: KubeState) -> None:
    kube.add(f.pdb("bot", "care", {"app.kubernetes.io/name": "bot"}))
    kube.add(
        f.network_policy(
            "bot-egress",
            "care",
            {"matchLabels": {"backstage.io/kubernetes-id": "bot"}},
            egress=f.LIMITED_EGRESS,
        )
    )


DOMAIN_CHECKS = {"GENAI-NO-RECENT-EVAL", "GENAI-PROMPTS-NOT-VERSIONED"}


def _posture_ids(db: Database) -> dict[str, str]:
    """Open workload posture findings (the evals/prompts checks are tested on their own)."""
    return {
        x.check_id: x.status
        for x in _findings(db, source=FindingSource.POSTURE)
        if x.status == FindingStatus.OPEN and x.check_id not in DOMAIN_CHECKS
    }


def test_posture_checks_find_each_problem(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    kube.add(_bad_workload())
    step = kube_sync(T0)["kubernetes/security-posture"]
    assert step.ok, step.error
    assert set(_posture_ids(db)) == {
        "GENAI-PLAIN-API-KEY",
        "K8S-RUN-AS-ROOT",
        "K8S-WRITABLE-ROOT-FS",
        "K8S-PRIVILEGE-ESCALATION",
        "K8S-NO-RESOURCE-LIMITS",
        "AVAIL-SINGLE-REPLICA",
        "AVAIL-NO-PDB",
        "GENAI-NO-EGRESS-POLICY",
        "K8S-NO-READINESS-PROBE",
        "SUPPLY-IMAGE-LATEST",
    }
    key = _findings(db, check_id="GENAI-PLAIN-API-KEY")[0]
    assert key.data == {"env": ["OPENAI_API_KEY"]}  # the base URL is no credential
    assert "sk-proj" not in key.detail
    assert key.owasp == "LLM02"
    assert _findings(db, check_id="GENAI-NO-EGRESS-POLICY")[0].owasp == "LLM06"


def test_fixing_the_workload_resolves_its_posture_findings(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    kube.add(_bad_workload())
    kube_sync(T0)
    kube.add(_good_workload())
    _policies(kube)
    step = kube_sync(T0 + dt.timedelta(hours=1))["kubernetes/security-posture"]
    assert step.stats["resolved"] == 10
    assert _posture_ids(db) == {}


def test_egress_policy_that_allows_everything_does_not_count(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    kube.add(_good_workload())
    kube.add(f.pdb("bot", "care", {"app.kubernetes.io/name": "bot"}))
    kube.add(f.network_policy("allow-all", "care", {}, egress=[{}]))
    kube.add(f.network_policy("ingress-only", "care", {}, policy_types=["Ingress"]))
    kube.add(f.network_policy("other-ns", "elsewhere", {}, egress=f.LIMITED_EGRESS))
    kube_sync(T0)
    assert set(_posture_ids(db)) == {"GENAI-NO-EGRESS-POLICY"}


def test_staging_and_experimental_workloads_skip_availability_checks(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    _policies(kube)
    single = _good_workload()
    single["spec"]["replicas"] = 1
    single["metadata"]["annotations"]["genai-portal.io/lifecycle"] = "experimental"
    kube.add(single)
    kube_sync(T0)
    assert _posture_ids(db) == {}


def test_no_recent_evaluation_and_unversioned_prompts(
    db: Database, kube: KubeState, kube_sync: KubeSync
) -> None:
    from portal_api.prompts.models import PromptVersion
    from tests.factories import eval_run, prompt_version

    kube.add(_good_workload())
    _policies(kube)
    kube_sync(T0)
    found = {x.check_id: x for x in _findings(db) if x.check_id in DOMAIN_CHECKS}
    assert set(found) == DOMAIN_CHECKS
    assert "never" in found["GENAI-NO-RECENT-EVAL"].detail

    with db.session_scope() as session:
        app = session.exec(select(App).where(App.name == "bot")).one()
        assert app.id is not None
        version = prompt_version(session, app.id)
        assert version.id is not None
        # An old run: the app still counts as not evaluated recently.
        thirty_days_ago = T0 - dt.timedelta(days=30)
        eval_run(session, app.id, version.id, started=thirty_days_ago, finished=thirty_days_ago)
    kube_sync(T0 + dt.timedelta(hours=1))
    open_ids = {x.check_id for x in _findings(db, status=FindingStatus.OPEN)}
    assert "GENAI-PROMPTS-NOT-VERSIONED" not in open_ids
    assert "GENAI-NO-RECENT-EVAL" in open_ids
    assert "last on" in _findings(db, check_id="GENAI-NO-RECENT-EVAL")[0].detail

    with db.session_scope() as session:
        app = session.exec(select(App).where(App.name == "bot")).one()
        version_id = session.exec(select(PromptVersion.id)).one()
        assert app.id is not None
        assert version_id is not None
        yesterday = T0 - dt.timedelta(days=1)
        eval_run(session, app.id, version_id, started=yesterday, finished=yesterday)
    kube_sync(T0 + dt.timedelta(hours=2))
    assert not {x.check_id for x in _findings(db, status=FindingStatus.OPEN)} & DOMAIN_CHECKS
