"""Sync step of evals: probe the model endpoint, so its health shows with the other sources."""

from __future__ import annotations

from typing import Any

from portal_api.sync.collector import StepContext, SyncStep

MAX_LISTED = 50


def probe_model_endpoint(ctx: StepContext) -> dict[str, Any]:
    source = ctx.sources.openai
    assert source is not None
    ctx.progress("listing models", 0, 1)
    models = source.list_models()
    ctx.progress("listed models", 1, 1)
    return {"models": len(models), "listed": models[:MAX_LISTED]}


STEPS = [SyncStep("openai", "models", probe_model_endpoint)]
