"""Sync steps of the security domain: Trivy reports and posture (Kubernetes), guardrail
events (Prometheus). Each step reconciles the findings it owns, so a finding no longer
reported is resolved and one that returns reopens."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from sqlmodel import select

from portal_api.apps.models import App
from portal_api.errors import SourceError
from portal_api.kit.timeutil import floor_hour
from portal_api.security import checks, guardrails, trivy
from portal_api.security.history import expire_suppressions
from portal_api.security.ingest import reconcile_findings, upsert_guardrail_rollups
from portal_api.security.models import Finding, FindingSource
from portal_api.sources.kubernetes import KubernetesSource
from portal_api.sources.models import ObjectInfo
from portal_api.sync.collector import StepContext, SyncStep

log = logging.getLogger(__name__)


def _list_or_none(
    source: KubernetesSource, group: str, version: str, plural: str
) -> list[ObjectInfo] | None:
    """The objects, or None when the API does not serve that resource (CRD not installed)."""
    try:
        return source.list_objects(group, version, plural)
    except SourceError as exc:
        if exc.status == 404:
            return None
        raise


def _of_kind(kind: str) -> Callable[[Finding], bool]:
    return lambda f: f.data.get("kind") == kind


def _app_ids(ctx: StepContext) -> dict[str, int]:
    return {a.name: a.id for a in ctx.session.exec(select(App)).all() if a.id is not None}


def sync_trivy(ctx: StepContext) -> dict[str, Any]:
    source = ctx.sources.kubernetes
    assert source is not None
    workloads = ctx.workloads()
    app_ids = _app_ids(ctx)
    stats: dict[str, Any] = {}
    for i, (plural, kind) in enumerate(trivy.REPORT_KINDS.items()):
        ctx.progress(f"reading {plural}", i, len(trivy.REPORT_KINDS))
        reports = _list_or_none(source, trivy.GROUP, trivy.VERSION, plural)
        if reports is None:
            # No Trivy Operator (or not this report type): nothing is known, nothing resolves.
            log.info("%s.%s is not served; Trivy Operator is not installed", plural, trivy.GROUP)
            stats[plural] = "not installed"
            continue
        parsed = trivy.parse_reports(plural, reports, workloads=workloads, app_ids=app_ids)
        result = reconcile_findings(
            session=ctx.session,
            source=FindingSource.TRIVY,
            drafts=parsed.drafts,
            now=ctx.now,
            in_scope=_of_kind(kind),
        )
        stats[plural] = {
            "reports": parsed.reports,
            "linked": parsed.linked,
            "skipped": parsed.skipped,
            **result,
        }
    stats["suppressions_expired"] = expire_suppressions(session=ctx.session, now=ctx.now)
    return stats


def sync_posture(ctx: StepContext) -> dict[str, Any]:
    source = ctx.sources.kubernetes
    assert source is not None
    ctx.progress("reading workloads and policies", 0, 2)
    workloads = ctx.workloads()
    pdbs = _list_or_none(source, "policy", "v1", "poddisruptionbudgets") or []
    policies = _list_or_none(source, "networking.k8s.io", "v1", "networkpolicies") or []
    apps = checks.apps_by_name(ctx.session)
    posture = checks.PostureContext(
        app_ids={n: a.id for n, a in apps.items() if a.id is not None},
        lifecycles={n: a.lifecycle for n, a in apps.items()},
        pdbs=pdbs,
        network_policies=policies,
    )
    drafts = checks.check_workloads(workloads, posture)
    in_cluster = {w.app_id for w in workloads}
    drafts += checks.check_domains(
        session=ctx.session,
        apps=[a for n, a in apps.items() if n in in_cluster],
        now=ctx.now,
        eval_max_age_days=ctx.settings.security_eval_max_age_days,
    )
    ctx.progress("checked workloads", 1, 2)
    result = reconcile_findings(
        session=ctx.session,
        source=FindingSource.POSTURE,
        drafts=drafts,
        now=ctx.now,
        in_scope=lambda f: f.check_id in checks.WORKLOAD_CHECK_IDS,
    )
    return {
        "workloads": len(workloads),
        **result,
    }


def sync_guardrails(ctx: StepContext) -> dict[str, Any]:
    source = ctx.sources.prometheus
    assert source is not None
    label = ctx.settings.prometheus_app_label
    end = floor_hour(ctx.now)
    if ctx.status.watermark is not None:
        start = min(ctx.status.watermark, end) - guardrails.REREAD
    else:
        start = end - dt.timedelta(days=max(ctx.settings.backfill_days, 8))
    app_ids = _app_ids(ctx)
    ctx.progress("reading guardrail events", 0, 2)
    read = guardrails.read_events(
        source=source, app_label=label, app_ids=app_ids, start=start, end=end, until=ctx.now
    )
    stored = upsert_guardrail_rollups(session=ctx.session, rows=read.rows)
    if read.unknown_apps:
        log.info("guardrail events of unregistered apps: %s", sorted(read.unknown_apps)[:20])
    seen = guardrails.apps_with_metric(source=source, app_label=label, at=ctx.now)
    ctx.progress("checking spikes", 1, 2)
    spikes = guardrails.spike_findings(
        session=ctx.session,
        end=end,
        factor=ctx.settings.guardrail_spike_factor,
        min_events=ctx.settings.guardrail_spike_min_events,
    )
    spike_result = reconcile_findings(
        session=ctx.session, source=FindingSource.GUARDRAIL, drafts=spikes, now=ctx.now
    )
    missing = guardrails.missing_guardrail_findings(session=ctx.session, seen=seen, end=end)
    missing_result = reconcile_findings(
        session=ctx.session,
        source=FindingSource.POSTURE,
        drafts=missing,
        now=ctx.now,
        in_scope=lambda f: f.check_id == checks.NO_GUARDRAIL_METRICS.id,
    )
    ctx.status.watermark = end
    return {
        "series": read.series,
        "hours_stored": stored,
        "unknown_apps": len(read.unknown_apps),
        "spikes": spike_result["findings"],
        "spikes_resolved": spike_result["resolved"],
        "apps_without_guardrails": missing_result["findings"],
    }


STEPS = [
    SyncStep("kubernetes", "security-trivy", sync_trivy),
    SyncStep("kubernetes", "security-posture", sync_posture),
    SyncStep("prometheus", "security-guardrails", sync_guardrails),
]
