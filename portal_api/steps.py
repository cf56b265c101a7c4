"""The sync steps of every domain, in the order they run: the composition root's list.

Only the composition root (``main.py``, the CLI) and tests import this module; the sync core
(``portal_api.sync``) runs whatever steps it is handed and imports no domain.
"""

from __future__ import annotations

from portal_api.apps.sync import STEPS as APP_STEPS
from portal_api.costs.compute_sync import STEPS as COMPUTE_STEPS
from portal_api.costs.sync import STEPS as COST_STEPS
from portal_api.evals.sync import STEPS as EVAL_STEPS
from portal_api.prompts.sync import STEPS as PROMPT_STEPS
from portal_api.readiness.sync import STEPS as READINESS_STEPS
from portal_api.security.sync import STEPS as SECURITY_STEPS
from portal_api.sync.collector import SyncStep
from portal_api.timeline.sync import STEPS as TIMELINE_STEPS
from portal_api.usage.sync import STEPS as USAGE_STEPS


def all_steps() -> list[SyncStep]:
    """Every domain's steps, in the order they run (usage before costs, apps first)."""
    # Security after prompts and evals: its posture checks read what they stored. Timeline
    # after usage (model switches); readiness last: it scores what every other step stored.
    return [
        *APP_STEPS,
        *PROMPT_STEPS,
        *USAGE_STEPS,
        *COST_STEPS,
        *COMPUTE_STEPS,
        *EVAL_STEPS,
        *SECURITY_STEPS,
        *TIMELINE_STEPS,
        *READINESS_STEPS,
    ]
