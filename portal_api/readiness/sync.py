"""Sync step of readiness: store each app's readiness of the day, after every other step.

It reads only the database, but belongs to a pass: it is registered under both sources so
that it runs whichever is on, and once per pass when both are.
"""

from __future__ import annotations

from typing import Any

from portal_api.readiness.scorecard import load_scorecard
from portal_api.readiness.service import record_history
from portal_api.sync.collector import StepContext, SyncStep

_DONE = "readiness-recorded"


def sync_readiness(ctx: StepContext) -> dict[str, Any]:
    if ctx.shared.get(_DONE):
        return {"apps": 0, "note": "recorded earlier in this pass"}
    scorecard = load_scorecard(ctx.settings.scorecard_file)
    apps = record_history(
        session=ctx.session,
        scorecard=scorecard,
        now=ctx.now,
        configured=ctx.sources.configured(),
    )
    ctx.shared[_DONE] = True
    return {"apps": apps}


STEPS = [
    SyncStep("kubernetes", "readiness", sync_readiness),
    SyncStep("prometheus", "readiness", sync_readiness),
]
