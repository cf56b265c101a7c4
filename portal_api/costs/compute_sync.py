"""Sync step of compute costs: the pods' CPU, memory and GPUs per app and hour, from
OpenCost (priced by its node prices) or kube-state-metrics (priced by the rate card),
incremental from a watermark with the same window and overlap as usage."""

from __future__ import annotations

from typing import Any

from portal_api.costs.compute import model_spend_gpus, price_points, store_compute
from portal_api.prices.book import price_book
from portal_api.sources.compute_queries import ComputeReader
from portal_api.sync.collector import StepContext, SyncStep
from portal_api.usage.sync import sync_window


def sync_compute(ctx: StepContext) -> dict[str, Any]:
    prometheus = ctx.sources.prometheus
    assert prometheus is not None
    if ctx.settings.compute_dialect == "off":
        return {"note": "PORTAL_COMPUTE_DIALECT=off"}
    book = price_book(ctx.settings.prices_file)
    reader = ComputeReader(
        prometheus,
        dialect=ctx.settings.compute_dialect,
        app_label=ctx.settings.prometheus_app_label,
        node_pool_label=book.overrides.compute.node_pool_label,
    )
    start, end = sync_window(ctx.status.watermark, ctx.now, ctx.settings.backfill_days)
    if start >= end:
        return {"queries": 0, "hourly_rows": 0, "daily_rows": 0}
    ctx.progress(f"reading compute {start:%Y-%m-%d %H:%M} .. {end:%Y-%m-%d %H:%M}", 0, 2)
    read = reader.read_hourly(start=start, end=end)
    ctx.progress("pricing compute", 1, 2)
    serving, own = model_spend_gpus(session=ctx.session, book=book, start=start, end=end)
    rows = price_points(read.points, book=book, serving=serving, own=own)
    hourly, daily = store_compute(session=ctx.session, rows=rows, start=start, end=end)
    ctx.status.watermark = end
    ctx.progress("stored", 2, 2)
    return {
        "dialects": sorted(read.dialects),
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "queries": read.queries,
        "hourly_rows": hourly,
        "daily_rows": daily,
        "unpriced_rows": sum(1 for r in rows if r["cost"] is None),
    }


STEPS = [SyncStep("prometheus", "compute", sync_compute)]
