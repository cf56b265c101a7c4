"""Sync steps of the timeline: workload changes (Kubernetes) and model switches (usage
rollups, after the usage step of the same pass)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from portal_api.apps.models import App
from portal_api.sync.collector import StepContext, SyncStep
from portal_api.sync.service import get_status
from portal_api.timeline.detect import MODEL_GAP
from portal_api.timeline.service import record_model_switches, record_workload_changes
from portal_api.usage.models import UsageHourly

# The usage step re-reads its last hours; a model's disappearance is only known a gap later.
OVERLAP = dt.timedelta(hours=2)


def sync_workload_changes(ctx: StepContext) -> dict[str, Any]:
    ctx.progress("comparing workloads with the previous pass", 0, 1)
    app_ids = {a.name: a.id for a in ctx.session.exec(select(App)) if a.id is not None}
    stats = record_workload_changes(
        session=ctx.session, workloads=ctx.workloads(), app_ids=app_ids, now=ctx.now
    )
    ctx.progress("recorded workload changes", 1, 1)
    return stats


def sync_model_switches(ctx: StepContext) -> dict[str, Any]:
    usage_mark = get_status(session=ctx.session, source="prometheus", step="usage").watermark
    if usage_mark is None:
        return {"changes": 0, "note": "no usage synced yet"}
    if ctx.status.watermark is None:
        first = ctx.session.exec(select(func.min(UsageHourly.hour))).one()
        start = first if first is not None else usage_mark
    else:
        start = min(ctx.status.watermark, usage_mark) - MODEL_GAP - OVERLAP
    ctx.progress("looking for model switches", 0, 1)
    created = record_model_switches(session=ctx.session, start=start, end=usage_mark, gap=MODEL_GAP)
    ctx.status.watermark = usage_mark
    return {
        "changes": created,
        "window_start": start.isoformat(),
        "window_end": usage_mark.isoformat(),
    }


STEPS = [
    SyncStep("kubernetes", "timeline", sync_workload_changes),
    SyncStep("prometheus", "timeline", sync_model_switches),
]
