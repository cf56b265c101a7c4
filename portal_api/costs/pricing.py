"""Pricing the usage rollups: the daily rows (the costs sync step) and the aggregates derived
from them (monthly costs and anomalies), and the hourly rows behind per-version usage."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from portal_api.config import Settings
from portal_api.costs.anomalies import find_anomalies
from portal_api.costs.models import (
    CostAnomalyRow,
    CostDaily,
    CostDailyTotal,
    CostMonthly,
    PriceSource,
)
from portal_api.costs.service import money
from portal_api.kit.rollup import sum_per_day
from portal_api.kit.timeutil import DAY, month_start, next_month
from portal_api.prices.book import PriceBook, price_book_or_none, token_costs
from portal_api.usage.models import UsageDaily, UsageHourly
from portal_api.usage.reader import RollupUsageReader
from portal_api.usage.service import bulk_insert

ZERO = Decimal(0)
# Cost rows written per insert while the days are priced.
PRICED_BATCH = 20_000


def price_days(
    *,
    session: Session,
    book: PriceBook,
    start: dt.datetime,
    end: dt.datetime,
    gpu_hours: dict[tuple[dt.datetime, str], float] | None = None,
) -> dict[str, int]:
    """(Re)write the cost rows of the days in [start, end) from the daily usage rollups.

    Args:
        gpu_hours: GPU-hours per (day, app) for self-hosted models.
    """
    gpu_hours = gpu_hours or {}
    d = UsageDaily
    session.execute(delete(CostDaily).where(col(CostDaily.day) >= start, col(CostDaily.day) < end))
    # Plain rows of the columns priced, not ORM objects (1,000 apps: 155,000 rows a month),
    # streamed a batch at a time: the rows read are let go as their cost rows are written.
    usage = session.execute(
        sa_select(
            col(d.day),
            col(d.app),
            col(d.namespace),
            col(d.model),
            col(d.provider),
            col(d.input_tokens),
            col(d.output_tokens),
            col(d.cached_input_tokens),
        )
        .where(col(d.day) >= start, col(d.day) < end)
        .execution_options(yield_per=PRICED_BATCH)
    )
    # Priced rows are written as they fill a batch (not held all at once); self-hosted rows
    # wait for the GPU allocation of their day.
    rows: list[dict[str, Any]] = []
    written = 0
    self_hosted_rows: dict[dt.datetime, list[dict[str, Any]]] = defaultdict(list)
    unpriced = 0
    for u in usage:
        if len(rows) >= PRICED_BATCH:
            bulk_insert(session, CostDaily, rows)
            written += len(rows)
            rows = []
        row: dict[str, Any] = {
            "day": u.day,
            "app": u.app,
            "namespace": u.namespace,
            "model": u.model,
            "provider": u.provider,
            "input_tokens": u.input_tokens,
            "output_tokens": u.output_tokens,
            "cached_input_tokens": u.cached_input_tokens,
            "gpu_hours": 0.0,
            "input_cost": None,
            "cached_input_cost": None,
            "output_cost": None,
            "gpu_cost": None,
            "cost": None,
            "price_source": PriceSource.UNPRICED.value,
        }
        if book.self_hosted(u.model) is not None:
            self_hosted_rows[u.day].append(row)
            continue
        rows.append(row)
        prices = book.unit_prices(u.model, u.provider, u.day.date())
        if prices is None:
            unpriced += 1
            continue
        inp, cached, out = token_costs(
            prices,
            input_tokens=u.input_tokens,
            cached_input_tokens=u.cached_input_tokens,
            output_tokens=u.output_tokens,
        )
        row.update(
            input_cost=inp,
            cached_input_cost=cached,
            output_cost=out,
            cost=inp + cached + out,
            price_source=prices.source,
            provider=u.provider or prices.provider,
        )
    del usage
    extra = _allocate_gpus(book, self_hosted_rows, gpu_hours, start, end)
    rows.extend(r for day_rows in self_hosted_rows.values() for r in day_rows)
    rows.extend(extra)
    bulk_insert(session, CostDaily, rows)
    written += len(rows)
    del rows, self_hosted_rows, extra  # not held while the aggregates are rebuilt
    anomalies = refresh_aggregates(session=session, start=start, end=end)
    return {"cost_rows": written, "unpriced_rows": unpriced, "anomalies": anomalies}


def refresh_aggregates(
    *, session: Session, start: dt.datetime, end: dt.datetime, baseline_days: int = 14
) -> int:
    """Rebuild the monthly costs and the org's daily totals of the months that [start, end)
    touches and the anomalies of its days (and of the baseline window after it, whose
    baseline changed); returns the number of anomalies found."""
    month = month_start(start)
    priced = col(CostDaily.cost).is_not(None)
    while month < end:
        after = next_month(month)
        session.execute(delete(CostMonthly).where(col(CostMonthly.month) == month))
        days = (col(CostDailyTotal.day) >= month, col(CostDailyTotal.day) < after)
        session.execute(delete(CostDailyTotal).where(*days))
        session.execute(
            insert(CostDailyTotal).from_select(
                ["day", "cost"], sum_per_day(CostDaily, CostDaily.cost, month, after, priced)
            )
        )
        spend = session.execute(
            select(CostDaily.app, CostDaily.model, func.sum(CostDaily.cost))
            .where(col(CostDaily.day) >= month, col(CostDaily.day) < after, priced)
            .group_by(col(CostDaily.app), col(CostDaily.model))
        ).all()
        bulk_insert(
            session,
            CostMonthly,
            [
                {"month": month, "app": app, "model": model, "cost": money(amount)}
                for app, model, amount in spend
            ],
        )
        month = after
    last = end + baseline_days * DAY
    session.execute(
        delete(CostAnomalyRow).where(
            col(CostAnomalyRow.day) >= start, col(CostAnomalyRow.day) < last
        )
    )
    found = find_anomalies(session=session, start=start, end=last, baseline_days=baseline_days)
    bulk_insert(
        session,
        CostAnomalyRow,
        [
            {"day": a.day, "app": a.app, "cost": a.cost, "baseline": a.baseline, "ratio": a.ratio}
            for a in found
        ],
    )
    return len(found)


def _tokens(row: dict[str, Any]) -> int:
    return int(row["input_tokens"]) + int(row["output_tokens"])


def _allocate_gpus(
    book: PriceBook,
    by_day: dict[dt.datetime, list[dict[str, Any]]],
    gpu_hours: dict[tuple[dt.datetime, str], float],
    start: dt.datetime,
    end: dt.datetime,
) -> list[dict[str, Any]]:
    """Price self-hosted models by GPU-hour; returns rows for serving apps that had no users.

    With a ``serving_app``, its GPU-hours are shared among the apps that used the model that
    day, by token share. Without, each app pays for its own pods' GPUs, shared among the
    self-hosted models it used by token share.
    """
    extra: list[dict[str, Any]] = []
    day = start
    while day < end:
        rows = by_day.get(day, [])
        for row in rows:
            row.update(gpu_hours=0.0, gpu_cost=ZERO, cost=ZERO, price_source=PriceSource.GPU.value)
        # Shared serving apps.
        for model, hosted in book.overrides.self_hosted.items():
            users = [r for r in rows if r["model"] == model]
            if hosted.serving_app is None:
                continue
            pool = gpu_hours.get((day, hosted.serving_app), 0.0)
            total = sum(_tokens(r) for r in users)
            if not users or total == 0:
                if pool > 0:
                    cost = Decimal(repr(pool)) * hosted.gpu_hour
                    extra.append(
                        {
                            "day": day,
                            "app": hosted.serving_app,
                            "namespace": "",
                            "model": model,
                            "provider": "self-hosted",
                            "input_tokens": 0,
                            "output_tokens": 0,
                            "cached_input_tokens": 0,
                            "gpu_hours": pool,
                            "gpu_cost": cost,
                            "cost": cost,
                            "input_cost": None,
                            "cached_input_cost": None,
                            "output_cost": None,
                            "price_source": PriceSource.GPU.value,
                        }
                    )
                continue
            for r in users:
                share = pool * _tokens(r) / total
                r["gpu_hours"] = share
                r["gpu_cost"] = Decimal(repr(share)) * hosted.gpu_hour
                r["cost"] = r["gpu_cost"]
        # Apps that run the model in their own pods.
        own: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            hosted_or_none = book.self_hosted(r["model"])
            if hosted_or_none is not None and hosted_or_none.serving_app is None:
                own[r["app"]].append(r)
        for app, items in own.items():
            pool = gpu_hours.get((day, app), 0.0)
            total = sum(_tokens(r) for r in items)
            for r in items:
                own_hosted = book.self_hosted(r["model"])
                assert own_hosted is not None
                share = pool * (_tokens(r) / total if total else 1 / len(items))
                r["gpu_hours"] = share
                r["gpu_cost"] = Decimal(repr(share)) * own_hosted.gpu_hour
                r["cost"] = r["gpu_cost"]
        day += DAY
    return extra


class UsagePricer:
    """The cost of an hourly usage row at the price valid on its day (genai-prices, with the
    operator's overrides file and discounts); None for a model nobody knows the price of, or
    a self-hosted model (charged per GPU-hour, which has no per-token price).

    Meant to live for one request: the price book remembers the prices it looked up.
    """

    def __init__(self, *, book: PriceBook | None = None, prices_file: Path | None = None) -> None:
        """Either a ready price book, or the overrides file to load one from when first needed
        (a broken file leaves costs unknown rather than failing the read)."""
        self._book = book
        self._prices_file = prices_file
        self._book_failed = False

    def __call__(self, row: UsageHourly) -> Decimal | None:
        book = self._price_book()
        if book is None or book.self_hosted(row.model) is not None:
            return None
        prices = book.unit_prices(row.model, row.provider, row.hour.date())
        if prices is None:
            return None
        return sum(
            token_costs(
                prices,
                input_tokens=row.input_tokens,
                cached_input_tokens=row.cached_input_tokens,
                output_tokens=row.output_tokens,
            ),
            ZERO,
        )

    def _price_book(self) -> PriceBook | None:
        if self._book is None and not self._book_failed:
            self._book = price_book_or_none(self._prices_file, what="usage")
            self._book_failed = self._book is None
        return self._book


def priced_usage_reader(settings: Settings) -> RollupUsageReader:
    """A per-version usage reader priced with the configured overrides file
    (``PORTAL_PRICES_FILE``)."""
    return RollupUsageReader(price=UsagePricer(prices_file=settings.prices_file))
