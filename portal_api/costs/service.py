"""Costs read per app and org-wide: the daily cost rows, the hours of partial days split from
them by hourly usage, unpriced usage, and comparisons with the previous period.

Budgets live in ``budgets.py``, anomalies in ``anomalies.py``, the monthly report in
``report.py``, pricing the rollups in ``pricing.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import BigInteger, String, bindparam, case, cast, func
from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.costs import compute
from portal_api.costs.models import (
    CURRENCY,
    CostDaily,
    CostGroup,
    CostMonthly,
    OrgCosts,
    UnpricedUsage,
)
from portal_api.db import UTCDateTime
from portal_api.kit.driver import DriverQuery
from portal_api.kit.timeutil import check_range, floor_day
from portal_api.sync.models import Freshness
from portal_api.usage.models import UsageDaily, UsageHourly, UsageMonthly
from portal_api.usage.service import (
    day_split,
    ensure_known_app,
    exact_range,
    merge_buckets,
    partial_buckets,
)

ZERO = Decimal(0)
NANO = Decimal("0.000000001")
UNASSIGNED = "(unassigned)"
MAX_RANGE = dt.timedelta(days=800)


# What a cost bucket sums, named as on CostDaily; then how many of its rows are priced and
# how many rows it has.
_BUCKET_PARTS = (
    "cost",
    "input_cost",
    "cached_input_cost",
    "output_cost",
    "gpu_cost",
    "input_tokens",
    "output_tokens",
    "cached_input_tokens",
)
_BUCKET_SUMS = (
    *(func.sum(getattr(CostDaily, name)) for name in _BUCKET_PARTS[:5]),
    *(cast(func.sum(getattr(CostDaily, name)), BigInteger) for name in _BUCKET_PARTS[5:]),
    func.count(col(CostDaily.cost)),
    func.count(),
)
_UNPRICED_TOKENS = ("input_tokens", "output_tokens", "cached_input_tokens")
# One app's cost rows of whole days per day and model: the bucket sums, then the tokens of its
# unpriced rows (what ``unpriced_usage`` reads), compiled once.
_APP_DAYS = DriverQuery(
    select(
        CostDaily.day,
        CostDaily.model,
        *_BUCKET_SUMS,
        *(
            cast(
                func.sum(case((col(CostDaily.cost).is_(None), getattr(CostDaily, name)))),
                BigInteger,
            )
            for name in _UNPRICED_TOKENS
        ),
    )
    .where(
        CostDaily.app == bindparam("app", type_=String()),
        col(CostDaily.day) >= bindparam("first", type_=UTCDateTime()),
        col(CostDaily.day) < bindparam("last", type_=UTCDateTime()),
    )
    .group_by(col(CostDaily.day), col(CostDaily.model))
    .order_by(col(CostDaily.day), col(CostDaily.model))
)


# The same rows as stored, in day and model order (``_app_days``).
_APP_DAY_ROWS = DriverQuery(
    select(CostDaily.day, CostDaily.model, *(getattr(CostDaily, n) for n in _BUCKET_PARTS))
    .where(
        CostDaily.app == bindparam("app", type_=String()),
        col(CostDaily.day) >= bindparam("first", type_=UTCDateTime()),
        col(CostDaily.day) < bindparam("last", type_=UTCDateTime()),
    )
    .order_by(col(CostDaily.day), col(CostDaily.model))
)


def _app_days(session: Session, app: str, first: dt.datetime, last: dt.datetime) -> list[Any]:
    """``_APP_DAYS``'s rows. An app whose cost rows are one per day and model (one namespace)
    has them from its stored rows, not summed by the database (its 13 sums cost SQLite twice
    the read): the sum of one value is that value, the count of one row 1 or 0. Two rows at
    one day and model: the database sums them, as it always did."""
    connection = session.connection()
    rows = _APP_DAY_ROWS.rows(connection, app=app, first=first, last=last)
    out = []
    seen: set[tuple[Any, Any]] = set()
    for row in rows:
        key = (row[0], row[1])
        if key in seen:
            return _APP_DAYS.rows(connection, app=app, first=first, last=last)
        seen.add(key)
        unpriced = row[2] is None
        row += [int(not unpriced), 1]
        row += row[7:10] if unpriced else [None, None, None]
        out.append(row)
    return out


def money(value: Decimal | None) -> Decimal:
    # SUM over a Money column comes back through Money's result processing: exact Decimal.
    return value if value is not None else ZERO


def app_costs(
    *,
    session: Session,
    app: str,
    start: dt.datetime,
    end: dt.datetime,
    step: Literal["day", "week", "month"],
    freshness: Freshness,
    covered_until: dt.datetime | None = None,
) -> dict[str, Any]:
    """Costs of one app per model and bucket over the whole hours of [start, end): whole days
    from the daily costs, the hours around them split from their day's cost by hourly usage.
    The ``AppCosts`` document (plain values in its fields' order, see ``kit.jsonbody``).

    Raises:
        InvalidInputError: the range is empty, too long, or not time-zoned.
    """
    check_range(start, end, MAX_RANGE)
    start, end = exact_range(start, end)
    days, edges = day_split(start, end)
    # Summed per day and model in SQL, with the unpriced rows' tokens; the partial days' rows
    # added per bucket in plain lists.
    rows: list[Any] = []
    unpriced: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    if days is not None:
        for *row, inp, out, cached in _app_days(session, app, *days):
            rows.append(row)
            if row[-2] != row[-1]:  # some of the day's rows have no price
                totals = unpriced[(app, row[1])]
                totals[0] += inp or 0
                totals[1] += out or 0
                totals[2] += cached or 0
    edge_rows = _split_edges(session, edges, app=app)
    rows.extend(
        [
            r.day,
            r.model,
            *(getattr(r, name) for name in _BUCKET_PARTS),
            int(r.cost is not None),
            1,
        ]
        for r in edge_rows
    )
    if not rows:
        ensure_known_app(session=session, app=app)
    merged = sorted(merge_buckets(rows, step, start).items())
    partial = partial_buckets({when for (when, _), _ in merged}, step, end, covered_until)
    buckets: list[dict[str, Any]] = []
    by_model: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (when, model), parts in merged:
        bucket = {"start": when, "model": model, "partial": partial[when]}
        bucket.update(zip(_BUCKET_PARTS, parts, strict=False))
        bucket["priced"] = parts[-2] == parts[-1]
        buckets.append(bucket)
        if parts[0] is not None:
            by_model[model] += parts[0]
    total = sum(by_model.values(), ZERO)
    by_resource, compute_buckets = compute.app_compute(session, app, start, end, step)
    compute_cost = sum(by_resource.values(), ZERO)
    requests = compute.app_requests(session, app, start, end)
    return {
        "app": app,
        "start": start,
        "end": end,
        "covered_until": covered_until,
        "step": step,
        "currency": CURRENCY,
        "total": total,
        "by_model": dict(sorted(by_model.items())),
        "buckets": buckets,  # written as they are: no model per bucket (kit.jsonbody)
        "unpriced": _unpriced_list(unpriced, edge_rows),
        "compute_cost": compute_cost,
        "total_cost": total + compute_cost,
        "compute_by_resource": by_resource,
        "compute": compute_buckets,
        "requests": requests,
        "cost_per_1k_requests": compute.per_1k(total + compute_cost, requests),
        "freshness": freshness,
    }


def teams_by_app(session: Session) -> dict[str, str]:
    """Each registered app's team (UNASSIGNED where none): two columns, not whole App rows
    (1,000 ORM rows cost about 30 ms, and an org read asks up to five times)."""
    pairs = session.execute(select(App.name, App.team)).all()
    return {name: team or UNASSIGNED for name, team in pairs}


def _share(amount: Decimal | None, part: int, whole: int) -> Decimal | None:
    """``amount`` x part / whole, to the nano-dollar (exact for per-token prices)."""
    if amount is None:
        return None
    if whole == 0:
        return ZERO
    return (amount * part / whole).quantize(NANO)


def _split_edges(
    session: Session, edges: list[tuple[dt.datetime, dt.datetime]], *, app: str | None = None
) -> list[CostDaily]:
    """The edge rows of every partial day of a ``day_split``."""
    return [r for first, last in edges for r in _edge_rows(session, first, last, app=app)]


def _edge_rows(
    session: Session, start: dt.datetime, end: dt.datetime, *, app: str | None = None
) -> list[CostDaily]:
    """Costs of the hours [start, end) inside one day, split from that day's cost rows by the
    hourly usage (prices are per day, so the split of token costs is exact; GPU costs are
    shared by tokens). Unsaved rows dated ``start``."""
    day = floor_day(start)
    h = UsageHourly
    usage = (
        select(  # type: ignore[call-overload]
            h.app,
            h.namespace,
            h.model,
            func.sum(h.input_tokens),
            func.sum(h.output_tokens),
            func.sum(h.cached_input_tokens),
        )
        .where(col(h.hour) >= start, col(h.hour) < end)
        .group_by(h.app, h.namespace, h.model)
    )
    daily = select(CostDaily).where(CostDaily.day == day)
    if app is not None:
        usage = usage.where(h.app == app)
        daily = daily.where(CostDaily.app == app)
    costs = {(r.app, r.namespace, r.model): r for r in session.exec(daily).all()}
    rows = []
    for a, namespace, model, inp, out, cached in session.execute(usage).all():
        inp, out, cached = int(inp or 0), int(out or 0), int(cached or 0)
        r = costs.get((a, namespace, model))
        if r is None:
            continue
        parts: dict[str, Any] = {
            "input_cost": _share(
                r.input_cost, inp - cached, r.input_tokens - r.cached_input_tokens
            ),
            "cached_input_cost": _share(r.cached_input_cost, cached, r.cached_input_tokens),
            "output_cost": _share(r.output_cost, out, r.output_tokens),
            "gpu_cost": _share(r.gpu_cost, inp + out, r.input_tokens + r.output_tokens),
        }
        known = [v for v in parts.values() if v is not None]
        key = {"app": a, "namespace": namespace, "model": model}
        tokens: dict[str, Any] = {
            "input_tokens": inp,
            "output_tokens": out,
            "cached_input_tokens": cached,
        }
        rows.append(
            CostDaily(
                **key,
                **tokens,
                **parts,
                day=start,
                provider=r.provider,
                price_source=r.price_source,
                gpu_hours=r.gpu_hours * (inp + out) / max(r.input_tokens + r.output_tokens, 1),
                cost=sum(known, ZERO) if r.cost is not None else None,
            )
        )
    return rows


def unpriced_usage(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    *,
    app: str | None = None,
    edge_rows: list[CostDaily] | None = None,
) -> list[UnpricedUsage]:
    """Usage without a price in [start, end); ``edge_rows``: the partial days' rows when the
    caller already split them (one read, not two)."""
    days, edges = day_split(start, end)
    found: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    if days is not None:
        query = (
            select(  # type: ignore[call-overload]
                CostDaily.app,
                CostDaily.model,
                func.sum(CostDaily.input_tokens),
                func.sum(CostDaily.output_tokens),
                func.sum(CostDaily.cached_input_tokens),
            )
            .where(
                col(CostDaily.day) >= days[0],
                col(CostDaily.day) < days[1],
                col(CostDaily.cost).is_(None),
            )
            .group_by(CostDaily.app, CostDaily.model)
        )
        if app is not None:
            query = query.where(CostDaily.app == app)
        for a, m, i, o, c in session.execute(query).all():
            found[(a, m)] = [int(i or 0), int(o or 0), int(c or 0)]
    if edge_rows is None:
        edge_rows = _split_edges(session, edges, app=app)
    return _unpriced_list(found, edge_rows)


def _unpriced_list(
    found: dict[tuple[str, str], list[int]], edge_rows: list[CostDaily]
) -> list[UnpricedUsage]:
    """The unpriced tokens per (app, model) of whole days, ``found``, plus those of the partial
    days' unpriced rows."""
    for r in edge_rows:
        if r.cost is None:
            totals = found[(r.app, r.model)]
            totals[0] += r.input_tokens
            totals[1] += r.output_tokens
            totals[2] += r.cached_input_tokens
    return [
        UnpricedUsage(app=a, model=m, input_tokens=i, output_tokens=o, cached_input_tokens=c)
        for (a, m), (i, o, c) in sorted(found.items())
    ]


def compare_groups(current: dict[str, Decimal], previous: dict[str, Decimal]) -> list[CostGroup]:
    groups = []
    for key in set(current) | set(previous):
        now, before = current.get(key, ZERO), previous.get(key, ZERO)
        pct = float((now - before) / before * 100) if before else None
        groups.append(
            CostGroup(
                key=key,
                cost=now,
                previous=before,
                change=now - before,
                change_pct=round(pct, 2) if pct is not None else None,
            )
        )
    return sorted(groups, key=lambda g: (-g.cost, g.key))


@dataclass(frozen=True)
class _Grouping:
    """How an org read groups its sums: per team, app or model (each app's team read once)."""

    session: Session
    by: Literal["team", "app", "model"]
    teams: dict[str, str]

    def group(self, name: str) -> str:
        """The group of an app, or per model, of a model."""
        return self.teams.get(name, UNASSIGNED) if self.by == "team" else name

    def costs(
        self, start: dt.datetime, end: dt.datetime, edge_rows: list[CostDaily] | None = None
    ) -> dict[str, Decimal]:
        # Whole months from the monthly rollup (priced rows only), other whole days from the
        # daily rows, the hours around them split from their days' rows.
        per_model = self.by == "model"
        sums = compute.summed(
            self.session,
            (start, end),
            (CostMonthly, CostDaily, None),
            ("model" if per_model else "app",),
            ("cost",),
            lambda table: [col(table.cost).is_not(None)],
        )
        found = [(name, amount) for (name,), (amount,) in sums.items()]
        if edge_rows is None:
            edge_rows = _split_edges(self.session, day_split(start, end)[1])
        found.extend(
            (r.model if per_model else r.app, r.cost) for r in edge_rows if r.cost is not None
        )
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for name, nano in found:
            out[self.group(name)] += money(nano)
        return out

    def compute(self, start: dt.datetime, end: dt.datetime) -> dict[str, Decimal]:
        """Compute per team or app (compute belongs to no model: none per model)."""
        if self.by == "model":
            return {}
        by_app, by_team = compute.compute_by(self.session, start, end, self.teams, UNASSIGNED)
        return by_team if self.by == "team" else by_app

    def requests(self, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
        """Model requests in [start, end): whole months from ``usage_monthly``, the other whole
        days from ``usage_daily``, the hours around them from ``usage_hourly`` (retention drops
        hourly rows only, so days whose hours are gone still count; a 90-day range to the
        current hour read every hourly row of it: 10.8 M at 1,000 apps x 5 models)."""
        sums = compute.summed(
            self.session,
            (start, end),
            (UsageMonthly, UsageDaily, UsageHourly),
            ("model" if self.by == "model" else "app",),
            ("requests",),
        )
        found = {name: int(n or 0) for (name,), (n,) in sums.items()}
        out: dict[str, int] = defaultdict(int)
        for name, n in found.items():
            out[self.group(name)] += n
        return dict(out)


def org_costs(
    *,
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    group_by: Literal["team", "app", "model"],
    freshness: Freshness,
) -> OrgCosts:
    """Org-wide costs per group, with the previous period of the same length and the change.

    Raises:
        InvalidInputError: the range is empty, too long, or not time-zoned.
    """
    check_range(start, end, MAX_RANGE)
    start, end = exact_range(start, end)
    previous_start = start - (end - start)
    # Each app's team, read once (the groups, compute and requests all need it).
    grouping = _Grouping(session, group_by, teams_by_app(session) if group_by == "team" else {})
    edge_rows = _split_edges(session, day_split(start, end)[1])
    current = grouping.costs(start, end, edge_rows)
    previous = grouping.costs(previous_start, start)
    now_compute, before_compute = (
        grouping.compute(s, e) for s, e in ((start, end), (previous_start, start))
    )
    total, previous_total = sum(current.values(), ZERO), sum(previous.values(), ZERO)
    compute_total = sum(now_compute.values(), ZERO)
    previous_compute = sum(before_compute.values(), ZERO)
    asked = {"start": start, "end": end, "group_by": group_by, "freshness": freshness}
    return OrgCosts(
        **asked,
        previous_start=previous_start,
        total=total,
        previous_total=previous_total,
        groups=compute.join_compute(
            compare_groups(current, previous),
            compute=now_compute,
            previous_compute=before_compute,
            requests=grouping.requests(start, end),
        ),
        unpriced=unpriced_usage(session, start, end, edge_rows=edge_rows),
        compute_total=compute_total,
        previous_compute_total=previous_compute,
        total_cost=total + compute_total,
        previous_total_cost=previous_total + previous_compute,
        unallocated=compute.unallocated(session, start, end),
    )
