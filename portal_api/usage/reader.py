"""Usage totals of one app between two instants, priced: the reader behind per-version usage.

Implements ``portal_api.prompts.usage.UsageReader`` over the hourly rollups. The prompts
routes build one reader per request (``rollup_reader``) and pass it to the prompts service,
so nothing is wired at import time and the usage domain imports nothing of prompts' services.

Which hours count: every hourly row whose hour *overlaps* the window ``[start, end)``, i.e.
``floor_hour(start) <= hour < end``, counted whole. Rollups carry no finer time, so an hour the
window only partly covers (a deploy at 10:40) brings all of that hour's traffic.

Prices: each row is priced with the costs domain's ``PriceBook`` at the price valid on the
row's day (genai-prices, with the operator's overrides file and discounts). The cost is None —
never 0 — as soon as one counted row is unpriced: a model nobody knows the price of, or a
self-hosted model (charged per GPU-hour, which has no per-token price).
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.config import Settings
from portal_api.costs.prices import PriceBook, PricesFileError, price_book, token_costs
from portal_api.prompts.usage import UsageTotals
from portal_api.usage.models import UsageHourly
from portal_api.usage.service import floor_hour

log = logging.getLogger(__name__)


class RollupUsageReader:
    """Sums ``usage_hourly`` rows of one app (and model) and prices them.

    Meant to live for one request: it remembers app names and, through its price book, the
    prices it looked up.
    """

    def __init__(self, *, book: PriceBook | None = None, prices_file: Path | None = None) -> None:
        """Either a ready price book, or the overrides file to load one from when first needed
        (a broken file leaves costs unknown rather than failing the read)."""
        self._book = book
        self._prices_file = prices_file
        self._book_failed = False
        self._apps: dict[int, str | None] = {}

    def totals(
        self,
        *,
        session: Session,
        app_id: int,
        model: str | None,
        start: dt.datetime,
        end: dt.datetime,
    ) -> UsageTotals | None:
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
        book = self._price_book()
        cost: Decimal | None = Decimal(0)
        for row in rows:
            cost = None if cost is None else self._row_cost(book, row, cost)
        return UsageTotals(
            requests=sum(r.requests for r in rows),
            input_tokens=sum(r.input_tokens for r in rows),
            output_tokens=sum(r.output_tokens for r in rows),
            cost=cost,
        )

    @staticmethod
    def _row_cost(book: PriceBook | None, row: UsageHourly, running: Decimal) -> Decimal | None:
        if book is None or book.self_hosted(row.model) is not None:
            return None
        prices = book.unit_prices(row.model, row.provider, row.hour.date())
        if prices is None:
            return None
        return running + sum(
            token_costs(
                prices,
                input_tokens=row.input_tokens,
                cached_input_tokens=row.cached_input_tokens,
                output_tokens=row.output_tokens,
            ),
            Decimal(0),
        )

    def _app_name(self, session: Session, app_id: int) -> str | None:
        if app_id not in self._apps:
            self._apps[app_id] = session.exec(select(App.name).where(App.id == app_id)).first()
        return self._apps[app_id]

    def _price_book(self) -> PriceBook | None:
        if self._book is None and not self._book_failed:
            try:
                self._book = price_book(self._prices_file)
            except PricesFileError as exc:
                log.warning("usage costs left unknown: %s", exc)
                self._book_failed = True
        return self._book


def rollup_reader(settings: Settings) -> RollupUsageReader:
    """A reader priced with the configured overrides file (``PORTAL_PRICES_FILE``)."""
    return RollupUsageReader(prices_file=settings.prices_file)
