"""An app that passes every readiness check, and the one change that fails each check."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from portal_api.apps.models import App, Lifecycle, Workload, WorkloadKind
from portal_api.costs.models import Budget, BudgetScope, CostDaily, PriceSource
from portal_api.evals.models import EvalRun
from portal_api.prompts.models import PromptDeployment
from portal_api.security.models import (
    Finding,
    FindingSource,
    FindingStatus,
    GuardrailRollup,
    Severity,
)
from portal_api.sync.models import SourceStatus
from portal_api.usage.models import UsageDaily, UsageHourly
from tests.factories import deploy_prompt, eval_run, make_app, prompt_version

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
TODAY = NOW.replace(hour=0)
DIGEST = "registry.example.com/care/chat@sha256:" + "a" * 64
# The ready app's hour of model traffic, two hours before NOW: requests with latency, one
# error in 120 (the checks that fail without traffic set these to none).
TRAFFIC: dict[str, Any] = {
    "requests": 120,
    "input_tokens": 50_000,
    "output_tokens": 9_000,
    "errors": 1,
    "latency_p50": 0.8,
    "latency_p95": 2.1,
}
STEPS = [
    "kubernetes/apps",
    "kubernetes/prompts",
    "kubernetes/security-posture",
    "kubernetes/security-trivy",
    "prometheus/usage",
    "prometheus/security-guardrails",
    "prometheus/costs",
]


def synced(session: Session, steps: list[str] = STEPS, at: dt.datetime = NOW) -> None:
    for step in steps:
        source = step.split("/")[0]
        stats = {"vulnerabilityreports": {"reports": 1}} if step.endswith("trivy") else {}
        session.add(SourceStatus(step=step, source=source, last_success=at, stats=stats))
    session.flush()


def finding(
    session: Session,
    app: App,
    check_id: str,
    *,
    source: FindingSource = FindingSource.POSTURE,
    severity: Severity = Severity.MEDIUM,
    first_seen: dt.datetime = NOW,
) -> Finding:
    assert app.id is not None
    resource = f"Deployment care/{app.name} container app"
    row = Finding(
        fingerprint=hashlib.sha256(f"{check_id}{app.id}{resource}".encode()).hexdigest(),
        app_id=app.id,
        source=source,
        check_id=check_id,
        severity=severity,
        title=f"title of {check_id}",
        resource=resource,
        status=FindingStatus.OPEN,
        first_seen=first_seen,
        last_seen=NOW,
    )
    session.add(row)
    session.flush()
    return row


def _key(app: str) -> dict[str, Any]:
    """What keys an app's usage and cost rows: the app, its one namespace and its one model."""
    return {"app": app, "namespace": "care", "model": "gpt-4o"}


def _usage(session: Session, app: str, day: dt.datetime, requests: int, cost: Decimal) -> None:
    session.add(UsageDaily(**_key(app), day=day, requests=requests))
    session.add(CostDaily(**_key(app), day=day, cost=cost, price_source=PriceSource.GENAI_PRICES))


def ready_app(session: Session, name: str = "chat", team: str = "care") -> App:
    """Everything a gold app has: metrics, guard, budget, versioned and evaluated prompts,
    a hardened workload, flat cost per request."""
    app = make_app(
        session, name=name, namespace="care", team=team, lifecycle=Lifecycle.PRODUCTION, now=NOW
    )
    assert app.id is not None
    session.add(
        Workload(
            app_id=app.id,
            kind=WorkloadKind.DEPLOYMENT,
            namespace="care",
            name=name,
            replicas=2,
            images=[DIGEST],
            first_seen=NOW - dt.timedelta(days=90),
            last_seen=NOW,
        )
    )
    session.add(
        UsageHourly(
            **_key(name),
            hour=NOW - dt.timedelta(hours=2),
            day=TODAY,
            **TRAFFIC,
        )
    )
    session.add(
        GuardrailRollup(
            app_id=app.id,
            rule="prompt_injection",
            direction="input",
            action="blocked",
            hour=NOW - dt.timedelta(hours=5),
            events=3,
        )
    )
    session.add(Budget(scope=BudgetScope.APP, name=name, amount=Decimal("500")))
    _usage(session, name, TODAY - dt.timedelta(days=5), 1000, Decimal("10.50"))
    _usage(session, name, TODAY - dt.timedelta(days=40), 1000, Decimal("10.00"))
    version = prompt_version(session, app.id, model="gpt-4o", created=NOW - dt.timedelta(days=70))
    assert version.id is not None
    deploy_prompt(session, app, version.id, started=NOW - dt.timedelta(days=60))
    eval_run(
        session,
        app.id,
        version.id,
        model="gpt-4o",
        started=NOW - dt.timedelta(days=1, minutes=5),
        finished=NOW - dt.timedelta(days=1),
        cases=25,
        passed=24,
        aggregate_score=0.93,
    )
    session.flush()
    return app


def _rows(session: Session, model: type, app: App) -> list[Any]:
    """The rows of one app (by id, by name, or a budget for it)."""
    rows: list[Any] = list(session.exec(select(model)).all())
    if hasattr(model, "app_id"):
        return [r for r in rows if r.app_id == app.id]
    if model is Budget:
        return [r for r in rows if r.name == app.name]
    return [r for r in rows if r.app == app.name]


def _set(session: Session, model: type, app: App, values: dict[str, object]) -> None:
    for row in _rows(session, model, app):
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)
    session.flush()


def _delete(session: Session, model: type, app: App) -> None:
    for row in _rows(session, model, app):
        session.delete(row)
    session.flush()


def vulnerability(
    session: Session, app: App, cve: str, severity: Severity, *, days_open: int
) -> Finding:
    """An open Trivy vulnerability finding, first seen ``days_open`` days before NOW."""
    return finding(
        session,
        app,
        cve,
        source=FindingSource.TRIVY,
        severity=severity,
        first_seen=NOW - dt.timedelta(days=days_open),
    )


def _posture(check_id: str) -> Callable[[Session, App], None]:
    def add(session: Session, app: App) -> None:
        finding(session, app, check_id)

    return add


def _overdue(session: Session, app: App) -> None:
    vulnerability(session, app, "CVE-2024-6119", Severity.HIGH, days_open=45)


def _cost_rise(session: Session, app: App) -> None:
    for row in _rows(session, CostDaily, app):
        if row.day >= TODAY - dt.timedelta(days=30):
            row.cost = Decimal("21.00")
            session.add(row)
    session.flush()


BREAK: dict[str, Callable[[Session, App], None]] = {
    "OBS-GENAI-METRICS": lambda s, a: _set(s, UsageHourly, a, {"hour": NOW - dt.timedelta(days=3)}),
    "OBS-LATENCY-ERRORS": lambda s, a: _set(
        s, UsageHourly, a, {"requests": 0, "latency_p50": None, "latency_p95": None}
    ),
    "OBS-GUARDRAIL-METRIC": _posture("GENAI-NO-GUARDRAIL-METRICS"),
    "OBS-BUDGET": lambda s, a: _delete(s, Budget, a),
    "OBS-BUDGET-ALERTS": lambda s, a: _set(s, CostDaily, a, {"cost": None}),
    "QUAL-PROMPTS-VERSIONED": lambda s, a: _set(s, PromptDeployment, a, {"ended": NOW}),
    "QUAL-EVAL-RECENT": lambda s, a: _set(s, EvalRun, a, {"finished": NOW - dt.timedelta(days=30)}),
    "QUAL-NO-REGRESSION": lambda s, a: _set(s, EvalRun, a, {"regression": True}),
    "QUAL-DATASET-SIZE": lambda s, a: _set(s, EvalRun, a, {"cases": 5}),
    "SEC-GUARD-IN-PATH": lambda s, a: _set(s, GuardrailRollup, a, {"events": 0.0}),
    "SEC-FINDINGS-SLA": _overdue,
    "SEC-NO-PLAIN-KEY": _posture("GENAI-PLAIN-API-KEY"),
    "SEC-NON-ROOT": _posture("K8S-RUN-AS-ROOT"),
    "SEC-READ-ONLY-ROOT-FS": _posture("K8S-WRITABLE-ROOT-FS"),
    "SEC-EGRESS-POLICY": _posture("GENAI-NO-EGRESS-POLICY"),
    "REL-REPLICAS": lambda s, a: _set(s, Workload, a, {"replicas": 1}),
    "REL-PDB": _posture("AVAIL-NO-PDB"),
    "REL-READINESS-PROBE": _posture("K8S-NO-READINESS-PROBE"),
    "REL-RESOURCE-LIMITS": _posture("K8S-NO-RESOURCE-LIMITS"),
    "REL-IMAGE-DIGEST": lambda s, a: _set(
        s, Workload, a, {"images": ["registry.example.com/care/chat:1.4.0"]}
    ),
    "COST-PER-REQUEST-TREND": _cost_rise,
}
