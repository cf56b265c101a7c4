"""Tokens and cost per request of a prompt version, from the usage rollups of the time it ran.

Isolated on purpose: the usage domain stores hourly rollups per app x model and reads them
(``UsageReader``, ``portal_api.usage.reader``: sum requests, input and output tokens and cost
of one app and model between two instants, None when no rollup covers the window),
priced by the costs domain (``portal_api.costs.pricing.priced_usage_reader``). The app is
built with a factory of such readers (``main.py``); the prompts routes make one per request and
pass it to the service's reads (``usage_reader=``); without one, every version's usage is null.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlmodel import Session

from portal_api.prompts.models import VersionUsage
from portal_api.usage.reader import RollupUsageReader

# What reads an app's usage between two instants: the usage domain's reader (tests pass any
# object with the same ``totals``).
UsageReader = RollupUsageReader


def merge_windows(
    windows: Sequence[tuple[dt.datetime, dt.datetime]],
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Overlapping deploy windows (two replicas' workloads) counted once."""
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def version_usage(
    *,
    session: Session,
    app_id: int,
    model: str | None,
    windows: Sequence[tuple[dt.datetime, dt.datetime]],
    reader: UsageReader | None,
) -> VersionUsage | None:
    """Per-request tokens and cost while a version ran, or None when usage is unknown.

    The app's usage in the windows when this version ran is attributed to the version: a
    workload runs one version of a prompt at a time, so the app's traffic then is its traffic.
    """
    if reader is None or not windows:
        return None
    requests = input_tokens = output_tokens = 0
    cost: Decimal | None = Decimal(0)
    seen = False
    for start, end in merge_windows(windows):
        totals = reader.totals(session=session, app_id=app_id, model=model, start=start, end=end)
        if totals is None:
            continue
        seen = True
        requests += totals.requests
        input_tokens += totals.input_tokens
        output_tokens += totals.output_tokens
        cost = None if cost is None or totals.cost is None else cost + totals.cost
    if not seen or requests == 0:
        return None
    return VersionUsage(
        requests=requests,
        input_tokens_per_request=round(input_tokens / requests, 2),
        output_tokens_per_request=round(output_tokens / requests, 2),
        cost_per_request=None if cost is None else str((cost / requests).quantize(Decimal("1e-9"))),
    )
