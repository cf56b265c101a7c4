"""Cost anomalies: days on which an app cost far more than over its trailing baseline."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal_api.costs.models import AnomalyList, CostAnomaly, CostAnomalyRow, CostDaily
from portal_api.costs.service import money
from portal_api.kit.timeutil import DAY, floor_day
from portal_api.sync.models import Freshness


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
