"""Sync step of the app registry: discover apps from the cluster's labelled workloads."""

from __future__ import annotations

from typing import Any

from portal_api.apps.service import reconcile_workloads
from portal_api.sync.collector import StepContext, SyncStep


def discover_apps(ctx: StepContext) -> dict[str, Any]:
    ctx.progress("listing labelled workloads", 0, 1)
    workloads = ctx.workloads()
    result = reconcile_workloads(session=ctx.session, workloads=workloads, now=ctx.now)
    ctx.progress("reconciled apps", 1, 1)
    return dict(result)


STEPS = [SyncStep("kubernetes", "apps", discover_apps)]
