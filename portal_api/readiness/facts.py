"""What the checks look at, loaded for many apps at once: a fixed number of grouped queries
per read, whatever the number of apps."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from portal_api.apps.models import App, AppOrigin, Workload
from portal_api.costs.models import Budget, BudgetScope, CostDaily
from portal_api.evals.models import EvalRun
from portal_api.kit.timeutil import floor_day
from portal_api.prompts.models import PromptDeployment, PromptLabel, PromptVersion
from portal_api.readiness.checks import STEP_SOURCES
from portal_api.readiness.scorecard import Parameters
from portal_api.security.models import Finding, FindingSource, FindingStatus, GuardrailRollup
from portal_api.sync.models import SourceStatus
from portal_api.timeline.models import ChangeKind
from portal_api.timeline.service import collect_changes
from portal_api.usage.models import UsageDaily, UsageHourly

MONTH = dt.timedelta(days=30)
STAGING_SUFFIXES = ("-staging", "-dev", "-test")
EXPLAINING_KINDS = {ChangeKind.PROMPT_DEPLOY, ChangeKind.PROMPT_LABEL, ChangeKind.MODEL_SWITCH}


@dataclass
class WorkloadFact:
    kind: str
    namespace: str
    name: str
    replicas: int | None
    images: list[str]

    @property
    def ref(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}"

    @property
    def staging(self) -> bool:
        return self.namespace.endswith(STAGING_SUFFIXES)


@dataclass
class OverdueFinding:
    severity: str
    title: str
    resource: str
    first_seen: dt.datetime


@dataclass
class EvalFact:
    version_id: int
    dataset: str
    finished: dt.datetime
    regression: bool
    cases: int


@dataclass
class AppFacts:
    id: int
    name: str
    team: str | None
    lifecycle: str | None
    in_cluster: bool
    workloads: list[WorkloadFact] = field(default_factory=list)
    usage_requests: int = 0
    usage_tokens: int = 0
    usage_errors: int = 0
    latency_hours: int = 0
    guardrail_events: float = 0.0
    guardrail_rollup_hours: int = 0
    open_posture: dict[str, list[str]] = field(default_factory=dict)
    overdue: list[OverdueFinding] = field(default_factory=list)
    app_budget: Decimal | None = None
    team_budget: Decimal | None = None
    priced_days: int = 0
    prompt_versions: int = 0
    unversioned_workloads: list[str] = field(default_factory=list)
    running_versions: dict[int, str] = field(default_factory=dict)  # version id -> "name vN"
    evals: list[EvalFact] = field(default_factory=list)
    cost_per_request: Decimal | None = None
    previous_cost_per_request: Decimal | None = None
    behaviour_changes: list[str] = field(default_factory=list)


@dataclass
class Facts:
    now: dt.datetime
    configured: Mapping[str, bool]
    last_success: dict[str, dt.datetime | None]
    trivy_missing: bool
    apps: dict[str, AppFacts]

    def missing(self, step: str) -> str | None:
        """Why the data of ``step`` is not there, or None when it has synced at least once."""
        if self.last_success.get(step) is not None:
            return None
        source = step.split("/", 1)[0]
        if not self.configured.get(source, False):
            return f"The {source} source is off ({STEP_SOURCES.get(source, source)}): no data."
        return f"The {source} source has not synced yet ({step})."


def _cpr(cost: Decimal | None, requests: int | None) -> Decimal | None:
    if cost is None or not requests:
        return None
    return cost / requests


def load_facts(
    *,
    session: Session,
    apps: Sequence[App],
    now: dt.datetime,
    params: Parameters,
    configured: Mapping[str, bool],
) -> Facts:
    ids = [a.id for a in apps if a.id is not None]
    names = [a.name for a in apps]
    by_id: dict[int, AppFacts] = {}
    by_name: dict[str, AppFacts] = {}
    for a in apps:
        assert a.id is not None
        facts = AppFacts(
            id=a.id,
            name=a.name,
            team=a.team,
            lifecycle=str(a.lifecycle) if a.lifecycle else None,
            in_cluster=a.origin == AppOrigin.KUBERNETES,
        )
        by_id[a.id] = by_name[a.name] = facts

    statuses = session.exec(select(SourceStatus)).all()
    last_success = {s.step: s.last_success for s in statuses}
    trivy = next((s for s in statuses if s.step == "kubernetes/security-trivy"), None)
    trivy_missing = trivy is not None and (
        trivy.stats.get("vulnerabilityreports") == "not installed"
    )

    for w in session.exec(
        select(Workload).where(col(Workload.app_id).in_(ids), col(Workload.present).is_(True))
    ).all():
        by_id[w.app_id].in_cluster = True
        by_id[w.app_id].workloads.append(
            WorkloadFact(str(w.kind), w.namespace, w.name, w.replicas, list(w.images))
        )

    since = now - dt.timedelta(hours=params.usage_window_hours)
    usage = session.execute(
        sa_select(
            col(UsageHourly.app),
            func.sum(UsageHourly.requests),
            func.sum(UsageHourly.input_tokens + UsageHourly.output_tokens),
            func.sum(UsageHourly.errors),
            func.count(col(UsageHourly.latency_p50)),
        )
        .where(col(UsageHourly.app).in_(names), col(UsageHourly.hour) >= since)
        .group_by(col(UsageHourly.app))
    ).all()
    for app_name, requests, tokens, errors, latency in usage:
        f = by_name[app_name]
        f.usage_requests, f.usage_tokens = int(requests or 0), int(tokens or 0)
        f.usage_errors, f.latency_hours = int(errors or 0), int(latency or 0)

    guard_since = now - dt.timedelta(days=params.guardrail_window_days)
    for app_id, events, hours in session.exec(
        select(
            GuardrailRollup.app_id,
            func.sum(GuardrailRollup.events),
            func.count(func.distinct(GuardrailRollup.hour)),
        )
        .where(col(GuardrailRollup.app_id).in_(ids), col(GuardrailRollup.hour) >= guard_since)
        .group_by(col(GuardrailRollup.app_id))
    ).all():
        by_id[app_id].guardrail_events = float(events or 0)
        by_id[app_id].guardrail_rollup_hours = int(hours or 0)

    sla = params.finding_sla_days
    open_findings = session.execute(
        sa_select(
            col(Finding.app_id),
            col(Finding.source),
            col(Finding.check_id),
            col(Finding.severity),
            col(Finding.title),
            col(Finding.resource),
            col(Finding.first_seen),
        ).where(
            col(Finding.app_id).in_(ids),
            col(Finding.status) == FindingStatus.OPEN,
            or_(
                col(Finding.source) == FindingSource.POSTURE,
                col(Finding.severity).in_(list(sla)),
            ),
        )
    ).all()
    for app_id, source, check_id, severity, title, resource, first_seen in open_findings:
        f = by_id[app_id]
        if source == FindingSource.POSTURE:
            f.open_posture.setdefault(check_id, []).append(resource)
        days = sla.get(str(severity))
        if days is not None and first_seen < now - dt.timedelta(days=days):
            f.overdue.append(OverdueFinding(str(severity), title, resource, first_seen))
    for f in by_id.values():
        f.overdue.sort(key=lambda o: (o.severity != "critical", o.first_seen))

    team_budgets = {}
    for b in session.exec(select(Budget)).all():
        if b.scope == BudgetScope.APP and b.name in by_name:
            by_name[b.name].app_budget = b.amount
        elif b.scope == BudgetScope.TEAM:
            team_budgets[b.name] = b.amount
    for f in by_id.values():
        f.team_budget = team_budgets.get(f.team) if f.team else None

    today = floor_day(now)
    for app_name, days in session.exec(
        select(CostDaily.app, func.count(func.distinct(CostDaily.day)))
        .where(
            col(CostDaily.app).in_(names),
            col(CostDaily.day) >= today - MONTH,
            col(CostDaily.cost).is_not(None),
        )
        .group_by(col(CostDaily.app))
    ).all():
        by_name[app_name].priced_days = int(days)
    windows = ((today - MONTH, today), (today - 2 * MONTH, today - MONTH))
    costs: list[dict[str, Decimal]] = []
    request_counts: list[dict[str, int]] = []
    for start, end in windows:
        rows = session.exec(
            select(CostDaily.app, col(CostDaily.cost)).where(
                col(CostDaily.app).in_(names),
                col(CostDaily.day) >= start,
                col(CostDaily.day) < end,
            )
        ).all()
        summed: dict[str, Decimal] = defaultdict(Decimal)
        unpriced: set[str] = set()
        for app_name, cost in rows:
            if cost is None:
                unpriced.add(app_name)
            else:
                summed[app_name] += cost
        costs.append({k: v for k, v in summed.items() if k not in unpriced})
        request_counts.append(
            {
                app_name: int(n or 0)
                for app_name, n in session.exec(
                    select(UsageDaily.app, func.sum(UsageDaily.requests))
                    .where(
                        col(UsageDaily.app).in_(names),
                        col(UsageDaily.day) >= start,
                        col(UsageDaily.day) < end,
                    )
                    .group_by(col(UsageDaily.app))
                ).all()
            }
        )
    for f in by_id.values():
        f.cost_per_request = _cpr(costs[0].get(f.name), request_counts[0].get(f.name))
        f.previous_cost_per_request = _cpr(costs[1].get(f.name), request_counts[1].get(f.name))

    _load_prompts(session, by_id, ids)
    for row in session.execute(
        sa_select(
            col(EvalRun.app_id),
            col(EvalRun.prompt_version_id),
            col(EvalRun.dataset),
            col(EvalRun.finished),
            col(EvalRun.regression),
            col(EvalRun.cases),
        ).where(col(EvalRun.app_id).in_(ids))
    ).all():
        app_id, version_id, dataset, finished, regression, cases = row
        by_id[app_id].evals.append(EvalFact(version_id, dataset, finished, regression, cases))

    for change in collect_changes(
        session=session,
        apps=list(apps),
        start=now - MONTH,
        end=now,
        kinds=EXPLAINING_KINDS,
        include_team_budgets=False,
    ):
        if change.app in by_name:
            by_name[change.app].behaviour_changes.append(
                f"{change.summary} on {change.at:%Y-%m-%d}"
            )

    return Facts(
        now=now,
        configured=configured,
        last_success=last_success,
        trivy_missing=trivy_missing,
        apps=by_name,
    )


def _load_prompts(session: Session, by_id: dict[int, AppFacts], ids: list[int]) -> None:
    versions = session.exec(
        select(PromptVersion.id, PromptVersion.app_id, PromptVersion.name, PromptVersion.number)
        .where(col(PromptVersion.app_id).in_(ids))
        .order_by(col(PromptVersion.number))
    ).all()
    label_of: dict[int, str] = {}
    latest: dict[tuple[int, str], int] = {}
    for vid, app_id, name, number in versions:
        assert vid is not None
        by_id[app_id].prompt_versions += 1
        label_of[vid] = f"{name} v{number}"
        latest[(app_id, name)] = vid
    running: dict[int, set[int]] = defaultdict(set)
    deployed: dict[int, set[tuple[str, str, str]]] = defaultdict(set)
    for app_id, version_id, kind, namespace, workload in session.execute(
        sa_select(
            col(PromptDeployment.app_id),
            col(PromptDeployment.version_id),
            col(PromptDeployment.workload_kind),
            col(PromptDeployment.namespace),
            col(PromptDeployment.workload),
        ).where(col(PromptDeployment.app_id).in_(ids), col(PromptDeployment.ended).is_(None))
    ).all():
        running[app_id].add(version_id)
        deployed[app_id].add((kind, namespace, workload))
    production: dict[int, set[int]] = defaultdict(set)
    for app_id, version_id in session.exec(
        select(PromptLabel.app_id, PromptLabel.version_id).where(
            col(PromptLabel.app_id).in_(ids), PromptLabel.label == "production"
        )
    ).all():
        production[app_id].add(version_id)
    for app_id, f in by_id.items():
        # What runs: the cluster says; else the production label; else each prompt's newest.
        chosen = (
            running.get(app_id)
            or production.get(app_id)
            or {vid for (a, _), vid in latest.items() if a == app_id}
        )
        f.running_versions = {vid: label_of[vid] for vid in chosen if vid in label_of}
        # Serving workloads are judged; staging copies only when nothing else runs.
        serving = [w for w in f.workloads if not w.staging] or f.workloads
        f.unversioned_workloads = sorted(
            w.ref
            for w in serving
            if (w.kind, w.namespace, w.name) not in deployed.get(app_id, set())
        )
