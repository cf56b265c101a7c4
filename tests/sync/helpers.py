"""One sync pass in tests, as the server's background loop runs it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.sources.bundle import Sources
from portal_api.steps import all_steps
from portal_api.sync.collector import StepResult, run_sync


def sync_pass(
    db: Database,
    settings: Settings,
    now: dt.datetime,
    *,
    only: set[str] | None = None,
    **sources: Any,
) -> list[StepResult]:
    """Every sync step (or those of the ``only`` sources) over the given sources, e.g.
    ``kubernetes=kube_source``, ``prometheus=prom``, at ``now``."""
    return run_sync(
        steps=all_steps(), db=db, sources=Sources(**sources), settings=settings, now=now, only=only
    )


# One pass over the Kubernetes test server at a given time: the results by step (fixture
# ``kube_sync``).
KubeSync = Callable[[dt.datetime], dict[str, StepResult]]
