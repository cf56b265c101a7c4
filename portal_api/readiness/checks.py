"""The readiness checks: what each one asks, which stored data answers it, how to fix it.

Every check names the sync step whose data it reads. When that step has never succeeded
(its source is off, or has not synced yet) the check is *unknown*, never a silent pass; a
check about workloads is unknown for an app with no workload in the cluster.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from portal_api.readiness import evaluators
from portal_api.readiness.evaluators import Evaluate, Outcome, unknown
from portal_api.readiness.models import Pillar
from portal_api.security import checks as posture

if TYPE_CHECKING:
    from portal_api.readiness.facts import AppFacts, Facts
    from portal_api.readiness.scorecard import Parameters


@dataclass(frozen=True)
class Check:
    id: str
    pillar: Pillar
    title: str
    fix: str
    step: str | None  # the sync step ("source/name") whose data answers it; None: the portal's own
    evaluate: Evaluate
    needs_workloads: bool = False


K8S_POSTURE = "kubernetes/security-posture"


def _posture(id: str, pillar: Pillar, title: str, rule: posture.Check, ok: str) -> Check:
    """A check answered by one of the security domain's posture rules: its fix is the rule's."""
    evaluate = evaluators.posture_check(rule, ok)
    return Check(id, pillar, title, rule.remediation, K8S_POSTURE, evaluate, needs_workloads=True)


CHECKS: list[Check] = [
    Check(
        "OBS-GENAI-METRICS",
        Pillar.OBSERVABILITY,
        "GenAI semconv metrics seen in the last 24 h",
        "Instrument model calls with OpenTelemetry GenAI (opentelemetry-instrumentation-openai-v2 "
        "or the templates' telemetry) and let Prometheus scrape the app (PodMonitor with "
        "podTargetLabels: [backstage.io/kubernetes-id]).",
        "prometheus/usage",
        evaluators.genai_metrics,
    ),
    Check(
        "OBS-LATENCY-ERRORS",
        Pillar.OBSERVABILITY,
        "Latency and error series present",
        "Export gen_ai_client_operation_duration_seconds (a histogram, with error_type on "
        "failures); the OpenTelemetry GenAI instrumentations do.",
        "prometheus/usage",
        evaluators.latency_errors,
    ),
    Check(
        "OBS-GUARDRAIL-METRIC",
        Pillar.OBSERVABILITY,
        "Guardrail counter present",
        "Export genai_guardrail_events_total{rule,direction,action} from the guard hook.",
        "prometheus/security-guardrails",
        evaluators.guardrail_metric,
    ),
    Check(
        "OBS-BUDGET",
        Pillar.OBSERVABILITY,
        "A monthly budget is set",
        "POST /api/v1/budgets with scope app (or team) and a monthly amount in USD.",
        None,
        evaluators.budget,
    ),
    Check(
        "OBS-BUDGET-ALERTS",
        Pillar.OBSERVABILITY,
        "Budget alerts possible",
        "Set a budget and price every model the app uses (PORTAL_PRICES_FILE for self-hosted "
        "or negotiated prices); alert on genai_portal_budget_utilisation_ratio > 1.",
        "prometheus/costs",
        evaluators.budget_alerts,
    ),
    Check(
        "QUAL-PROMPTS-VERSIONED",
        Pillar.QUALITY,
        "Prompts versioned",
        "Keep prompts in ConfigMaps labelled genai-portal.io/prompt (mounted by the workload), "
        "or push them from CI and annotate the workload with genai-portal.io/prompt-versions.",
        "kubernetes/prompts",
        evaluators.prompts_versioned,
    ),
    Check(
        "QUAL-EVAL-RECENT",
        Pillar.QUALITY,
        "Running prompt versions evaluated recently",
        "Run the evaluation suite in CI on every prompt change and on a schedule "
        "(POST /api/v1/apps/{app}/evals or `genai-portal eval`).",
        None,
        evaluators.eval_recent,
    ),
    Check(
        "QUAL-NO-REGRESSION",
        Pillar.QUALITY,
        "No standing evaluation regression",
        "Fix the prompt or roll the label back to the last good version "
        "(PUT /api/v1/apps/{app}/prompts/{name}/labels/production), then evaluate again.",
        None,
        evaluators.no_regression,
    ),
    Check(
        "QUAL-DATASET-SIZE",
        Pillar.QUALITY,
        "An evaluation dataset of enough cases",
        "Grow the evaluation dataset with real (anonymised) traffic and known failure cases.",
        None,
        evaluators.dataset_size,
    ),
    Check(
        "SEC-GUARD-IN-PATH",
        Pillar.SECURITY,
        "Guard in the request path",
        "Call the guard (the templates' hook, or POST /api/v1/guard/check) on every model input "
        "and output, and export its events.",
        "prometheus/security-guardrails",
        evaluators.guard_in_path,
    ),
    Check(
        "SEC-FINDINGS-SLA",
        Pillar.SECURITY,
        "No critical or high finding open past its SLA",
        "Fix (update the image or package) or suppress with a reason and an end date.",
        "kubernetes/security-trivy",
        evaluators.findings_sla,
    ),
    _posture(
        "SEC-NO-PLAIN-KEY",
        Pillar.SECURITY,
        "No plain-text model key",
        posture.PLAIN_API_KEY,
        "No model key is set as a plain environment value.",
    ),
    _posture(
        "SEC-NON-ROOT",
        Pillar.SECURITY,
        "Containers run as non-root",
        posture.RUN_AS_ROOT,
        "Every container sets runAsNonRoot.",
    ),
    _posture(
        "SEC-READ-ONLY-ROOT-FS",
        Pillar.SECURITY,
        "Read-only root filesystem",
        posture.WRITABLE_ROOT_FS,
        "Every container has a read-only root filesystem.",
    ),
    _posture(
        "SEC-EGRESS-POLICY",
        Pillar.SECURITY,
        "Egress limited by a NetworkPolicy",
        posture.NO_EGRESS_POLICY,
        "A NetworkPolicy limits every workload's egress.",
    ),
    Check(
        "REL-REPLICAS",
        Pillar.RELIABILITY,
        "At least 2 replicas (Knative: min-scale ≥ 1)",
        'Set spec.replicas: 2 or more (Knative: autoscaling.knative.dev/min-scale: "1").',
        "kubernetes/apps",
        evaluators.replicas,
        needs_workloads=True,
    ),
    Check(
        "REL-PDB",
        Pillar.RELIABILITY,
        "PodDisruptionBudget",
        posture.NO_PDB.remediation,
        K8S_POSTURE,
        evaluators.pdb,
        needs_workloads=True,
    ),
    _posture(
        "REL-READINESS-PROBE",
        Pillar.RELIABILITY,
        "Readiness probe",
        posture.NO_READINESS,
        "Every container has a readiness probe.",
    ),
    _posture(
        "REL-RESOURCE-LIMITS",
        Pillar.RELIABILITY,
        "CPU and memory limits",
        posture.NO_LIMITS,
        "Every container has CPU and memory limits.",
    ),
    Check(
        "REL-IMAGE-DIGEST",
        Pillar.RELIABILITY,
        "Images pinned by digest",
        posture.NO_DIGEST.remediation,
        "kubernetes/apps",
        evaluators.image_digest,
        needs_workloads=True,
    ),
    Check(
        "COST-PER-REQUEST-TREND",
        Pillar.COST,
        "Cost per request not rising without a change",
        "Look at the timeline around the rise: a longer prompt, a pricier model, lost cache "
        "hits or retries; fix it, or record the change (prompt version, label move).",
        "prometheus/costs",
        evaluators.cost_trend,
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
