"""Sync step of prompts: versions from labelled ConfigMaps, and what each workload runs."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from portal_api.prompts.cluster import sync_prompts
from portal_api.prompts.models import PROMPT_LABEL
from portal_api.sync.collector import StepContext, SyncStep


def sync_prompt_versions(ctx: StepContext) -> dict[str, Any]:
    source = ctx.sources.kubernetes
    assert source is not None
    ctx.progress("listing prompt ConfigMaps", 0, 2)
    config_maps = source.list_objects("", "v1", "configmaps", label_selector=PROMPT_LABEL)
    ctx.progress("listing workloads", 1, 2)
    workloads = ctx.workloads()
    result = sync_prompts(
        session=ctx.session, config_maps=config_maps, workloads=workloads, now=ctx.now
    )
    ctx.progress("recorded prompt versions", 2, 2)
    stats = asdict(result)
    # Keep the status row small: a cluster with many broken ConfigMaps lists the first few.
    stats["invalid"] = stats["invalid"][:20]
    stats["unresolved"] = stats["unresolved"][:20]
    return stats


STEPS = [SyncStep("kubernetes", "prompts", sync_prompt_versions)]
