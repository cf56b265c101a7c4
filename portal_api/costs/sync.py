"""Sync step of costs: price the daily usage rollups that changed since the last pass."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from portal_api.costs.pricing import price_days
from portal_api.kit.timeutil import DAY, floor_day
from portal_api.prices.book import price_book
from portal_api.sources.usage_queries import PrometheusUsageReader
from portal_api.sync.collector import StepContext, SyncStep
from portal_api.sync.service import get_status
from portal_api.usage.models import UsageDaily


def sync_costs(ctx: StepContext) -> dict[str, Any]:
    prometheus = ctx.sources.prometheus
    assert prometheus is not None
    book = price_book(ctx.settings.prices_file)
    usage_mark = get_status(session=ctx.session, source="prometheus", step="usage").watermark
    if usage_mark is None:
        return {"cost_rows": 0, "note": "no usage synced yet"}
    if ctx.status.watermark is None:
        first = ctx.session.exec(select(func.min(UsageDaily.day))).one()
        if first is None:
            ctx.status.watermark = usage_mark
            return {"cost_rows": 0}
        start = floor_day(first)
    else:
        # The usage step re-reads the last hours, so the day they fall in is priced again.
        start = floor_day(min(ctx.status.watermark, usage_mark) - dt.timedelta(hours=3))
    end = floor_day(usage_mark) + DAY
    gpu: dict[tuple[dt.datetime, str], float] = defaultdict(float)
    queries = 0
    if book.overrides.self_hosted:
        reader = PrometheusUsageReader.from_settings(prometheus, ctx.settings)
        ctx.progress("reading GPU requests", 0, 2)
        points, queries = reader.read_gpu_hours(start=start, end=min(end, usage_mark))
        for p in points:
            gpu[(floor_day(p.hour), p.app)] += p.gpu_hours
    ctx.progress("pricing usage", 1, 2)
    stats = price_days(session=ctx.session, book=book, start=start, end=end, gpu_hours=gpu)
    ctx.status.watermark = usage_mark
    return {**stats, "queries": queries, "days": (end - start).days}


STEPS = [SyncStep("prometheus", "costs", sync_costs)]
