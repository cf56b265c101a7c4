"""What the price book says a day's tokens cost: the expected side of the usage tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from portal_api.prices.book import PriceBook, token_costs


def tokens_cost(book: PriceBook, model: str, day: dt.date, tokens: Mapping[str, int]) -> Decimal:
    """The cost of ``tokens`` (``input`` and ``output``, none cached) of an OpenAI ``model``
    used on ``day``."""
    prices = book.unit_prices(model, "openai", day)
    assert prices is not None
    costs = token_costs(
        prices, input_tokens=tokens["input"], cached_input_tokens=0, output_tokens=tokens["output"]
    )
    return sum(costs, Decimal(0))
