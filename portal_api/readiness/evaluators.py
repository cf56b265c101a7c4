"""How each readiness check decides, from the facts the portal stored about an app: pass,
fail, or unknown, with the reason and links to the evidence. The catalogue of checks (what
each asks, how to fix it, which sync step answers it) is ``checks.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from portal_api.readiness.models import CheckStatus, EvidenceLink
from portal_api.security import checks as posture

if TYPE_CHECKING:
    from portal_api.readiness.facts import AppFacts, Facts
    from portal_api.readiness.scorecard import Parameters


@dataclass(frozen=True)
class Outcome:
    status: CheckStatus
    why: str
    evidence: list[EvidenceLink] = field(default_factory=list)


def passed(why: str, *evidence: EvidenceLink) -> Outcome:
    return Outcome(CheckStatus.PASS, why, list(evidence))


def failed(why: str, *evidence: EvidenceLink) -> Outcome:
    return Outcome(CheckStatus.FAIL, why, list(evidence))


def unknown(why: str, *evidence: EvidenceLink) -> Outcome:
    return Outcome(CheckStatus.UNKNOWN, why, list(evidence))


def verdict(ok: bool, if_passed: str, if_failed: str, *evidence: EvidenceLink) -> Outcome:
    """Passed with one reason or failed with the other, on the same evidence."""
    return passed(if_passed, *evidence) if ok else failed(if_failed, *evidence)


Evaluate = Callable[["AppFacts", "Facts", "Parameters"], Outcome]


def _link(title: str, url: str) -> EvidenceLink:
    return EvidenceLink(title=title, url=url)


def _usage(a: AppFacts) -> EvidenceLink:
    return _link("Usage", f"/api/v1/apps/{a.name}/usage?step=hour")


def _findings(a: AppFacts) -> EvidenceLink:
    return _link("Findings", f"/api/v1/apps/{a.name}/findings?status=open")


def _list(items: list[str], n: int = 3) -> str:
    more = f" and {len(items) - n} more" if len(items) > n else ""
    return ", ".join(items[:n]) + more


# -- observability ---------------------------------------------------------------------------


def genai_metrics(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
    return verdict(
        bool(a.usage_requests or a.usage_tokens),
        f"{a.usage_requests:,} requests and {a.usage_tokens:,} tokens in the last "
        f"{p.usage_window_hours} h.",
        f"No GenAI usage series (gen_ai_client_token_usage, gen_ai_client_operation_duration) "
        f"for this app in the last {p.usage_window_hours} h.",
        _usage(a),
    )


def latency_errors(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
    if a.usage_requests and a.latency_hours:
        return passed(
            f"Request counts and latency histograms seen in {a.latency_hours} of the last "
            f"{p.usage_window_hours} hours ({a.usage_errors:,} errors).",
            _usage(a),
        )
    if a.usage_tokens and not a.usage_requests:
        return failed(
            "Token usage is exported, but no operation duration (request) series.", _usage(a)
        )
    return failed(
        f"No gen_ai_client_operation_duration_seconds series in the last {p.usage_window_hours} h: "
        "latency and error rates cannot be watched.",
        _usage(a),
    )


def guardrail_metric(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
    link = _link("Guardrails", f"/api/v1/apps/{a.name}/guardrails")
    missing = a.open_posture.get(posture.NO_GUARDRAIL_METRICS.id)
    if missing:
        return failed(
            f"No genai_guardrail_events_total series for {p.guardrail_window_days} days.",
            link,
            _findings(a),
        )
    if a.guardrail_rollup_hours:
        return passed(
            f"genai_guardrail_events_total seen in {a.guardrail_rollup_hours} hours of the last "
            f"{p.guardrail_window_days} days.",
            link,
        )
    if a.in_cluster:
        return passed("The app exports genai_guardrail_events_total (no event recorded yet).", link)
    return failed(
        f"No guardrail events stored for this app in the last {p.guardrail_window_days} days.", link
    )


def budget(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
    link = _link("Budgets", "/api/v1/budgets")
    if a.app_budget is not None:
        return passed(f"App budget of ${a.app_budget:,.2f} a month.", link)
    if a.team_budget is not None:
        return passed(f"Team {a.team} has a budget of ${a.team_budget:,.2f} a month.", link)
    return failed("Neither the app nor its team has a monthly budget.", link)


def budget_alerts(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
    link = _link("Costs", f"/api/v1/apps/{a.name}/costs")
    if a.app_budget is None and a.team_budget is None:
        return failed("No budget: genai_portal_budget_utilisation_ratio has nothing to alert on.")
    return verdict(
        bool(a.priced_days),
        f"Spend priced on {a.priced_days} of the last 30 days; the budget gauges on /metrics "
        "can page (genai_portal_budget_utilisation_ratio).",
        "The app's usage in the last 30 days has no price, so its spend gauge stays empty.",
        link,
    )


# -- quality ---------------------------------------------------------------------------------


def prompts_versioned(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
    link = _link("Prompts", f"/api/v1/apps/{a.name}/prompts")
    if not a.prompt_versions:
        return failed("No prompt version of this app is recorded.", link)
    if a.unversioned_workloads:
        return failed(
            f"Workloads run prompts the portal has no version of: {_list(a.unversioned_workloads)}.",
            link,
        )
    if a.workloads:
        return passed(
            f"Every workload runs a recorded prompt version ({a.prompt_versions} versions).", link
        )
    return passed(f"{a.prompt_versions} prompt versions recorded (from CI).", link)


def eval_recent(a: AppFacts, f: Facts, p: Parameters) -> Outcome:
    link = _link("Evaluations", f"/api/v1/apps/{a.name}/evals")
    if not a.running_versions:
        return failed("No prompt version to evaluate.", link)
    cutoff = f.now - dt.timedelta(days=p.eval_max_age_days)
    stale = []
    for version_id, label in sorted(a.running_versions.items(), key=lambda kv: kv[1]):
        last = max((r.finished for r in a.evals if r.version_id == version_id), default=None)
        if last is None or last < cutoff:
            stale.append(label + (f" (last {last:%Y-%m-%d})" if last else " (never)"))
    return verdict(
        not stale,
        f"Every running version evaluated in the last {p.eval_max_age_days} days "
        f"({_list(sorted(a.running_versions.values()))}).",
        f"Not evaluated in the last {p.eval_max_age_days} days: {_list(stale)}.",
        link,
    )


def no_regression(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
    link = _link("Regressions", f"/api/v1/apps/{a.name}/evals/regressions")
    latest = {}
    for run in sorted(a.evals, key=lambda r: r.finished):
        if run.version_id in a.running_versions:
            latest[(run.version_id, run.dataset)] = run
    if not latest:
        return unknown("The running prompt versions have no evaluation to judge.", link)
    bad = [
        f"{a.running_versions[r.version_id]} on {r.dataset}"
        for r in latest.values()
        if r.regression
    ]
    return verdict(
        not bad,
        f"The latest of {len(latest)} evaluation(s) shows no regression.",
        f"Latest evaluation regressed: {_list(bad)}.",
        link,
    )


def dataset_size(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
    link = _link("Evaluations", f"/api/v1/apps/{a.name}/evals")
    if not a.evals:
        return failed("No evaluation dataset has been run.", link)
    best = max(a.evals, key=lambda r: r.cases)
    return verdict(
        best.cases >= p.min_dataset_cases,
        f"Dataset {best.dataset} has {best.cases} cases.",
        f"The largest dataset ({best.dataset}) has {best.cases} cases; "
        f"{p.min_dataset_cases} are needed.",
        link,
    )


# -- security --------------------------------------------------------------------------------


def guard_in_path(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
    link = _link("Guardrails", f"/api/v1/apps/{a.name}/guardrails")
    return verdict(
        a.guardrail_events > 0,
        f"{a.guardrail_events:,.0f} guardrail events (blocked or flagged) in the last "
        f"{p.guardrail_window_days} days.",
        f"No guardrail event in the last {p.guardrail_window_days} days: no guard is seen in "
        "the request path.",
        link,
    )


def findings_sla(a: AppFacts, f: Facts, p: Parameters) -> Outcome:
    if f.trivy_missing:
        return unknown("Trivy Operator is not installed: vulnerabilities are not known.")
    if a.overdue:
        listed = [f"{o.severity} {o.title} ({(f.now - o.first_seen).days} d)" for o in a.overdue]
        return failed(f"Open past their SLA: {_list(listed)}.", _findings(a))
    sla = ", ".join(f"{k} {v} d" for k, v in p.finding_sla_days.items())
    return passed(f"No critical or high finding open past its SLA ({sla}).", _findings(a))


def posture_check(check: posture.Check, ok: str) -> Evaluate:
    def evaluate(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
        resources = a.open_posture.get(check.id)
        if resources:
            return failed(f"{check.title}: {_list(resources)}.", _findings(a))
        return passed(ok, _findings(a))

    return evaluate


def pdb(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
    resources = a.open_posture.get(posture.NO_PDB.id)
    if resources:
        return failed(f"No PodDisruptionBudget selects: {_list(resources)}.", _findings(a))
    if a.lifecycle != "production":
        return unknown(
            "PodDisruptionBudgets are checked for production apps only "
            "(genai-portal.io/lifecycle: production)."
        )
    return passed("A PodDisruptionBudget covers every production workload.", _findings(a))


# -- reliability -----------------------------------------------------------------------------


def replicas(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
    serving = [w for w in a.workloads if not w.staging] or a.workloads
    short = []
    for w in serving:
        if w.kind == "KnativeService":
            if not w.replicas or w.replicas < 1:
                short.append(f"{w.ref} (min-scale {w.replicas or 0})")
        elif (w.replicas or 0) < p.min_replicas:
            short.append(f"{w.ref} ({w.replicas} replica)")
    link = _link("Workloads", f"/api/v1/apps/{a.name}")
    if short:
        return failed(f"Too few replicas: {_list(short)}.", link)
    return passed(
        f"{len(serving)} workload(s) with ≥ {p.min_replicas} replicas (Knative: min-scale ≥ 1).",
        link,
    )


def image_digest(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
    floating = sorted({i for w in a.workloads for i in w.images if "@sha256:" not in i})
    link = _link("Workloads", f"/api/v1/apps/{a.name}")
    if floating:
        return failed(f"Not pinned by digest: {_list(floating)}.", link)
    return passed("Every image is pinned by digest (image@sha256:…).", link)


# -- cost ------------------------------------------------------------------------------------


def cost_trend(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
    link = _link("Costs", f"/api/v1/apps/{a.name}/costs")
    now_cpr, before_cpr = a.cost_per_request, a.previous_cost_per_request
    if now_cpr is None or before_cpr is None or before_cpr == 0:
        return unknown("Not enough priced usage in the last two 30-day windows to compare.", link)
    rise = float((now_cpr - before_cpr) / before_cpr * 100)
    text = f"Cost per request ${now_cpr:.5f}, {rise:+.0f} % on the previous 30 days"
    if rise <= p.cost_rise_pct:
        return passed(text + ".", link)
    if a.behaviour_changes:
        return passed(
            text + f", explained by a change: {a.behaviour_changes[0]}.",
            link,
            _link("Timeline", f"/api/v1/apps/{a.name}/timeline"),
        )
    return failed(
        text + f" (more than {p.cost_rise_pct:g} %) with no prompt or model change.",
        link,
        _link("Timeline", f"/api/v1/apps/{a.name}/timeline"),
    )
