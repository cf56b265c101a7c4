"""GenAI posture checks over each app's workloads and the policies around them.

Every check has a stable id, a severity and remediation text. They read what the
Kubernetes source returns (WorkloadInfo, PodDisruptionBudgets, NetworkPolicies); the two
checks that need other domains read the evaluation runs and prompt versions tables (their
models are imported one way: those domains never import security).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal_api.apps.models import App, Lifecycle
from portal_api.evals.models import EvalRun
from portal_api.prompts.models import PromptVersion
from portal_api.security.ingest import Check as Check  # checks are of this module
from portal_api.security.ingest import FindingDraft
from portal_api.security.models import FindingSource, OwaspLlm, Severity
from portal_api.sources.models import Container, ObjectInfo, WorkloadInfo

log = logging.getLogger(__name__)


def _c(
    id_: str, severity: Severity, title: str, remediation: str, owasp: OwaspLlm | None = None
) -> Check:
    return Check(id_, severity, title, remediation, owasp)


PLAIN_API_KEY = _c(
    "GENAI-PLAIN-API-KEY",
    Severity.HIGH,
    "Model API key set as a plain environment value",
    "Store the key in a Secret and reference it with env.valueFrom.secretKeyRef; rotate the "
    "exposed key, since it is readable by anyone who can read the workload.",
    OwaspLlm.LLM02,
)
RUN_AS_ROOT = _c(
    "K8S-RUN-AS-ROOT",
    Severity.MEDIUM,
    "Container may run as root",
    "Set securityContext.runAsNonRoot: true (and a non-zero runAsUser) on the pod or container.",
)
WRITABLE_ROOT_FS = _c(
    "K8S-WRITABLE-ROOT-FS",
    Severity.LOW,
    "Container root filesystem is writable",
    "Set securityContext.readOnlyRootFilesystem: true; mount an emptyDir where the app must write.",
)
PRIVILEGE_ESCALATION = _c(
    "K8S-PRIVILEGE-ESCALATION",
    Severity.MEDIUM,
    "Container allows privilege escalation",
    "Set securityContext.allowPrivilegeEscalation: false and privileged: false; drop ALL capabilities.",
)
NO_LIMITS = _c(
    "K8S-NO-RESOURCE-LIMITS",
    Severity.MEDIUM,
    "Container has no CPU or memory limit",
    "Set resources.limits.cpu and resources.limits.memory so one app cannot starve its node.",
    OwaspLlm.LLM10,
)
SINGLE_REPLICA = _c(
    "AVAIL-SINGLE-REPLICA",
    Severity.MEDIUM,
    "Production app runs a single replica",
    'Run at least two replicas (Knative: autoscaling.knative.dev/min-scale: "2").',
)
NO_PDB = _c(
    "AVAIL-NO-PDB",
    Severity.LOW,
    "Production app has no PodDisruptionBudget",
    "Add a policy/v1 PodDisruptionBudget (e.g. minAvailable: 1) selecting the app's pods.",
)
NO_EGRESS_POLICY = _c(
    "GENAI-NO-EGRESS-POLICY",
    Severity.MEDIUM,
    "No NetworkPolicy limits the app's egress",
    "Add a NetworkPolicy with policyTypes [Egress] that allows only the model endpoints, DNS and "
    "the services the app needs: a hijacked agent then cannot exfiltrate data or call out freely.",
    OwaspLlm.LLM06,
)
NO_READINESS = _c(
    "K8S-NO-READINESS-PROBE",
    Severity.LOW,
    "Container has no readiness probe",
    "Add a readinessProbe so traffic reaches a pod only once it can serve.",
)
LATEST_TAG = _c(
    "SUPPLY-IMAGE-LATEST",
    Severity.MEDIUM,
    "Image uses the latest tag (or none)",
    "Pin a versioned tag and, better, the image digest (image@sha256:...).",
    OwaspLlm.LLM03,
)
NO_DIGEST = _c(
    "SUPPLY-IMAGE-NO-DIGEST",
    Severity.LOW,
    "Image is not pinned by digest",
    "Reference the image by digest (image@sha256:...) so what runs is what was scanned.",
    OwaspLlm.LLM03,
)
NO_GUARDRAIL_METRICS = _c(
    "GENAI-NO-GUARDRAIL-METRICS",
    Severity.MEDIUM,
    "No guardrail metrics seen",
    "Put an input/output guard in front of every model call (the templates' guard hook, or "
    "POST /api/v1/guard/check) and export genai_guardrail_events_total.",
    OwaspLlm.LLM01,
)
NO_RECENT_EVAL = _c(
    "GENAI-NO-RECENT-EVAL",
    Severity.LOW,
    "No evaluation run recently",
    "Run the app's evaluation suite in CI on every prompt or model change, and at least weekly.",
    OwaspLlm.LLM09,
)
PROMPTS_NOT_VERSIONED = _c(
    "GENAI-PROMPTS-NOT-VERSIONED",
    Severity.LOW,
    "Prompts are not versioned",
    "Keep prompts in ConfigMaps labelled genai-portal.io/prompt or push them from CI, so every "
    "version is recorded and can be evaluated and rolled back.",
    OwaspLlm.LLM07,
)

CHECKS = [
    PLAIN_API_KEY,
    RUN_AS_ROOT,
    WRITABLE_ROOT_FS,
    PRIVILEGE_ESCALATION,
    NO_LIMITS,
    SINGLE_REPLICA,
    NO_PDB,
    NO_EGRESS_POLICY,
    NO_READINESS,
    LATEST_TAG,
    NO_DIGEST,
    NO_GUARDRAIL_METRICS,
    NO_RECENT_EVAL,
    PROMPTS_NOT_VERSIONED,
]
# The checks the Kubernetes posture step owns (guardrail metrics come from Prometheus).
WORKLOAD_CHECK_IDS = {c.id for c in CHECKS} - {NO_GUARDRAIL_METRICS.id}

# Env names that hold model-provider credentials.
_KEY_ENV = re.compile(
    r"(^|_)(API_?KEY|SECRET_?KEY|ACCESS_?KEY|AUTH_?TOKEN|ACCESS_?TOKEN|TOKEN|SECRET|PASSWORD)$"
    r"|^(OPENAI|ANTHROPIC|AZURE_OPENAI|COHERE|MISTRAL|GROQ|GEMINI|GOOGLE|HF|HUGGINGFACE|"
    r"TOGETHER|REPLICATE|VOYAGE|PINECONE|LANGSMITH|LANGFUSE_SECRET)_",
    re.IGNORECASE,
)
_NOT_A_SECRET = re.compile(
    r"(_BASE_?URL|_URL|_ENDPOINT|_HOST|_MODEL|_ORG(ANIZATION)?|_VERSION)$", re.I
)


def is_credential_name(name: str) -> bool:
    return bool(_KEY_ENV.search(name)) and not _NOT_A_SECRET.search(name)


def selector_matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """A Kubernetes LabelSelector (matchLabels and matchExpressions); {} selects everything."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), set(expr.get("values") or [])
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def _limits_egress(policy: Mapping[str, Any]) -> bool:
    """Whether a NetworkPolicy spec restricts egress (an empty rule allows everything)."""
    types = policy.get("policyTypes") or (
        ["Ingress", "Egress"] if "egress" in policy else ["Ingress"]
    )
    if "Egress" not in types:
        return False
    return all(rule.get("to") or rule.get("ports") for rule in policy.get("egress") or [])


def _image_parts(image: str) -> tuple[str | None, bool]:
    """(tag, pinned by digest)."""
    digest = "@sha256:" in image
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else None
    return tag, digest


def _runs_as_root(w: WorkloadInfo, c: Container) -> bool:
    user = c.run_as_user if c.run_as_user is not None else w.pod_run_as_user
    if user == 0:
        return True
    non_root = c.run_as_non_root if c.run_as_non_root is not None else w.pod_run_as_non_root
    return not non_root and not (user is not None and user > 0)


@dataclass
class PostureContext:
    """What the checks look at, beyond the workloads themselves."""

    app_ids: Mapping[str, int]
    lifecycles: Mapping[str, str | None]
    pdbs: list[ObjectInfo]
    network_policies: list[ObjectInfo]


def finding_for(check: Check, app_id: int, resource: str, detail: str, **data: Any) -> FindingDraft:
    return check.finding(FindingSource.POSTURE, app_id, resource, detail, data)


def check_workload(w: WorkloadInfo, app_id: int, ctx: PostureContext) -> list[FindingDraft]:
    """Every posture problem of one workload."""
    out: list[FindingDraft] = []
    base = f"{w.kind} {w.namespace}/{w.name}"
    pod_labels = w.pod_labels or w.labels
    for c in w.containers:
        res = f"{base} container {c.name}"
        plain = sorted(e.name for e in c.env if e.has_value and is_credential_name(e.name))
        if plain:
            out.append(
                finding_for(
                    PLAIN_API_KEY, app_id, res, f"Plain values for {', '.join(plain)}.", env=plain
                )
            )
        if _runs_as_root(w, c):
            out.append(finding_for(RUN_AS_ROOT, app_id, res, "runAsNonRoot is not set to true."))
        if c.read_only_root_filesystem is not True:
            out.append(
                finding_for(
                    WRITABLE_ROOT_FS, app_id, res, "readOnlyRootFilesystem is not set to true."
                )
            )
        if c.privileged:
            out.append(
                finding_for(
                    PRIVILEGE_ESCALATION,
                    app_id,
                    res,
                    "The container is privileged.",
                    privileged=True,
                )
            )
        elif c.allow_privilege_escalation is not False:
            out.append(
                finding_for(
                    PRIVILEGE_ESCALATION,
                    app_id,
                    res,
                    "allowPrivilegeEscalation is not set to false.",
                )
            )
        missing = [r for r in ("cpu", "memory") if r not in c.limits]
        if missing:
            out.append(
                finding_for(
                    NO_LIMITS,
                    app_id,
                    res,
                    f"No limit for {' and '.join(missing)}.",
                    missing=missing,
                )
            )
        if c.readiness_probe is None:
            out.append(finding_for(NO_READINESS, app_id, res, "No readinessProbe."))
        tag, digest = _image_parts(c.image)
        if tag in (None, "latest") and not digest:
            out.append(
                finding_for(LATEST_TAG, app_id, res, f"Image {c.image} floats.", image=c.image)
            )
        elif not digest:
            out.append(
                finding_for(
                    NO_DIGEST, app_id, res, f"Image {c.image} has no digest.", image=c.image
                )
            )
    production = ctx.lifecycles.get(w.app_id) == Lifecycle.PRODUCTION
    # Staging copies of a production app are not held to production availability.
    if production and not w.namespace.endswith(("-staging", "-dev", "-test")):
        if (w.replicas is not None and w.replicas <= 1) or (
            w.replicas is None and w.kind == "KnativeService"
        ):
            out.append(
                finding_for(
                    SINGLE_REPLICA, app_id, base, f"replicas: {w.replicas or 'scale to zero'}."
                )
            )
        if not any(
            p.namespace == w.namespace
            and selector_matches((p.body.get("spec") or {}).get("selector"), pod_labels)
            for p in ctx.pdbs
        ):
            out.append(
                finding_for(NO_PDB, app_id, base, "No PodDisruptionBudget selects its pods.")
            )
    if not any(
        p.namespace == w.namespace
        and selector_matches((p.body.get("spec") or {}).get("podSelector"), pod_labels)
        and _limits_egress(p.body.get("spec") or {})
        for p in ctx.network_policies
    ):
        out.append(
            finding_for(
                NO_EGRESS_POLICY, app_id, base, "No NetworkPolicy restricts where its pods connect."
            )
        )
    return out


def check_workloads(workloads: Iterable[WorkloadInfo], ctx: PostureContext) -> list[FindingDraft]:
    drafts: list[FindingDraft] = []
    for w in workloads:
        app_id = ctx.app_ids.get(w.app_id)
        if app_id is None:
            log.warning(
                "posture: app %s of %s %s/%s is not registered yet",
                w.app_id,
                w.kind,
                w.namespace,
                w.name,
            )
            continue
        drafts.extend(check_workload(w, app_id, ctx))
    return drafts


# -- checks that need other domains -----------------------------------------------------------


def check_domains(
    *, session: Session, apps: Iterable[App], now: dt.datetime, eval_max_age_days: int
) -> list[FindingDraft]:
    """No evaluation in the last N days; prompts not versioned."""
    apps = [a for a in apps if a.id is not None]
    drafts: list[FindingDraft] = []
    last = dict(
        session.exec(
            select(EvalRun.app_id, func.max(EvalRun.finished)).group_by(col(EvalRun.app_id))
        ).all()
    )
    cutoff = now - dt.timedelta(days=eval_max_age_days)
    for app in apps:
        assert app.id is not None
        seen = last.get(app.id)
        if seen is not None and seen.tzinfo is None:
            seen = seen.replace(tzinfo=dt.UTC)
        if seen is None or seen < cutoff:
            when = "never" if seen is None else f"last on {seen:%Y-%m-%d}"
            drafts.append(
                finding_for(
                    NO_RECENT_EVAL,
                    app.id,
                    f"App {app.name}",
                    f"No evaluation in the last {eval_max_age_days} days ({when}).",
                )
            )
    versioned = set(session.exec(select(PromptVersion.app_id).distinct()).all())
    for app in apps:
        if app.id is not None and app.id not in versioned:
            drafts.append(
                finding_for(
                    PROMPTS_NOT_VERSIONED,
                    app.id,
                    f"App {app.name}",
                    "No prompt version is recorded.",
                )
            )
    return drafts


def apps_by_name(session: Session) -> dict[str, App]:
    return {a.name: a for a in session.exec(select(App).order_by(col(App.name))).all()}
