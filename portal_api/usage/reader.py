"""Usage of one app in a time window, from the hourly rollups, priced at the time of use.

This is the reader behind "tokens and cost per request while this prompt version ran"
(portal_api.prompts.usage). An hour counts when it overlaps the window: rollups are hourly, so
a version deployed at 10:20 is attributed the whole 10:00 hour.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.costs.prices import PriceBook, token_costs
from portal_api.prompts.usage import UsageTotals
from portal_api.usage.models import UsageHourly


class RollupUsageReader:
    def __init__(self, prices: PriceBook | None = None) -> None:
        self.prices = prices or PriceBook()

    def totals(
        self,
        *,
        session: Session,
        app_id: int,
        model: str | None,
        start: dt.datetime,
        end: dt.datetime,
    ) -> UsageTotals | None:
        """Sums of ``app_id``'s hours overlapping [start, end) (one model, or all when None).

        Returns None when no rollup covers the window; cost None when a model is unpriced.
        """
        app = session.get(App, app_id)
        if app is None:
            return None
        first_hour = start.replace(minute=0, second=0, microsecond=0)
        query = select(UsageHourly).where(
            UsageHourly.app == app.name,
            col(UsageHourly.hour) >= first_hour,
            col(UsageHourly.hour) < end,
        )
        if model is not None:
            query = query.where(UsageHourly.model == model)
        rows = session.exec(query).all()
        if not rows:
            return None
        cost: Decimal | None = Decimal(0)
        for row in rows:
            prices = self.prices.unit_prices(row.model, row.provider, row.hour.date())
            if prices is None or cost is None:
                cost = None
                continue
            cost += sum(
                token_costs(
                    prices,
                    input_tokens=row.input_tokens,
                    cached_input_tokens=row.cached_input_tokens,
                    output_tokens=row.output_tokens,
                ),
                Decimal(0),
            )
        return UsageTotals(
            requests=sum(r.requests for r in rows),
            input_tokens=sum(r.input_tokens for r in rows),
            output_tokens=sum(r.output_tokens for r in rows),
            cost=cost,
        )
