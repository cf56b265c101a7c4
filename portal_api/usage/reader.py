"""Usage totals of one app between two instants: the reader behind per-version usage.

Implements ``portal_api.prompts.usage.UsageReader`` over the hourly rollups. The app is built
with a factory of these readers (``main.py``: priced with the costs domain's price book); the
prompts routes build one reader per request and pass it to the prompts service, so the usage
domain imports neither prompts nor costs.

Which hours count: every hourly row whose hour *overlaps* the window ``[start, end)``, i.e.
``floor_hour(start) <= hour < end``, counted whole. Rollups carry no finer time, so an hour the
window only partly covers (a deploy at 10:40) brings all of that hour's traffic.

Prices: each row is priced by the ``price`` callable the reader was given. The cost is None —
never 0 — as soon as one counted row is unpriced (the callable answers None), or when the
reader has no prices at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.kit.timeutil import floor_hour
from portal_api.usage.models import UsageHourly

# The cost of one hourly row, or None when it has no price.
RowPrice = Callable[[UsageHourly], Decimal | None]


@dataclass(frozen=True)
class WindowUsage:
    """Requests, tokens and cost of one app (and model) over one window."""

    requests: int
    input_tokens: int
    output_tokens: int
    cost: Decimal | None


class RollupUsageReader:
    """Sums ``usage_hourly`` rows of one app (and model) and prices them.

    Meant to live for one request: it remembers app names (and its ``price`` may remember the
    prices it looked up).
    """

    def __init__(self, *, price: RowPrice | None = None) -> None:
        """``price``: the cost of a row; without it every cost is unknown."""
        self._price = price
        self._apps: dict[int, str | None] = {}

    def totals(
        self,
        *,
        session: Session,
        app_id: int,
        model: str | None,
        start: dt.datetime,
        end: dt.datetime,
    ) -> WindowUsage | None:
        """Requests, tokens and cost of the app's rows for ``model`` (every model when None) in
        the hours overlapping ``[start, end)``; None when no row covers the window."""
        app = self._app_name(session, app_id)
        if app is None or end <= start:
            return None
        query = select(UsageHourly).where(
            UsageHourly.app == app,
            col(UsageHourly.hour) >= floor_hour(start),
            col(UsageHourly.hour) < end,
        )
        if model is not None:
            query = query.where(UsageHourly.model == model)
        rows = session.exec(query).all()
        if not rows:
            return None
        cost: Decimal | None = Decimal(0)
        for row in rows:
            row_cost = None if cost is None or self._price is None else self._price(row)
            cost = None if cost is None or row_cost is None else cost + row_cost
        return WindowUsage(
            requests=sum(r.requests for r in rows),
            input_tokens=sum(r.input_tokens for r in rows),
            output_tokens=sum(r.output_tokens for r in rows),
            cost=cost,
        )

    def _app_name(self, session: Session, app_id: int) -> str | None:
        if app_id not in self._apps:
            self._apps[app_id] = session.exec(select(App.name).where(App.id == app_id)).first()
        return self._apps[app_id]
