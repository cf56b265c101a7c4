"""Sync step of usage: hourly rollups from Prometheus, incremental from a watermark."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal_api.sources.usage_queries import UsageReader
from portal_api.sync.collector import StepContext, SyncStep
from portal_api.usage.service import floor_hour, rebuild_daily, store_hourly

# Samples of the last hours may still be arriving (scrape and remote-write lag): every pass
# re-reads them, and the upsert replaces what the previous pass wrote.
OVERLAP = dt.timedelta(hours=2)


def sync_window(
    watermark: dt.datetime | None, now: dt.datetime, backfill_days: int
) -> tuple[dt.datetime, dt.datetime]:
    end = floor_hour(now)
    if watermark is None:
        start = end - dt.timedelta(days=backfill_days)
    else:
        start = min(floor_hour(watermark) - OVERLAP, end)
    return start, end


def sync_usage(ctx: StepContext) -> dict[str, Any]:
    prometheus = ctx.sources.prometheus
    assert prometheus is not None
    reader = UsageReader.from_settings(prometheus, ctx.settings)
    start, end = sync_window(ctx.status.watermark, ctx.now, ctx.settings.backfill_days)
    if start >= end:
        return {"queries": 0, "hourly_rows": 0, "daily_rows": 0}
    ctx.progress(f"reading usage {start:%Y-%m-%d %H:%M} .. {end:%Y-%m-%d %H:%M}", 0, 2)
    read = reader.read_hourly(start=start, end=end)
    ctx.progress("storing hourly rollups", 1, 2)
    hourly = store_hourly(session=ctx.session, points=read.points, start=start, end=end)
    daily = rebuild_daily(session=ctx.session, start=start, end=end)
    ctx.status.watermark = end
    ctx.progress("stored", 2, 2)
    return {
        "dialect": reader.dialect,
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "queries": read.queries,
        "hourly_rows": hourly,
        "daily_rows": daily,
    }


STEPS = [SyncStep("prometheus", "usage", sync_usage)]
