"""Compute costs: pricing the pods' compute per app and hour, rollups, and the reads that
join compute into the cost views (per app, team, namespace; unallocated; per 1,000 requests).

No double counting: the GPUs of an app whose GPU-hours already price a self-hosted model (the
model's ``serving_app``, or an app that runs a self-hosted model in its own pods that day) are
model spend (``gpu_cost`` of the model costs). Their compute rows are kept with
``model_spend`` set and left out of ``compute_cost``; their CPU and memory stay compute.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, String, bindparam, cast, delete, func
from sqlmodel import Session, col, select

from portal_api.costs.compute_models import (
    UNALLOCATED,
    ComputeBucket,
    ComputeCostDaily,
    ComputeCostHourly,
    UnallocatedCompute,
)
from portal_api.costs.models import CostGroup, DailyTotal
from portal_api.db import UTCDateTime
from portal_api.kit.driver import DriverQuery
from portal_api.kit.rollup import rebuild_days, sum_per_day, sums
from portal_api.kit.timeutil import floor_day, month_split
from portal_api.prices.book import PriceBook
from portal_api.sources.compute_queries import ComputePoint
from portal_api.usage.models import Step, UsageDaily, UsageHourly
from portal_api.usage.service import bucket_start, bulk_insert, day_split

ZERO = Decimal(0)
THOUSAND = Decimal(1000)
PER_1K_PLACES = Decimal("0.0001")


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value))


# ---------------------------------------------------------------- writing -------


def model_spend_gpus(
    *, session: Session, book: PriceBook, start: dt.datetime, end: dt.datetime
) -> tuple[set[str], set[tuple[dt.datetime, str]]]:
    """Whose GPUs the model costs price already: (serving apps, {(day, app)} running a
    self-hosted model in their own pods), for the days of [start, end)."""
    serving = {h.serving_app for h in book.overrides.self_hosted.values() if h.serving_app}
    own_models = [m for m, h in book.overrides.self_hosted.items() if h.serving_app is None]
    own: set[tuple[dt.datetime, str]] = set()
    if own_models:
        query = (
            select(UsageDaily.day, UsageDaily.app)
            .where(
                col(UsageDaily.day) >= floor_day(start),
                col(UsageDaily.day) < end,
                col(UsageDaily.model).in_(own_models),
            )
            .distinct()
        )
        own = {(day, app) for day, app in session.execute(query).all()}
    return serving, own


def price_points(
    points: Iterable[ComputePoint],
    *,
    book: PriceBook,
    serving: set[str],
    own: set[tuple[dt.datetime, str]],
) -> list[dict[str, Any]]:
    """Hourly rows from what Prometheus read: OpenCost's cost as is, else the rate card."""
    card = book.overrides.compute
    rows: dict[tuple[dt.datetime, str, str, str], dict[str, Any]] = {}
    for p in points:
        day = floor_day(p.hour)
        if p.cost is not None:
            cost: Decimal | None = _decimal(p.cost)
            source = "opencost"
        else:
            rate = card.price(p.resource, p.pool)
            cost = None if rate is None else _decimal(p.quantity) * rate
            source = "unpriced" if rate is None else "rate-card"
        key = (p.hour, p.app, p.namespace, p.resource)
        row = rows.get(key)
        if row is None:
            spent = (
                p.resource == "gpu" and bool(p.app) and (p.app in serving or (day, p.app) in own)
            )
            rows[key] = {
                "hour": p.hour,
                "day": day,
                "app": p.app,
                "namespace": p.namespace,
                "resource": p.resource,
                "quantity": p.quantity,
                "cost": cost,
                "model_spend": spent,
                "source": source,
            }
            continue
        # Several node pools in one hour: add them up; unknown stays unknown only if all are.
        row["quantity"] += p.quantity
        if cost is not None:
            row["cost"] = cost if row["cost"] is None else row["cost"] + cost
            row["source"] = source
    return list(rows.values())


def store_compute(
    *, session: Session, rows: Sequence[dict[str, Any]], start: dt.datetime, end: dt.datetime
) -> tuple[int, int]:
    """Replace the hourly rows of [start, end) and rebuild the daily rows of its days; the
    window is replaced as a whole, so re-reading it never counts anything twice."""
    session.execute(
        delete(ComputeCostHourly).where(
            col(ComputeCostHourly.hour) >= start, col(ComputeCostHourly.hour) < end
        )
    )
    kept = [r for r in rows if start <= r["hour"] < end]
    bulk_insert(session, ComputeCostHourly, kept)
    return len(kept), rebuild_compute_daily(session=session, start=start, end=end)


def rebuild_compute_daily(*, session: Session, start: dt.datetime, end: dt.datetime) -> int:
    # model_spend is one value per app and day (decided per day), so it is a key.
    keys = ["app", "namespace", "resource", "model_spend"]
    measures = sums(ComputeCostHourly, "quantity", "cost")
    return rebuild_days(session, ComputeCostDaily, ComputeCostHourly, (start, end), keys, measures)


# ---------------------------------------------------------------- reading -------


def _aligned(start: dt.datetime, end: dt.datetime) -> bool:
    return floor_day(start) == start and floor_day(end) == end


def _rollup(start: dt.datetime, end: dt.datetime, daily: Any, hourly: Any) -> tuple[Any, Any]:
    """(table, its time column): whole days read the daily rollup, other ranges the hourly
    rows, so every range is exact to the hour."""
    if _aligned(start, end):
        return daily, daily.day
    return hourly, hourly.hour


def summed(
    session: Session,
    span: tuple[dt.datetime, dt.datetime],
    tables: tuple[Any, Any, Any],
    keys: Sequence[str],
    measures: Sequence[str],
    where: Callable[[Any], list[Any]] = lambda _: [],
    *,
    split: bool = True,
) -> dict[tuple[Any, ...], list[Any]]:
    """The sums of ``measures`` per ``keys`` over [start, end), exact to the hour, from the
    rollups ``tables`` (monthly or None, daily, hourly or None): its whole calendar months
    from the monthly rows, the other whole days from the daily rows, only the hours around
    them from the hourly rows (left out when None: the caller splits them). A sum is None
    where every row's value is. Not ``split``: one table, the daily rows for whole days, else
    the hourly rows of the whole range (a few rows of one app: one query, not four)."""
    monthly, daily, hourly = tables
    days, edges = day_split(*span)
    parts = [(hourly, hourly.hour, a, b) for a, b in edges] if hourly is not None else []
    if not split:
        table, time = _rollup(*span, daily, hourly)
        parts, days = [(table, time, *span)], None
    if days is not None:
        months, rest = month_split(*days) if monthly is not None else (None, [days])
        parts += [(daily, daily.day, a, b) for a, b in rest]
        if months is not None:
            parts.append((monthly, monthly.month, *months))
    out: dict[tuple[Any, ...], list[Any]] = {}
    for table, time, a, b in parts:
        columns = [getattr(table, k) for k in keys]
        sums = [func.sum(getattr(table, m)) for m in measures]
        query = select(*columns, *sums).where(time >= a, time < b, *where(table)).group_by(*columns)
        for row in session.execute(query).all():
            key, values = tuple(row[: len(keys)]), row[len(keys) :]
            found = out.get(key)
            out[key] = (
                list(values)
                if found is None
                else [_add(*p) for p in zip(found, values, strict=True)]
            )
    return out


def _add(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else a + b


def _scan(
    session: Session, start: dt.datetime, end: dt.datetime, *keys: str, app: str | None = None
) -> list[Any]:
    """Compute cost and unit-hours grouped by ``keys``, exact to the hour (``summed``). GPUs
    charged as model spend are out."""

    def where(table: Any) -> list[Any]:
        kept = [col(table.model_spend).is_(False)]
        return kept if app is None else [*kept, table.app == app]

    tables = (None, ComputeCostDaily, ComputeCostHourly)
    measures = ("cost", "quantity")
    found = summed(session, (start, end), tables, keys, measures, where, split=app is None)
    return [(*key, cost, quantity) for key, (cost, quantity) in found.items()]


def compute_by_app(session: Session, start: dt.datetime, end: dt.datetime) -> dict[str, Decimal]:
    """Compute cost per app in [start, end); unallocated pods under ``(unallocated)``."""
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for app, cost, _ in _scan(session, start, end, "app"):
        if cost is not None:
            out[app or UNALLOCATED] += cost
    return dict(out)


def compute_by(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    teams: dict[str, str],
    unassigned: str,
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Compute cost per app and per team (apps nobody owns: ``unassigned``)."""
    by_app = compute_by_app(session, start, end)
    by_team: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for app, cost in by_app.items():
        team = UNALLOCATED if app == UNALLOCATED else teams.get(app, unassigned)
        by_team[team] += cost
    return by_app, dict(by_team)


def compute_by_resource(
    session: Session, start: dt.datetime, end: dt.datetime, *, app: str | None = None
) -> dict[str, Decimal]:
    return {
        r: cost
        for r, cost, _ in sorted(_scan(session, start, end, "resource", app=app))
        if cost is not None
    }


def unallocated(session: Session, start: dt.datetime, end: dt.datetime) -> list[UnallocatedCompute]:
    """Compute of unlabelled pods per namespace in [start, end)."""
    found = summed(
        session,
        (start, end),
        (None, ComputeCostDaily, ComputeCostHourly),
        ("namespace", "resource"),
        ("cost", "quantity"),
        lambda table: [table.app == ""],
    )
    by_ns: dict[str, dict[str, Any]] = {}
    for (ns, resource), (cost, quantity) in sorted(found.items()):
        item = by_ns.setdefault(ns, {"cost": ZERO, "cpu": 0.0, "memory": 0.0, "gpu": 0.0})
        item["cost"] += cost if cost is not None else ZERO
        item[resource] += float(quantity or 0)
    return [
        UnallocatedCompute(
            namespace=ns,
            cost=v["cost"],
            cpu_hours=round(v["cpu"], 6),
            memory_gib_hours=round(v["memory"], 6),
            gpu_hours=round(v["gpu"], 6),
        )
        for ns, v in sorted(by_ns.items(), key=lambda kv: (-kv[1]["cost"], kv[0]))
    ]


def _app_compute_query(table: type[ComputeCostDaily] | type[ComputeCostHourly]) -> DriverQuery:
    time = col(table.hour if table is ComputeCostHourly else table.day)
    return DriverQuery(
        select(time, table.resource, func.sum(table.cost), func.sum(table.quantity))
        .where(
            time >= bindparam("first", type_=UTCDateTime()),
            time < bindparam("last", type_=UTCDateTime()),
            table.app == bindparam("app", type_=String()),
            col(table.model_spend).is_(False),
        )
        .group_by(time, col(table.resource))
    )


# Compiled once: one app's compute per time and resource (its costs view).
_APP_COMPUTE = {table: _app_compute_query(table) for table in (ComputeCostDaily, ComputeCostHourly)}


def app_compute(
    session: Session, app: str, start: dt.datetime, end: dt.datetime, step: Step
) -> tuple[dict[str, Decimal], list[ComputeBucket]]:
    """An app's compute cost per resource and its compute per bucket of ``step`` in
    [start, end), exact to the hour: both from one read of its rows per time and resource."""
    table, _ = _rollup(start, end, ComputeCostDaily, ComputeCostHourly)
    rows = _APP_COMPUTE[table].rows(session.connection(), app=app, first=start, last=end)
    acc: dict[dt.datetime, dict[str, Any]] = {}
    by_resource: dict[str, Decimal] = {}
    for when, resource, cost, quantity in rows:
        if cost is not None:
            by_resource[resource] = by_resource.get(resource, ZERO) + cost
        # Clamped to the range's start, as the model spend buckets are.
        b = acc.setdefault(max(bucket_start(when, step), start), defaultdict(lambda: ZERO))
        b[f"{resource}_cost"] += cost if cost is not None else ZERO
        b[f"{resource}_hours"] += _decimal(float(quantity or 0))
    buckets = [
        ComputeBucket(
            start=when,
            cost=b["cpu_cost"] + b["memory_cost"] + b["gpu_cost"],
            cpu_cost=b["cpu_cost"],
            memory_cost=b["memory_cost"],
            gpu_cost=b["gpu_cost"],
            cpu_hours=round(float(b["cpu_hours"]), 6),
            memory_gib_hours=round(float(b["memory_hours"]), 6),
            gpu_hours=round(float(b["gpu_hours"]), 6),
        )
        for when, b in sorted(acc.items())
    ]
    return dict(sorted(by_resource.items())), buckets


def requests_by(
    session: Session, start: dt.datetime, end: dt.datetime, key: str, *, app: str | None = None
) -> dict[str, int]:
    """Model requests per ``key`` (app or model) in [start, end), from the usage rollups."""
    table, time = _rollup(start, end, UsageDaily, UsageHourly)
    column = getattr(table, key)
    query = (
        select(column, func.sum(table.requests)).where(time >= start, time < end).group_by(column)
    )
    if app is not None:
        query = query.where(table.app == app)
    return {name: int(n or 0) for name, n in session.execute(query).all()}


def _app_requests_query(table: type[UsageDaily] | type[UsageHourly]) -> DriverQuery:
    time = col(table.hour if table is UsageHourly else table.day)
    return DriverQuery(
        select(cast(func.sum(table.requests), BigInteger)).where(
            table.app == bindparam("app", type_=String()),
            time >= bindparam("first", type_=UTCDateTime()),
            time < bindparam("last", type_=UTCDateTime()),
        )
    )


# Compiled once: one app's requests in a range (its costs view's cost per 1,000 requests).
_APP_REQUESTS = {table: _app_requests_query(table) for table in (UsageDaily, UsageHourly)}


def app_requests(session: Session, app: str, start: dt.datetime, end: dt.datetime) -> int:
    """One app's model requests in [start, end), from the usage rollups (as ``requests_by``)."""
    table, _ = _rollup(start, end, UsageDaily, UsageHourly)
    rows = _APP_REQUESTS[table].rows(session.connection(), app=app, first=start, last=end)
    return int(rows[0][0] or 0)


def per_1k(cost: Decimal, requests: int | None) -> Decimal | None:
    if not requests:
        return None
    return (cost * THOUSAND / Decimal(requests)).quantize(PER_1K_PLACES)


def join_compute(
    groups: list[CostGroup],
    *,
    compute: dict[str, Decimal],
    previous_compute: dict[str, Decimal],
    requests: dict[str, int] | None = None,
) -> list[CostGroup]:
    """The cost groups with their compute, total (model spend + compute) and cost per 1,000
    requests; groups with compute only (e.g. unallocated pods) are added. Sorted by total."""
    by_key = {g.key: g for g in groups}
    for key in (set(compute) | set(previous_compute)) - set(by_key):
        by_key[key] = CostGroup(key=key, cost=ZERO, previous=ZERO, change=ZERO, change_pct=None)
    out = []
    for key, g in by_key.items():
        now, before = compute.get(key, ZERO), previous_compute.get(key, ZERO)
        total, previous_total = g.cost + now, g.previous + before
        pct = float((total - previous_total) / previous_total * 100) if previous_total else None
        n = requests.get(key) if requests is not None else None
        out.append(
            g.model_copy(
                update={
                    "compute_cost": now,
                    "previous_compute_cost": before,
                    "total_cost": total,
                    "previous_total_cost": previous_total,
                    "total_change": total - previous_total,
                    "total_change_pct": round(pct, 2) if pct is not None else None,
                    "requests": n,
                    "cost_per_1k_requests": per_1k(total, n),
                }
            )
        )
    return sorted(out, key=lambda g: (-g.total_cost, g.key))


def join_daily(
    session: Session, daily: list[DailyTotal], start: dt.datetime, end: dt.datetime
) -> list[DailyTotal]:
    """Daily model spend with each day's compute (from the daily rollup) and total."""
    not_model = col(ComputeCostDaily.model_spend).is_(False)
    query = sum_per_day(ComputeCostDaily, ComputeCostDaily.cost, start, end, not_model)
    by_day = {d.day: d for d in daily}
    for day, cost in session.execute(query).all():
        if cost is None:
            continue
        item = by_day.setdefault(day, DailyTotal(day=day, cost=ZERO))
        item.compute_cost = cost
    for d in by_day.values():
        d.total_cost = d.cost + d.compute_cost
    return sorted(by_day.values(), key=lambda d: d.day)
