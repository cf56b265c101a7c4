"""Demo findings of every source (Trivy Operator, posture checks, guardrail events), with a
history: some resolved, one reopened, one suppressed."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from sqlmodel import Session, select

from portal_api.apps.models import App
from portal_api.demo.org import DemoOrg
from portal_api.kit.timeutil import floor_hour
from portal_api.security import checks, trivy
from portal_api.security.guardrails import spike_findings
from portal_api.security.ingest import FindingDraft, reconcile_findings, upsert_guardrail_rollups
from portal_api.security.models import Finding, FindingSource
from portal_api.security.service import suppress_finding

# Trivy Operator report entries: real advisories of packages common in GenAI service images,
# Kubernetes checks, a key baked into an image.
REPORTS = json.loads((Path(__file__).parent / "trivy_reports.json").read_text())
GUARDED = {"support-assistant": 40, "search-rag": 25, "docs-chat": 8, "review-moderator": 30}


def _trivy(app: App, index: int, rng: random.Random) -> list[FindingDraft]:
    """The findings of the app's reports, read as the Trivy step reads the operator's."""
    assert app.id is not None
    baked_key = app.name in ("sql-copilot", "code-review-bot")
    reports = {
        trivy.VULNERABILITY_REPORTS: {
            "vulnerabilities": rng.sample(REPORTS["vulnerabilities"], 3 + index % 4)
        },
        trivy.CONFIG_AUDIT_REPORTS: {"checks": REPORTS["checks"][: 1 + index % 3]},
        trivy.EXPOSED_SECRET_REPORTS: {"secrets": REPORTS["secrets"] if baked_key else []},
    }
    resource = f"Deployment {app.namespace}/{app.name} container app"
    image = f"registry.example.com/{app.team}/{app.name}:1.{index + 4}.0"
    return [
        draft
        for plural, report in reports.items()
        for draft in trivy.report_findings(plural, report, app.id, resource, image)
    ]


def _posture(app: App, replicas: int, production: bool) -> list[FindingDraft]:
    assert app.id is not None
    base = f"Deployment {app.namespace}/{app.name}"
    res = f"{base} container app"
    out = []
    if app.name in ("code-review-bot", "sql-copilot"):
        out.append(
            checks.finding_for(
                checks.PLAIN_API_KEY,
                app.id,
                res,
                "Plain values for OPENAI_API_KEY.",
                env=["OPENAI_API_KEY"],
            )
        )
        out.append(checks.finding_for(checks.LATEST_TAG, app.id, res, "Image floats."))
    if app.name not in GUARDED:
        out.append(
            checks.finding_for(
                checks.NO_EGRESS_POLICY, app.id, base, "No NetworkPolicy restricts its pods."
            )
        )
        out.append(
            checks.finding_for(
                checks.NO_GUARDRAIL_METRICS,
                app.id,
                f"App {app.name}",
                "No genai_guardrail_events_total series in the last 7 days.",
            )
        )
    if production and replicas <= 1:
        out.append(checks.finding_for(checks.SINGLE_REPLICA, app.id, base, "replicas: 1."))
    if app.name in ("churn-insights", "catalog-enricher"):
        out.append(checks.finding_for(checks.NO_LIMITS, app.id, res, "No limit for memory."))
        out.append(checks.finding_for(checks.RUN_AS_ROOT, app.id, res, "runAsNonRoot unset."))
    out.append(checks.finding_for(checks.NO_DIGEST, app.id, res, "Image has no digest."))
    return out


def seed(session: Session, org: DemoOrg) -> None:
    if session.exec(select(Finding.id)).first() is not None:
        return
    apps = {a.name: a for a in session.exec(select(App)).all()}
    rng = random.Random(org.seed + 5)
    end = floor_hour(org.end)
    in_cluster = [(i, d) for i, d in enumerate(org.apps) if d.in_cluster and d.name in apps]

    # Three sync passes: three weeks ago, last week, now. Fixes between them resolve findings.
    passes = (end - dt.timedelta(days=21), end - dt.timedelta(days=7), end)
    for n, when in enumerate(passes):
        trivy: list[FindingDraft] = []
        posture: list[FindingDraft] = []
        for i, demo in in_cluster:
            app = apps[demo.name]
            drafts = _trivy(app, i, random.Random(org.seed + i))
            # A patched image resolves the last finding last week; on every other app a
            # regression brings it back now (reopened).
            trivy += drafts if n == 0 or (n == 2 and i % 2 == 1) else drafts[:-1]
            posture += _posture(app, demo.replicas, demo.lifecycle == "production")
        if n == 0:
            # Fixed since: Call Summaries had no readiness probe three weeks ago.
            voice = apps.get("voice-summaries")
            if voice is not None and voice.id is not None:
                posture.append(
                    checks.finding_for(
                        checks.NO_READINESS,
                        voice.id,
                        f"StatefulSet {voice.namespace}/{voice.name} container app",
                        "No readinessProbe.",
                    )
                )
        reconcile_findings(session=session, source=FindingSource.TRIVY, drafts=trivy, now=when)
        reconcile_findings(session=session, source=FindingSource.POSTURE, drafts=posture, now=when)

    # Guardrail events: 14 days of hourly counts; Support Assistant sees an injection wave.
    rows = []
    for name, rate in GUARDED.items():
        guarded = apps.get(name)
        if guarded is None or guarded.id is None:
            continue
        for h in range(14 * 24):
            hour = end - dt.timedelta(hours=h + 1)
            daytime = 0.4 + 0.6 * (8 <= hour.hour <= 20)
            for rule, direction, share in (
                ("prompt_injection", "input", 0.05),
                ("pii", "input", 0.08),
                ("pii", "output", 0.03),
                ("secret", "output", 0.01),
                ("deny_list", "input", 0.02),
            ):
                mean = rate * share * daytime
                if name == "support-assistant" and rule == "prompt_injection" and h < 18:
                    mean *= 12
                blocked = rng.randint(0, max(1, round(mean * 1.4)))
                flagged = rng.randint(0, max(1, round(mean * 0.8)))
                if blocked:
                    rows.append((guarded.id, rule, direction, "blocked", hour, float(blocked)))
                if flagged:
                    rows.append((guarded.id, rule, direction, "flagged", hour, float(flagged)))
    upsert_guardrail_rollups(session=session, rows=rows)
    reconcile_findings(
        session=session,
        source=FindingSource.GUARDRAIL,
        drafts=spike_findings(session=session, end=end, factor=3.0, min_events=20),
        now=end,
    )

    # An accepted risk: the vendor has no fix yet.
    accepted = session.exec(
        select(Finding).where(Finding.check_id == "CVE-2023-45853", Finding.status == "open")
    ).first()
    if accepted is not None and accepted.id is not None:
        suppress_finding(
            session=session,
            finding_id=accepted.id,
            reason="No fix upstream; zipOpenNewFileInZip4_6 is never called by this service.",
            until=end + dt.timedelta(days=60),
            actor="security-team",
            now=end - dt.timedelta(days=2),
        )
    session.flush()
