"""Costs: pricing the daily usage rollups, budgets and their alerts, anomalies, reports."""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.costs import compute
from portal_api.costs.models import (
    AnomalyList,
    AppCosts,
    Budget,
    BudgetAlert,
    BudgetBasis,
    BudgetCreate,
    BudgetList,
    BudgetScope,
    BudgetStatus,
    BudgetUpdate,
    CostAnomaly,
    CostAnomalyRow,
    CostBucket,
    CostDaily,
    CostGroup,
    CostMonthly,
    CostReport,
    DailyTotal,
    OrgCosts,
    UnpricedUsage,
)
from portal_api.errors import ConflictError, InvalidInputError, NotFoundError
from portal_api.kit.ingest import insert_once
from portal_api.sync.models import Freshness
from portal_api.timeline.service import explain_movers, record_budget_change
from portal_api.usage.models import UsageHourly
from portal_api.usage.service import (
    bucket_end,
    bucket_start,
    day_split,
    ensure_known_app,
    exact_range,
    floor_day,
)

DAY = dt.timedelta(days=1)
ZERO = Decimal(0)
NANO = Decimal("0.000000001")
UNASSIGNED = "(unassigned)"
MAX_RANGE = dt.timedelta(days=800)
INSERT_BATCH = 5000

# ---------------------------------------------------------------- reads ---------


def _check_range(start: dt.datetime, end: dt.datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInputError("from and to need a time zone (e.g. 2026-01-01T00:00:00Z)")
    if end <= start:
        raise InvalidInputError("to must be after from")
    if end - start > MAX_RANGE:
        raise InvalidInputError(f"at most {MAX_RANGE.days} days per request")


def money(value: Decimal | None) -> Decimal:
    # SUM over a Money column comes back through Money's result processing: exact Decimal.
    return value if value is not None else ZERO


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, ZERO) if known else None


def app_costs(
    *,
    session: Session,
    app: str,
    start: dt.datetime,
    end: dt.datetime,
    step: Literal["day", "week", "month"],
    freshness: Freshness,
    covered_until: dt.datetime | None = None,
) -> AppCosts:
    """Costs of one app per model and bucket over the whole hours of [start, end): whole days
    from the daily costs, the hours around them split from their day's cost by hourly usage.

    Raises:
        InvalidInputError: the range is empty, too long, or not time-zoned.
    """
    _check_range(start, end)
    start, end = exact_range(start, end)
    ensure_known_app(session=session, app=app)
    days, edges = day_split(start, end)
    rows: list[CostDaily] = []
    if days is not None:
        rows.extend(
            session.exec(
                select(CostDaily).where(
                    CostDaily.app == app,
                    col(CostDaily.day) >= days[0],
                    col(CostDaily.day) < days[1],
                )
            ).all()
        )
    edge_rows = _split_edges(session, edges, app=app)
    rows.extend(edge_rows)
    grouped: dict[tuple[dt.datetime, str], list[CostDaily]] = defaultdict(list)
    for r in rows:
        grouped[(max(bucket_start(r.day, step), start), r.model)].append(r)
    buckets = []
    by_model: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (when, model), items in sorted(grouped.items()):
        cost = _sum(r.cost for r in items)
        priced = all(r.cost is not None for r in items)
        buckets.append(
            CostBucket(
                start=when,
                model=model,
                partial=covered_until is not None
                and covered_until < min(bucket_end(bucket_start(when, step), step), end),
                cost=cost,
                input_cost=_sum(r.input_cost for r in items),
                cached_input_cost=_sum(r.cached_input_cost for r in items),
                output_cost=_sum(r.output_cost for r in items),
                gpu_cost=_sum(r.gpu_cost for r in items),
                input_tokens=sum(r.input_tokens for r in items),
                output_tokens=sum(r.output_tokens for r in items),
                cached_input_tokens=sum(r.cached_input_tokens for r in items),
                priced=priced,
            )
        )
        if cost is not None:
            by_model[model] += cost
    total = sum(by_model.values(), ZERO)
    by_resource = compute.compute_by_resource(session, start, end, app=app)
    compute_cost = sum(by_resource.values(), ZERO)
    requests = sum(compute.requests_by(session, start, end, "app", app=app).values())
    return AppCosts(
        app=app,
        start=start,
        end=end,
        covered_until=covered_until,
        step=step,
        total=total,
        by_model=dict(sorted(by_model.items())),
        buckets=buckets,
        unpriced=_unpriced(session, start, end, app=app, edge_rows=edge_rows),
        compute_cost=compute_cost,
        total_cost=total + compute_cost,
        compute_by_resource=by_resource,
        compute=compute.compute_buckets(session, app, start, end, step),
        requests=requests,
        cost_per_1k_requests=compute.per_1k(total + compute_cost, requests),
        freshness=freshness,
    )


def _teams(session: Session) -> dict[str, str]:
    return {a.name: a.team or UNASSIGNED for a in session.exec(select(App)).all()}


def _group_costs(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    by: Literal["team", "app", "model"],
    edge_rows: list[CostDaily] | None = None,
) -> dict[str, Decimal]:
    key = CostDaily.model if by == "model" else CostDaily.app
    days, edges = day_split(start, end)
    found: list[tuple[str, Decimal | None]] = []
    if days is not None:
        query = (
            select(key, func.sum(CostDaily.cost))
            .where(
                col(CostDaily.day) >= days[0],
                col(CostDaily.day) < days[1],
                col(CostDaily.cost).is_not(None),
            )
            .group_by(key)
        )
        found.extend((name, amount) for name, amount in session.execute(query).all())
    if edge_rows is None:
        edge_rows = _split_edges(session, edges)
    found.extend(
        (r.model if by == "model" else r.app, r.cost) for r in edge_rows if r.cost is not None
    )
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    teams = _teams(session) if by == "team" else {}
    for name, nano in found:
        amount = money(nano)
        group = teams.get(name, UNASSIGNED) if by == "team" else name
        out[group] += amount
    return out


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
        parts = {
            "input_cost": _share(
                r.input_cost, inp - cached, r.input_tokens - r.cached_input_tokens
            ),
            "cached_input_cost": _share(r.cached_input_cost, cached, r.cached_input_tokens),
            "output_cost": _share(r.output_cost, out, r.output_tokens),
            "gpu_cost": _share(r.gpu_cost, inp + out, r.input_tokens + r.output_tokens),
        }
        known = [v for v in parts.values() if v is not None]
        rows.append(
            CostDaily(
                day=start,
                app=a,
                namespace=namespace,
                model=model,
                provider=r.provider,
                input_tokens=inp,
                output_tokens=out,
                cached_input_tokens=cached,
                gpu_hours=r.gpu_hours * (inp + out) / max(r.input_tokens + r.output_tokens, 1),
                cost=sum(known, ZERO) if r.cost is not None else None,
                price_source=r.price_source,
                input_cost=parts["input_cost"],
                cached_input_cost=parts["cached_input_cost"],
                output_cost=parts["output_cost"],
                gpu_cost=parts["gpu_cost"],
            )
        )
    return rows


def _unpriced(
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


def _compare(current: dict[str, Decimal], previous: dict[str, Decimal]) -> list[CostGroup]:
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
    _check_range(start, end)
    start, end = exact_range(start, end)
    previous_start = start - (end - start)
    edge_rows = _split_edges(session, day_split(start, end)[1])
    current = _group_costs(session, start, end, group_by, edge_rows)
    previous = _group_costs(session, previous_start, start, group_by)
    now_compute, before_compute = (
        _compute_groups(session, s, e, group_by) for s, e in ((start, end), (previous_start, start))
    )
    total, previous_total = sum(current.values(), ZERO), sum(previous.values(), ZERO)
    compute_total = sum(now_compute.values(), ZERO)
    previous_compute = sum(before_compute.values(), ZERO)
    return OrgCosts(
        start=start,
        end=end,
        previous_start=previous_start,
        group_by=group_by,
        total=total,
        previous_total=previous_total,
        groups=compute.join_compute(
            _compare(current, previous),
            compute=now_compute,
            previous_compute=before_compute,
            requests=_requests(session, start, end, group_by),
        ),
        unpriced=_unpriced(session, start, end, edge_rows=edge_rows),
        compute_total=compute_total,
        previous_compute_total=previous_compute,
        total_cost=total + compute_total,
        previous_total_cost=previous_total + previous_compute,
        unallocated=compute.unallocated(session, start, end),
        freshness=freshness,
    )


def _compute_groups(
    session: Session, start: dt.datetime, end: dt.datetime, by: Literal["team", "app", "model"]
) -> dict[str, Decimal]:
    """Compute per team or app (compute belongs to no model: none per model)."""
    if by == "model":
        return {}
    by_app, by_team = compute.compute_by(session, start, end, _teams(session), UNASSIGNED)
    return by_team if by == "team" else by_app


def _requests(
    session: Session, start: dt.datetime, end: dt.datetime, by: Literal["team", "app", "model"]
) -> dict[str, int]:
    if by == "model":
        return compute.requests_by(session, start, end, "model")
    per_app = compute.requests_by(session, start, end, "app")
    if by == "app":
        return per_app
    teams = _teams(session)
    out: dict[str, int] = defaultdict(int)
    for app, n in per_app.items():
        out[teams.get(app, UNASSIGNED)] += n
    return dict(out)


# ---------------------------------------------------------------- budgets -------


def parse_month(month: str) -> tuple[dt.datetime, dt.datetime]:
    """[first day, first day of the next month) of ``YYYY-MM``.

    Raises:
        InvalidInputError: not a YYYY-MM month.
    """
    try:
        first = dt.datetime.strptime(month, "%Y-%m").replace(tzinfo=dt.UTC)
    except ValueError:
        raise InvalidInputError(f"month must be YYYY-MM, got {month!r}") from None
    if not 2000 <= first.year <= 2999:
        raise InvalidInputError(f"month {month} is out of range (years 2000..2999)")
    return first, next_month(first)


def month_start(t: dt.datetime) -> dt.datetime:
    return floor_day(t).replace(day=1)


def next_month(first: dt.datetime) -> dt.datetime:
    return (first + dt.timedelta(days=32)).replace(day=1)


def _month_of(t: dt.datetime) -> str:
    return t.strftime("%Y-%m")


def list_budget_rows(*, session: Session) -> Sequence[Budget]:
    return session.exec(select(Budget).order_by(col(Budget.scope), col(Budget.name))).all()


def create_budget(
    *, session: Session, data: BudgetCreate, now: dt.datetime, thresholds: Sequence[int]
) -> tuple[BudgetStatus, bool]:
    """Set a budget; returns its status this month, and whether it was created now (the
    same budget posted again is a replay).

    Raises:
        ConflictError: that team or app has another budget already.
    """

    def find() -> Budget | None:
        existing = session.exec(
            select(Budget).where(Budget.scope == data.scope, Budget.name == data.name)
        ).first()
        if existing is not None and existing.amount != data.amount:
            raise ConflictError(
                f"the {data.scope} {data.name!r} has a budget already (change it with PUT)"
            )
        return existing

    def insert() -> Budget:
        budget = Budget.model_validate(data, update={"created_at": now, "updated_at": now})
        session.add(budget)
        session.flush()
        return budget

    budget, created = insert_once(session, find=find, insert=insert)
    if created:
        record_budget_change(session=session, budget=budget, action="set", previous=None, now=now)
    assert budget.id is not None
    status = budget_status(session=session, budget_id=budget.id, now=now, thresholds=thresholds)
    return status, created


def budget_status(
    *, session: Session, budget_id: int, now: dt.datetime, thresholds: Sequence[int]
) -> BudgetStatus:
    statuses = budget_statuses(
        session=session, month=_month_of(now), now=now, thresholds=thresholds
    )
    found = next((s for s in statuses if s.id == budget_id), None)
    if found is None:
        raise NotFoundError(f"no budget {budget_id}")
    return found


def get_budget(*, session: Session, budget_id: int) -> Budget:
    budget = session.get(Budget, budget_id)
    if budget is None:
        raise NotFoundError(f"no budget {budget_id}")
    return budget


def update_budget(
    *,
    session: Session,
    budget_id: int,
    data: BudgetUpdate,
    now: dt.datetime,
    thresholds: Sequence[int],
) -> BudgetStatus:
    """Change a budget's amount.

    Raises:
        NotFoundError: no such budget.
    """
    budget = get_budget(session=session, budget_id=budget_id)
    previous = budget.amount
    budget.amount = data.amount
    if data.basis is not None:
        budget.basis = data.basis
    budget.updated_at = now
    session.add(budget)
    session.flush()
    if previous != budget.amount:
        record_budget_change(
            session=session, budget=budget, action="changed", previous=previous, now=now
        )
    return budget_status(session=session, budget_id=budget_id, now=now, thresholds=thresholds)


def delete_budget(*, session: Session, budget_id: int, now: dt.datetime) -> None:
    budget = get_budget(session=session, budget_id=budget_id)
    record_budget_change(session=session, budget=budget, action="removed", previous=None, now=now)
    session.delete(budget)
    session.flush()


def spend_by(
    session: Session, start: dt.datetime, end: dt.datetime
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Spend per app and per team in [start, end); whole months read the monthly rollup."""
    teams = _teams(session)
    if start == month_start(start) and end == next_month(start):
        spend = _spend_month(session, start, teams)
    else:
        spend = _spend(session, start, end, teams)
    return spend.by_app, spend.by_team


def _spend_month(session: Session, month: dt.datetime, teams: dict[str, str]) -> _Spend:
    out = _Spend(defaultdict(lambda: ZERO), defaultdict(lambda: ZERO), defaultdict(lambda: ZERO))
    query = select(col(CostMonthly.app), col(CostMonthly.model), col(CostMonthly.cost)).where(
        CostMonthly.month == month
    )
    for app, model, cost in session.execute(query).all():
        out.by_app[app] += cost
        out.by_team[teams.get(app, UNASSIGNED)] += cost
        out.by_model[model] += cost
    return out


@dataclass
class _Spend:
    by_app: dict[str, Decimal]
    by_team: dict[str, Decimal]
    by_model: dict[str, Decimal]


def _spend(session: Session, start: dt.datetime, end: dt.datetime, teams: dict[str, str]) -> _Spend:
    """One grouped scan (app x model) of a period; every total of the report derives from it."""
    query = (
        select(CostDaily.app, CostDaily.model, func.sum(CostDaily.cost))
        .where(
            col(CostDaily.day) >= start, col(CostDaily.day) < end, col(CostDaily.cost).is_not(None)
        )
        .group_by(col(CostDaily.app), col(CostDaily.model))
    )
    out = _Spend(defaultdict(lambda: ZERO), defaultdict(lambda: ZERO), defaultdict(lambda: ZERO))
    for app, model, amount in session.execute(query).all():
        value = money(amount)
        out.by_app[app] += value
        out.by_team[teams.get(app, UNASSIGNED)] += value
        out.by_model[model] += value
    return out


def budget_statuses(
    *,
    session: Session,
    month: str,
    now: dt.datetime,
    thresholds: Sequence[int],
    spend: tuple[dict[str, Decimal], dict[str, Decimal]] | None = None,
    compute_spend: tuple[dict[str, Decimal], dict[str, Decimal]] | None = None,
) -> list[BudgetStatus]:
    """Every budget against the month's spend so far and its month-end forecast.

    The forecast extrapolates the month's spend linearly over the days elapsed (the whole
    month once it is over).

    Args:
        spend: the month's (per-app, per-team) model spend when the caller has it already.
        compute_spend: the same for compute (budgets on the total basis add it).
    """
    first, after = parse_month(month)
    by_app, by_team = spend if spend is not None else spend_by(session, first, after)
    budgets = list_budget_rows(session=session)
    if compute_spend is None and any(b.basis == BudgetBasis.TOTAL for b in budgets):
        compute_spend = compute.compute_by(session, first, after, _teams(session), UNASSIGNED)
    compute_app, compute_team = compute_spend or ({}, {})
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    if now >= after:
        elapsed = float(days_in_month)
    else:
        elapsed = max((now - first).total_seconds() / 86400, 1.0)
    statuses = []
    for b in budgets:
        spent = (by_team if b.scope == BudgetScope.TEAM else by_app).get(b.name, ZERO)
        if b.basis == BudgetBasis.TOTAL:
            spent += (compute_team if b.scope == BudgetScope.TEAM else compute_app).get(
                b.name, ZERO
            )
        if elapsed >= days_in_month:
            forecast = spent
        else:
            forecast = (spent * Decimal(days_in_month) / Decimal(repr(elapsed))).quantize(
                Decimal("0.01")
            )
        util = float(spent / b.amount)
        forecast_util = float(forecast / b.amount)
        alerts = [
            BudgetAlert(threshold=t, basis=basis, firing=value * 100 >= t)
            for t in sorted(thresholds)
            for basis, value in (("actual", util), ("forecast", forecast_util))
        ]
        state: Literal["ok", "warning", "exceeded"] = "ok"
        if util >= 1:
            state = "exceeded"
        elif any(a.firing for a in alerts):
            state = "warning"
        assert b.id is not None
        statuses.append(
            BudgetStatus(
                id=b.id,
                scope=b.scope,
                name=b.name,
                basis=b.basis,
                month=month,
                amount=b.amount,
                spent=spent,
                forecast=forecast,
                utilisation=round(util, 4),
                forecast_utilisation=round(forecast_util, 4),
                state=state,
                alerts=alerts,
            )
        )
    return statuses


def list_budgets(
    *,
    session: Session,
    month: str | None,
    now: dt.datetime,
    thresholds: Sequence[int],
    freshness: Freshness,
) -> BudgetList:
    month = month or _month_of(now)
    items = budget_statuses(session=session, month=month, now=now, thresholds=thresholds)
    return BudgetList(month=month, items=items, freshness=freshness)


# ---------------------------------------------------------------- anomalies -----


def _daily_by_app(
    session: Session, start: dt.datetime, end: dt.datetime
) -> dict[str, dict[dt.datetime, Decimal]]:
    query = (
        select(CostDaily.app, CostDaily.day, func.sum(CostDaily.cost))
        .where(
            col(CostDaily.day) >= start, col(CostDaily.day) < end, col(CostDaily.cost).is_not(None)
        )
        .group_by(col(CostDaily.app), col(CostDaily.day))
    )
    series: dict[str, dict[dt.datetime, Decimal]] = defaultdict(dict)
    for app, day, amount in session.execute(query).all():
        series[app][day] = money(amount)  # rows are written at midnight UTC
    return series


def find_anomalies(
    *,
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    baseline_days: int = 14,
    min_cost: Decimal = Decimal(1),
    series: dict[str, dict[dt.datetime, Decimal]] | None = None,
) -> list[CostAnomaly]:
    """Days in [start, end) on which an app cost far more than over its trailing baseline.

    A day is anomalous when its cost exceeds the trailing mean by 3 standard deviations and
    by half the mean, and is at least ``min_cost`` (cheap apps are noisy).

    Args:
        series: cost per app and day from ``start - baseline_days`` when the caller has it.
    """
    if series is None:
        series = _daily_by_app(session, start - dt.timedelta(days=baseline_days), end)
    first = floor_day(start)
    n_days = max(int((end - first) / DAY), 0)
    origin = first - baseline_days * DAY
    found = []
    for app, by_day in series.items():
        # One float per day from the start of the first baseline, then sliding sums: the
        # report runs this for every app.
        values = [0.0] * (baseline_days + n_days)
        for day, amount in by_day.items():
            index = int((day - origin) / DAY)
            if 0 <= index < len(values):
                values[index] = float(amount)
        total = sum(values[:baseline_days])
        squares = sum(v * v for v in values[:baseline_days])
        for i in range(baseline_days, baseline_days + n_days):
            value = values[i]
            mean = total / baseline_days
            if value >= float(min_cost) and mean > 0:
                std = math.sqrt(max(squares / baseline_days - mean * mean, 0.0))
                cost = by_day.get(origin + i * DAY)
                if cost is not None and value > mean + 3 * std and value > 1.5 * mean:
                    found.append(
                        CostAnomaly(
                            day=origin + i * DAY,
                            app=app,
                            cost=cost,
                            baseline=Decimal(repr(round(mean, 6))),
                            ratio=round(value / mean, 2),
                        )
                    )
            old = values[i - baseline_days]
            total += value - old
            squares += value * value - old * old
    return sorted(found, key=lambda a: (a.day, a.app))


def stored_anomalies(
    *, session: Session, start: dt.datetime, end: dt.datetime
) -> list[CostAnomaly]:
    rows = session.exec(
        select(CostAnomalyRow)
        .where(col(CostAnomalyRow.day) >= start, col(CostAnomalyRow.day) < end)
        .order_by(col(CostAnomalyRow.day), col(CostAnomalyRow.app))
    ).all()
    return [
        CostAnomaly(day=r.day, app=r.app, cost=r.cost, baseline=r.baseline, ratio=r.ratio)
        for r in rows
    ]


def list_anomalies(
    *, session: Session, days: int, baseline_days: int, now: dt.datetime, freshness: Freshness
) -> AnomalyList:
    end = floor_day(now) + DAY
    items = find_anomalies(
        session=session, start=end - dt.timedelta(days=days), end=end, baseline_days=baseline_days
    )
    return AnomalyList(baseline_days=baseline_days, items=items, freshness=freshness)


# ---------------------------------------------------------------- report --------


def cost_report(
    *,
    session: Session,
    month: str,
    now: dt.datetime,
    thresholds: Sequence[int],
    freshness: Freshness,
    movers: int = 5,
) -> CostReport:
    """The monthly report a manager reads: totals by team, app and model, month over month,
    top movers, budget status, anomalies and unpriced usage.

    Raises:
        InvalidInputError: not a YYYY-MM month.
    """
    first, after = parse_month(month)
    prev_first = (first - DAY).replace(day=1)
    teams = _teams(session)
    current = _spend_month(session, first, teams)
    compared_days = None
    if now < after:
        # A month in progress is compared with the same days of the previous month.
        elapsed = min(floor_day(now) + DAY, after) - first
        compared_days = max(elapsed.days, 1)
        prev_end = min(prev_first + elapsed, first)
        previous = _spend(session, prev_first, prev_end, teams)
    else:
        prev_end = first
        previous = _spend_month(session, prev_first, teams)
    now_compute = compute.compute_by(session, first, after, teams, UNASSIGNED)
    before_compute = compute.compute_by(session, prev_first, prev_end, teams, UNASSIGNED)
    app_requests = compute.requests_by(session, first, after, "app")
    team_requests: dict[str, int] = defaultdict(int)
    for name, n in app_requests.items():
        team_requests[teams.get(name, UNASSIGNED)] += n
    apps = compute.join_compute(
        _compare(current.by_app, previous.by_app),
        compute=now_compute[0],
        previous_compute=before_compute[0],
        requests=app_requests,
    )
    daily_query = (
        select(CostDaily.day, func.sum(CostDaily.cost))
        .where(
            col(CostDaily.day) >= first,
            col(CostDaily.day) < after,
            col(CostDaily.cost).is_not(None),
        )
        .group_by(col(CostDaily.day))
        .order_by(col(CostDaily.day))
    )
    daily = compute.join_daily(
        session,
        [
            DailyTotal(day=day, cost=money(amount))
            for day, amount in session.execute(daily_query).all()
        ],
        first,
        after,
    )
    total, previous_total = sum(current.by_app.values(), ZERO), sum(previous.by_app.values(), ZERO)
    compute_total = sum(now_compute[0].values(), ZERO)
    previous_compute = sum(before_compute[0].values(), ZERO)
    return CostReport(
        month=month,
        previous_month=_month_of(prev_first),
        compared_days=compared_days,
        generated_at=now,
        total=total,
        previous_total=previous_total,
        by_team=compute.join_compute(
            _compare(current.by_team, previous.by_team),
            compute=now_compute[1],
            previous_compute=before_compute[1],
            requests=team_requests,
        ),
        by_app=apps,
        by_model=compute.join_compute(
            _compare(current.by_model, previous.by_model),
            compute={},
            previous_compute={},
            requests=compute.requests_by(session, first, after, "model"),
        ),
        top_movers=explain_movers(
            session=session,
            movers=sorted(apps, key=lambda g: (-abs(g.total_change), g.key))[:movers],
            start=prev_first,
            end=after,
        ),
        daily=daily,
        budgets=budget_statuses(
            session=session,
            month=month,
            now=now,
            thresholds=thresholds,
            spend=(current.by_app, current.by_team),
            compute_spend=now_compute,
        ),
        anomalies=stored_anomalies(session=session, start=first, end=after),
        unpriced=_unpriced(session, first, after),
        compute_total=compute_total,
        previous_compute_total=previous_compute,
        total_cost=total + compute_total,
        previous_total_cost=previous_total + previous_compute,
        compute_by_resource=compute.compute_by_resource(session, first, after),
        unallocated=compute.unallocated(session, first, after),
        freshness=freshness,
    )
