"""Sync step of usage: hourly rollups from Prometheus, incremental from a watermark.

Every pass also reads the current hour up to ``now`` into its hourly row (a partial bucket the
next pass replaces), so a call made before a sync is on the dashboards after it. The step's
watermark is ``now``: what the stored rows cover, and where a bucket stops being partial.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from sqlalchemy import Table, delete
from sqlmodel import col

from portal_api.db import (
    bulk_load,
    deferred_indexes,
    drop_month_partitions_before,
    ensure_month_partitions,
)
from portal_api.kit.memory import release_freed_memory
from portal_api.kit.timeutil import HOUR, floor_hour
from portal_api.sources.usage_queries import PartRead, PrometheusUsageReader
from portal_api.sources.usage_rows import ROW_COLUMNS
from portal_api.sync.collector import StepContext, SyncStep
from portal_api.usage.models import UsageHourly
from portal_api.usage.service import rebuild_daily

# Samples of the last hours may still be arriving (scrape and remote-write lag): every pass
# re-reads them, and the upsert replaces what the previous pass wrote.
OVERLAP = dt.timedelta(hours=2)
# From this many rows at most (series x hours) a load defers the hourly table's non-unique
# indexes: about 2 days of 1,000 apps x 5 models (a regular pass writes 2-3 hours).
DEFER_INDEXES_ROWS = 200_000


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
    reader = PrometheusUsageReader.from_settings(prometheus, ctx.settings)
    start, end = sync_window(ctx.status.watermark, ctx.now, ctx.settings.backfill_days)
    ctx.progress(f"reading usage {start:%Y-%m-%d %H:%M} .. {end:%Y-%m-%d %H:%M}", 0, 2)
    # A long window is read in parts, the next one while this thread stores the one before.
    parts = reader.read_parts(start=start, end=end, until=ctx.now)
    began = time.perf_counter()
    first = next(parts)
    waited = time.perf_counter() - began
    # The current hour's row is rewritten too (it holds what happened up to now).
    stored_end = end + HOUR if ctx.now > end else end
    # Prometheus answers for every app at once: the window's rows are replaced as a whole, so
    # re-reading the same window writes the same rows, never twice the tokens.
    ctx.session.execute(
        delete(UsageHourly).where(
            col(UsageHourly.hour) >= start, col(UsageHourly.hour) < stored_end
        )
    )
    table = UsageHourly.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    connection = ctx.session.connection()
    if connection.dialect.name == "postgresql" and stored_end > start:
        ensure_month_partitions(connection, table.name, start, stored_end - HOUR)
    # A backfill or a long catch-up builds the (app, hour) index after its load, in one pass.
    big = len(first.read.series) * int((stored_end - start) / HOUR) >= DEFER_INDEXES_ROWS
    queries = hourly = daily = 0
    seconds = dict.fromkeys(("read", "load", "daily", "cpu_read", "cpu_load"), 0.0)
    with deferred_indexes(connection, table, when=big):
        part: PartRead | None = first
        del first
        while part is not None:
            ctx.progress(f"storing hourly rollups from {part.start:%Y-%m-%d %H:%M}", 1, 2)
            seconds["read"] += part.seconds
            seconds["cpu_read"] += part.cpu
            queries += part.read.queries
            part_end = stored_end if part.end == end else part.end
            began, cpu = time.perf_counter(), time.thread_time()
            hourly += bulk_load(connection, table, ROW_COLUMNS, part.read)
            seconds["load"] += time.perf_counter() - began
            seconds["cpu_load"] += time.thread_time() - cpu
            # The days read whole get their daily rows from the read's arrays (the same sums
            # as from the stored rows, without reading them back); the first and last day,
            # which hold hours from before or after the window, from the stored rows.
            began = time.perf_counter()
            computed = part.read.daily(part.read.full_days())
            daily += rebuild_daily(
                session=ctx.session, start=part.start, end=part_end, computed=computed
            )
            seconds["daily"] += time.perf_counter() - began
            # The part's arrays (about 35 MB per 10 days at 1,000 apps) are let go before the
            # next part is taken, and before the index build.
            del part, computed
            release_freed_memory()
            began = time.perf_counter()
            part = next(parts, None)
            waited += time.perf_counter() - began
        began, cpu = time.perf_counter(), time.thread_time()
    seconds["load"] += time.perf_counter() - began  # the index build is part of the load
    seconds["cpu_load"] += time.thread_time() - cpu
    expired = apply_retention(ctx, table)
    ctx.status.watermark = ctx.now
    ctx.progress("stored", 2, 2)
    return {
        "dialect": reader.dialect,
        "window_start": start.isoformat(),
        "window_end": ctx.now.isoformat(),
        "queries": queries,
        "hourly_rows": hourly,
        "daily_rows": daily,
        # where the step's time went: the reads (Prometheus, decoding, counting; in the
        # read-ahead thread, beside the stores), the hourly rows' load (with the index build
        # of a big load), the daily rebuild, and what the stores waited for the reads
        "seconds_read": round(seconds["read"], 3),
        "seconds_load": round(seconds["load"], 3),
        "seconds_daily": round(seconds["daily"], 3),
        "seconds_waiting_for_reads": round(waited, 3),
        "cpu_read": round(seconds["cpu_read"], 3),
        "cpu_load": round(seconds["cpu_load"], 3),
        **expired,
    }


def apply_retention(ctx: StepContext, table: Table) -> dict[str, int]:
    """Hourly rows older than the retention are removed (the daily rows made from them stay):
    whole months by dropping their partition on PostgreSQL, the rest by DELETE."""
    days = ctx.settings.hourly_retention_days
    if days is None:
        return {}
    cutoff = floor_hour(ctx.now).replace(hour=0) - dt.timedelta(days=days)
    connection = ctx.session.connection()
    dropped = 0
    if connection.dialect.name == "postgresql":
        dropped = drop_month_partitions_before(connection, table.name, cutoff)
    deleted = ctx.session.execute(delete(UsageHourly).where(col(UsageHourly.hour) < cutoff))
    return {
        "hourly_partitions_dropped": dropped,
        "hourly_rows_expired": int(getattr(deleted, "rowcount", 0) or 0),
    }


STEPS = [SyncStep("prometheus", "usage", sync_usage)]
