"""Demo readiness: the sync's status rows (so the demo's stored data is judged, not unknown),
two hardening stories that lift apps a level, and 30 days of history scored day by day as
the data changed.

After it, the demo shows every level: Support Assistant reaches gold when it pins its image
and evaluates its running prompt on a full dataset; Semantic Search reaches silver when a
patched image resolves its critical and high CVEs; Ticket Triage stays bronze; the rest
(and Marketing Copy, which runs outside the cluster) have work to do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from sqlmodel import Session, col, select

from portal_api.apps.models import App, Workload
from portal_api.demo.org import DemoOrg
from portal_api.demo.prompts import MARGIN, PROMPTS
from portal_api.demo.prompts import _cases as demo_cases
from portal_api.evals.models import EvalSource
from portal_api.evals.store import Judging, RunFacts, store_run
from portal_api.kit.timeutil import floor_day, floor_hour
from portal_api.prompts.models import PromptDeployment, PromptVersion
from portal_api.readiness.models import ReadinessDaily
from portal_api.readiness.scorecard import load_scorecard
from portal_api.readiness.service import record_history
from portal_api.security import checks
from portal_api.security.ingest import reconcile_findings
from portal_api.security.models import Finding, FindingSource, FindingStatus, Severity
from portal_api.sync.models import SourceStatus
from portal_api.timeline.detect import DetectedChange, short_image
from portal_api.timeline.models import ChangeKind
from portal_api.timeline.service import record

DAY = dt.timedelta(days=1)
HISTORY_DAYS = 30
# What a synced portal has: every step's last success (the demo runs with sources off).
SYNCED_STEPS = (
    "kubernetes/apps",
    "kubernetes/prompts",
    "kubernetes/security-trivy",
    "kubernetes/security-posture",
    "kubernetes/timeline",
    "prometheus/usage",
    "prometheus/costs",
    "prometheus/security-guardrails",
    "prometheus/timeline",
)


def _mark_synced(session: Session, at: dt.datetime) -> None:
    for step in SYNCED_STEPS:
        if session.get(SourceStatus, step) is not None:
            continue
        stats = {"vulnerabilityreports": {"reports": 11}} if step.endswith("trivy") else {}
        session.add(
            SourceStatus(
                step=step,
                source=step.split("/")[0],
                last_attempt=at,
                last_success=at,
                watermark=floor_hour(at),
                stats=stats,
            )
        )


def _app(session: Session, name: str) -> App | None:
    return session.exec(select(App).where(App.name == name)).first()


def _resolve(session: Session, app: App, at: dt.datetime, keep: Callable[[Finding], bool]) -> None:
    """Resolve the app's open findings that ``keep`` rejects, as the next sync pass would."""
    for source in (FindingSource.TRIVY, FindingSource.POSTURE):
        findings = session.exec(
            select(Finding).where(Finding.app_id == app.id, Finding.source == source)
        ).all()
        gone = {f.fingerprint for f in findings if f.status == FindingStatus.OPEN and not keep(f)}
        if not gone:
            continue
        reconcile_findings(
            session=session,
            source=source,
            drafts=[],
            now=at,
            in_scope=lambda f, gone=gone: f.fingerprint in gone,  # type: ignore[misc]
        )


def _release(session: Session, app: App, at: dt.datetime, image: str) -> None:
    for w in session.exec(
        select(Workload).where(Workload.app_id == app.id, Workload.namespace == app.namespace)
    ).all():
        before = w.images[0]
        ref = f"{w.kind} {w.namespace}/{w.name}"
        record(
            session=session,
            change=DetectedChange(
                ChangeKind.IMAGE,
                at,
                f"{ref} container app: {short_image(before)} → {short_image(image)}",
                f"{w.kind}/{w.namespace}/{w.name}/app",
                {"workload": ref, "container": "app", "from": before, "to": image},
            ),
            app_id=app.id,
        )
        w.images = [image]
        session.add(w)


def _evaluate_running(session: Session, app: App, at: dt.datetime, cases: int, seed: int) -> None:
    prompt = next(p for p in PROMPTS if p.app == app.name)
    running = session.exec(
        select(PromptVersion)
        .join(PromptDeployment, col(PromptDeployment.version_id) == PromptVersion.id)
        .where(PromptDeployment.app_id == app.id, col(PromptDeployment.ended).is_(None))
    ).first()
    if running is None:
        return
    quality = next(v.quality for n, v in enumerate(prompt.versions, 1) if n == running.number)
    ci_run = RunFacts(
        source=EvalSource.CI,
        dataset=f"{prompt.dataset}-full" if cases > 12 else prompt.dataset,
        model=running.model,
        started=at,
        finished=at + dt.timedelta(minutes=18),
        cases=demo_cases(random.Random(seed), quality + 0.02, n=cases),
    )
    store_run(session=session, version=running, facts=ci_run, judging=Judging(MARGIN))


def _harden_support(session: Session, end: dt.datetime) -> None:
    app = _app(session, "support-assistant")
    if app is None:
        return
    at = end - 6 * DAY + dt.timedelta(hours=11)
    for w in session.exec(select(Workload).where(Workload.app_id == app.id)).all():
        name = w.images[0].rpartition(":")[0]
        digest = random.Random(w.name).getrandbits(256)
        pinned = f"{w.images[0]}@sha256:{digest:064x}"
        if w.namespace == app.namespace:
            _release(session, app, at, pinned)
        else:
            w.images = [f"{name}:staging@sha256:{digest:064x}"]
            session.add(w)
    _resolve(session, app, at, keep=lambda f: f.check_id != checks.NO_DIGEST.id)
    _evaluate_running(session, app, at - dt.timedelta(hours=3), cases=40, seed=61)


def _patch_search(session: Session, end: dt.datetime) -> None:
    app = _app(session, "search-rag")
    if app is None:
        return
    at = end - 3 * DAY + dt.timedelta(hours=15)
    w = session.exec(
        select(Workload).where(Workload.app_id == app.id, Workload.namespace == app.namespace)
    ).first()
    if w is not None:
        name, _, tag = w.images[0].rpartition(":")
        _release(session, app, at, f"{name}:{tag.rsplit('.', 1)[0]}.1")
    _resolve(
        session,
        app,
        at,
        keep=lambda f: (
            f.source != FindingSource.TRIVY or f.severity not in (Severity.CRITICAL, Severity.HIGH)
        ),
    )
    _evaluate_running(session, app, at - dt.timedelta(hours=20), cases=12, seed=68)


def seed(session: Session, org: DemoOrg) -> None:
    if session.exec(select(ReadinessDaily.id).limit(1)).first() is not None:
        return
    end = org.end
    _mark_synced(session, end)
    session.flush()
    scorecard = load_scorecard()
    stories = [(end - 6 * DAY, _harden_support), (end - 3 * DAY, _patch_search)]
    last_day = floor_day(end)
    for n in range(HISTORY_DAYS - 1, -1, -1):
        day = last_day - n * DAY
        at = min(day + DAY - dt.timedelta(hours=1), end)  # the day's last sync pass
        while stories and stories[0][0] <= at:
            stories.pop(0)[1](session, end)
            session.flush()
        record_history(session=session, scorecard=scorecard, now=at, configured={})
    session.flush()
