"""Tokens and cost per request of a prompt version, from the usage rollups of the time it ran.

The usage domain's hourly rollups answer through ``UsageReader``
(portal_api.usage.reader.RollupUsageReader, priced with genai-prices at the time of use);
tests may put another reader in ``USAGE_READER``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from sqlmodel import Session

from portal_api.prompts.models import VersionUsage


@dataclass(frozen=True)
class UsageTotals:
    requests: int
    input_tokens: int
    output_tokens: int
    cost: Decimal | None


class UsageReader(Protocol):
    def totals(
        self,
        *,
        session: Session,
        app_id: int,
        model: str | None,
        start: dt.datetime,
        end: dt.datetime,
    ) -> UsageTotals | None: ...


# Tests may set another reader; by default the usage domain's rollups are read.
USAGE_READER: UsageReader | None = None


def default_reader() -> UsageReader:
    from portal_api.usage.reader import RollupUsageReader  # usage imports this module

    return RollupUsageReader()


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
    reader: UsageReader | None = None,
) -> VersionUsage | None:
    """Per-request tokens and cost while a version ran, or None when usage is unknown.

    The app's usage in the windows when this version ran is attributed to the version: a
    workload runs one version of a prompt at a time, so the app's traffic then is its traffic.
    """
    if not windows:
        return None
    reader = reader or USAGE_READER or default_reader()
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
