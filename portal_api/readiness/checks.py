"""The readiness checks: what each one asks, which stored data answers it, how to fix it.

Every check names the sync step whose data it reads. When that step has never succeeded
(its source is off, or has not synced yet) the check is *unknown*, never a silent pass; a
check about workloads is unknown for an app with no workload in the cluster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from portal_api.readiness.models import CheckStatus, EvidenceLink, Pillar
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


Evaluate = Callable[["AppFacts", "Facts", "Parameters"], Outcome]


@dataclass(frozen=True)
class Check:
    id: str
    pillar: Pillar
    title: str
    fix: str
    step: str | None  # the sync step ("source/name") whose data answers it; None: the portal's own
    evaluate: Evaluate
    needs_workloads: bool = False


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


def _genai_metrics(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
    if a.usage_requests or a.usage_tokens:
        return passed(
            f"{a.usage_requests:,} requests and {a.usage_tokens:,} tokens in the last "
            f"{p.usage_window_hours} h.",
            _usage(a),
        )
    return failed(
        f"No GenAI usage series (gen_ai_client_token_usage, gen_ai_client_operation_duration) "
        f"for this app in the last {p.usage_window_hours} h.",
        _usage(a),
    )


def _latency_errors(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
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


def _guardrail_metric(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
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


def _budget(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
    link = _link("Budgets", "/api/v1/budgets")
    if a.app_budget is not None:
        return passed(f"App budget of ${a.app_budget:,.2f} a month.", link)
    if a.team_budget is not None:
        return passed(f"Team {a.team} has a budget of ${a.team_budget:,.2f} a month.", link)
    return failed("Neither the app nor its team has a monthly budget.", link)


def _budget_alerts(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
    link = _link("Costs", f"/api/v1/apps/{a.name}/costs")
    if a.app_budget is None and a.team_budget is None:
        return failed("No budget: genai_portal_budget_utilisation_ratio has nothing to alert on.")
    if not a.priced_days:
        return failed(
            "The app's usage in the last 30 days has no price, so its spend gauge stays empty.",
            link,
        )
    return passed(
        f"Spend priced on {a.priced_days} of the last 30 days; the budget gauges on /metrics "
        "can page (genai_portal_budget_utilisation_ratio).",
        link,
    )


# -- quality ---------------------------------------------------------------------------------


def _prompts_versioned(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
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


def _eval_recent(a: AppFacts, f: Facts, p: Parameters) -> Outcome:
    link = _link("Evaluations", f"/api/v1/apps/{a.name}/evals")
    if not a.running_versions:
        return failed("No prompt version to evaluate.", link)
    cutoff = f.now - dt.timedelta(days=p.eval_max_age_days)
    stale = []
    for version_id, label in sorted(a.running_versions.items(), key=lambda kv: kv[1]):
        last = max((r.finished for r in a.evals if r.version_id == version_id), default=None)
        if last is None or last < cutoff:
            stale.append(label + (f" (last {last:%Y-%m-%d})" if last else " (never)"))
    if stale:
        return failed(
            f"Not evaluated in the last {p.eval_max_age_days} days: {_list(stale)}.", link
        )
    return passed(
        f"Every running version evaluated in the last {p.eval_max_age_days} days "
        f"({_list(sorted(a.running_versions.values()))}).",
        link,
    )


def _no_regression(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
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
    if bad:
        return failed(f"Latest evaluation regressed: {_list(bad)}.", link)
    return passed(f"The latest of {len(latest)} evaluation(s) shows no regression.", link)


def _dataset_size(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
    link = _link("Evaluations", f"/api/v1/apps/{a.name}/evals")
    if not a.evals:
        return failed("No evaluation dataset has been run.", link)
    best = max(a.evals, key=lambda r: r.cases)
    if best.cases >= p.min_dataset_cases:
        return passed(f"Dataset {best.dataset} has {best.cases} cases.", link)
    return failed(
        f"The largest dataset ({best.dataset}) has {best.cases} cases; "
        f"{p.min_dataset_cases} are needed.",
        link,
    )


# -- security --------------------------------------------------------------------------------


def _guard_in_path(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
    link = _link("Guardrails", f"/api/v1/apps/{a.name}/guardrails")
    if a.guardrail_events > 0:
        return passed(
            f"{a.guardrail_events:,.0f} guardrail events (blocked or flagged) in the last "
            f"{p.guardrail_window_days} days.",
            link,
        )
    return failed(
        f"No guardrail event in the last {p.guardrail_window_days} days: no guard is seen in "
        "the request path.",
        link,
    )


def _findings_sla(a: AppFacts, f: Facts, p: Parameters) -> Outcome:
    if f.trivy_missing:
        return unknown("Trivy Operator is not installed: vulnerabilities are not known.")
    if a.overdue:
        listed = [f"{o.severity} {o.title} ({(f.now - o.first_seen).days} d)" for o in a.overdue]
        return failed(f"Open past their SLA: {_list(listed)}.", _findings(a))
    sla = ", ".join(f"{k} {v} d" for k, v in p.finding_sla_days.items())
    return passed(f"No critical or high finding open past its SLA ({sla}).", _findings(a))


def _posture(check: posture.Check, ok: str) -> Evaluate:
    def evaluate(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
        resources = a.open_posture.get(check.id)
        if resources:
            return failed(f"{check.title}: {_list(resources)}.", _findings(a))
        return passed(ok, _findings(a))

    return evaluate


def _pdb(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
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


def _replicas(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
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


def _image_digest(a: AppFacts, _: Facts, __: Parameters) -> Outcome:
    floating = sorted({i for w in a.workloads for i in w.images if "@sha256:" not in i})
    link = _link("Workloads", f"/api/v1/apps/{a.name}")
    if floating:
        return failed(f"Not pinned by digest: {_list(floating)}.", link)
    return passed("Every image is pinned by digest (image@sha256:…).", link)


# -- cost ------------------------------------------------------------------------------------


def _cost_trend(a: AppFacts, _: Facts, p: Parameters) -> Outcome:
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


K8S_POSTURE = "kubernetes/security-posture"

CHECKS: list[Check] = [
    Check(
        "OBS-GENAI-METRICS",
        Pillar.OBSERVABILITY,
        "GenAI semconv metrics seen in the last 24 h",
        "Instrument model calls with OpenTelemetry GenAI (opentelemetry-instrumentation-openai-v2 "
        "or the templates' telemetry) and let Prometheus scrape the app (PodMonitor with "
        "podTargetLabels: [backstage.io/kubernetes-id]).",
        "prometheus/usage",
        _genai_metrics,
    ),
    Check(
        "OBS-LATENCY-ERRORS",
        Pillar.OBSERVABILITY,
        "Latency and error series present",
        "Export gen_ai_client_operation_duration_seconds (a histogram, with error_type on "
        "failures); the OpenTelemetry GenAI instrumentations do.",
        "prometheus/usage",
        _latency_errors,
    ),
    Check(
        "OBS-GUARDRAIL-METRIC",
        Pillar.OBSERVABILITY,
        "Guardrail counter present",
        "Export genai_guardrail_events_total{rule,direction,action} from the guard hook.",
        "prometheus/security-guardrails",
        _guardrail_metric,
    ),
    Check(
        "OBS-BUDGET",
        Pillar.OBSERVABILITY,
        "A monthly budget is set",
        "POST /api/v1/budgets with scope app (or team) and a monthly amount in USD.",
        None,
        _budget,
    ),
    Check(
        "OBS-BUDGET-ALERTS",
        Pillar.OBSERVABILITY,
        "Budget alerts possible",
        "Set a budget and price every model the app uses (PORTAL_PRICES_FILE for self-hosted "
        "or negotiated prices); alert on genai_portal_budget_utilisation_ratio > 1.",
        "prometheus/costs",
        _budget_alerts,
    ),
    Check(
        "QUAL-PROMPTS-VERSIONED",
        Pillar.QUALITY,
        "Prompts versioned",
        "Keep prompts in ConfigMaps labelled genai-portal.io/prompt (mounted by the workload), "
        "or push them from CI and annotate the workload with genai-portal.io/prompt-versions.",
        "kubernetes/prompts",
        _prompts_versioned,
    ),
    Check(
        "QUAL-EVAL-RECENT",
        Pillar.QUALITY,
        "Running prompt versions evaluated recently",
        "Run the evaluation suite in CI on every prompt change and on a schedule "
        "(POST /api/v1/apps/{app}/evals or `genai-portal eval`).",
        None,
        _eval_recent,
    ),
    Check(
        "QUAL-NO-REGRESSION",
        Pillar.QUALITY,
        "No standing evaluation regression",
        "Fix the prompt or roll the label back to the last good version "
        "(PUT /api/v1/apps/{app}/prompts/{name}/labels/production), then evaluate again.",
        None,
        _no_regression,
    ),
    Check(
        "QUAL-DATASET-SIZE",
        Pillar.QUALITY,
        "An evaluation dataset of enough cases",
        "Grow the evaluation dataset with real (anonymised) traffic and known failure cases.",
        None,
        _dataset_size,
    ),
    Check(
        "SEC-GUARD-IN-PATH",
        Pillar.SECURITY,
        "Guard in the request path",
        "Call the guard (the templates' hook, or POST /api/v1/guard/check) on every model input "
        "and output, and export its events.",
        "prometheus/security-guardrails",
        _guard_in_path,
    ),
    Check(
        "SEC-FINDINGS-SLA",
        Pillar.SECURITY,
        "No critical or high finding open past its SLA",
        "Fix (update the image or package) or suppress with a reason and an end date.",
        "kubernetes/security-trivy",
        _findings_sla,
    ),
    Check(
        "SEC-NO-PLAIN-KEY",
        Pillar.SECURITY,
        "No plain-text model key",
        posture.PLAIN_API_KEY.remediation,
        K8S_POSTURE,
        _posture(posture.PLAIN_API_KEY, "No model key is set as a plain environment value."),
        needs_workloads=True,
    ),
    Check(
        "SEC-NON-ROOT",
        Pillar.SECURITY,
        "Containers run as non-root",
        posture.RUN_AS_ROOT.remediation,
        K8S_POSTURE,
        _posture(posture.RUN_AS_ROOT, "Every container sets runAsNonRoot."),
        needs_workloads=True,
    ),
    Check(
        "SEC-READ-ONLY-ROOT-FS",
        Pillar.SECURITY,
        "Read-only root filesystem",
        posture.WRITABLE_ROOT_FS.remediation,
        K8S_POSTURE,
        _posture(posture.WRITABLE_ROOT_FS, "Every container has a read-only root filesystem."),
        needs_workloads=True,
    ),
    Check(
        "SEC-EGRESS-POLICY",
        Pillar.SECURITY,
        "Egress limited by a NetworkPolicy",
        posture.NO_EGRESS_POLICY.remediation,
        K8S_POSTURE,
        _posture(posture.NO_EGRESS_POLICY, "A NetworkPolicy limits every workload's egress."),
        needs_workloads=True,
    ),
    Check(
        "REL-REPLICAS",
        Pillar.RELIABILITY,
        "At least 2 replicas (Knative: min-scale ≥ 1)",
        'Set spec.replicas: 2 or more (Knative: autoscaling.knative.dev/min-scale: "1").',
        "kubernetes/apps",
        _replicas,
        needs_workloads=True,
    ),
    Check(
        "REL-PDB",
        Pillar.RELIABILITY,
        "PodDisruptionBudget",
        posture.NO_PDB.remediation,
        K8S_POSTURE,
        _pdb,
        needs_workloads=True,
    ),
    Check(
        "REL-READINESS-PROBE",
        Pillar.RELIABILITY,
        "Readiness probe",
        posture.NO_READINESS.remediation,
        K8S_POSTURE,
        _posture(posture.NO_READINESS, "Every container has a readiness probe."),
        needs_workloads=True,
    ),
    Check(
        "REL-RESOURCE-LIMITS",
        Pillar.RELIABILITY,
        "CPU and memory limits",
        posture.NO_LIMITS.remediation,
        K8S_POSTURE,
        _posture(posture.NO_LIMITS, "Every container has CPU and memory limits."),
        needs_workloads=True,
    ),
    Check(
        "REL-IMAGE-DIGEST",
        Pillar.RELIABILITY,
        "Images pinned by digest",
        posture.NO_DIGEST.remediation,
        "kubernetes/apps",
        _image_digest,
        needs_workloads=True,
    ),
    Check(
        "COST-PER-REQUEST-TREND",
        Pillar.COST,
        "Cost per request not rising without a change",
        "Look at the timeline around the rise: a longer prompt, a pricier model, lost cache "
        "hits or retries; fix it, or record the change (prompt version, label move).",
        "prometheus/costs",
        _cost_trend,
    ),
]
CHECKS_BY_ID = {c.id: c for c in CHECKS}
STEP_SOURCES = {"kubernetes": "PORTAL_KUBERNETES", "prometheus": "PORTAL_PROMETHEUS_URL"}


def evaluate(check: Check, a: AppFacts, f: Facts, p: Parameters) -> Outcome:
    """One check for one app, unknown when the data it needs was never synced."""
    if check.step is not None:
        # An app outside the cluster gets its prompts from CI: the cluster is not needed.
        local = check.id == "QUAL-PROMPTS-VERSIONED" and not a.in_cluster
        missing = None if local else f.missing(check.step)
        if missing is not None:
            return unknown(missing)
    if check.needs_workloads and not a.workloads:
        return unknown("No workload of this app runs in the cluster.")
    return check.evaluate(a, f, p)
