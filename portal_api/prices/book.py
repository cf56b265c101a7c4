"""Model prices: genai-prices (date-aware list prices) and the operator's overrides file.

Overrides (YAML, ``PORTAL_PRICES_FILE``)::

    models:                      # custom prices, USD per million tokens; win over genai-prices
      my-finetune: {input: "3.00", output: "12.00", cached_input: "1.50"}
    discounts:                   # percent off genai-prices' list prices, by provider
      openai: 15
    self_hosted:                 # priced per GPU-hour from the GPUs their pods request
      llama-3.1-8b-instruct: {gpu_hour: "2.40", serving_app: vllm-llama}
    compute:                     # the pods' own compute (see prices/rates.py)
      cpu_hour: "0.0316"

A self-hosted model without ``serving_app`` is charged the GPUs of the apps that use it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from portal_api.errors import PortalError
from portal_api.prices.rates import ComputeRateCard

if TYPE_CHECKING:
    from genai_prices import Usage

log = logging.getLogger(__name__)

MILLION = Decimal(1_000_000)


class PricesFileError(PortalError):
    status_code = 500
    kind = "ConfigurationError"


def _decimal(value: object) -> object:
    # YAML floats would carry binary noise into money: read their text instead.
    return Decimal(repr(value)) if isinstance(value, float) else value


class CustomPrice(BaseModel):
    input: Decimal = Field(ge=0)
    output: Decimal = Field(default=Decimal(0), ge=0)
    cached_input: Decimal | None = Field(default=None, ge=0)

    _dec = field_validator("input", "output", "cached_input", mode="before")(_decimal)


class SelfHosted(BaseModel):
    gpu_hour: Decimal = Field(gt=0)
    serving_app: str | None = None

    _dec = field_validator("gpu_hour", mode="before")(_decimal)


class PriceOverrides(BaseModel):
    models: dict[str, CustomPrice] = Field(default_factory=dict)
    discounts: dict[str, Decimal] = Field(default_factory=dict)
    self_hosted: dict[str, SelfHosted] = Field(default_factory=dict)
    compute: ComputeRateCard = Field(default_factory=ComputeRateCard)

    @field_validator("discounts", mode="before")
    @classmethod
    def _discounts(cls, value: object) -> object:
        if isinstance(value, dict):
            out = {}
            for provider, pct in value.items():
                pct = Decimal(repr(pct)) if isinstance(pct, float) else Decimal(str(pct))
                if not Decimal(0) <= pct <= Decimal(100):
                    raise ValueError(f"discount for {provider} must be 0..100 percent")
                out[str(provider)] = pct
            return out
        return value

    @classmethod
    def load(cls, path: Path | None) -> PriceOverrides:
        if path is None:
            return cls()
        try:
            raw = yaml.safe_load(path.read_text()) or {}
            return cls.model_validate(raw)
        except OSError as exc:
            raise PricesFileError(f"cannot read prices file {path}: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise PricesFileError(f"prices file {path} is not valid YAML: {exc}") from None
        except ValidationError as exc:
            raise PricesFileError(f"prices file {path}: {exc.errors()[0]['msg']}") from None


@dataclass(frozen=True)
class UnitPrices:
    """USD per million tokens."""

    input: Decimal
    cached_input: Decimal
    output: Decimal
    source: str  # genai-prices | override
    provider: str | None = None


_BOOKS: dict[tuple[object, ...], PriceBook] = {}
_BOOKS_LOCK = threading.Lock()


class PriceBook:
    """Looks up the price of a model on a day; remembers every answer (prices are per day)."""

    def __init__(self, overrides: PriceOverrides | None = None) -> None:
        self.overrides = overrides or PriceOverrides()
        self._cache: dict[tuple[str, str | None, dt.date], UnitPrices | None] = {}

    def self_hosted(self, model: str) -> SelfHosted | None:
        return self.overrides.self_hosted.get(model)

    def unit_prices(self, model: str, provider: str | None, day: dt.date) -> UnitPrices | None:
        """Prices valid on ``day``, or None when nobody knows this model's price."""
        key = (model, provider, day)
        if key not in self._cache:
            self._cache[key] = self._lookup(model, provider, day)
        return self._cache[key]

    def _lookup(self, model: str, provider: str | None, day: dt.date) -> UnitPrices | None:
        custom = self.overrides.models.get(model)
        if custom is not None:
            cached_price = custom.input if custom.cached_input is None else custom.cached_input
            return UnitPrices(custom.input, cached_price, custom.output, "override", provider)
        # genai-prices is heavy (~28 MB): loaded at the first lookup, not by every process.
        from genai_prices import Usage

        at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                in_calc = self._calc(Usage(input_tokens=1_000_000), model, provider, at)
                cached = self._calc(
                    Usage(input_tokens=1_000_000, cache_read_tokens=1_000_000), model, provider, at
                )
                out = self._calc(Usage(output_tokens=1_000_000), model, provider, at)
        except LookupError:
            return None
        found_provider = in_calc[1]
        discount = self.overrides.discounts.get(found_provider) or self.overrides.discounts.get(
            provider or ""
        )
        factor = (Decimal(100) - discount) / Decimal(100) if discount is not None else Decimal(1)
        return UnitPrices(
            in_calc[0] * factor, cached[0] * factor, out[2] * factor, "genai-prices", found_provider
        )

    @classmethod
    def for_file(cls, path: Path | None) -> PriceBook:
        """The book for the overrides file, shared while the file is unchanged.

        Loading parses YAML and each lookup asks genai-prices: both are costly per request, and
        neither changes until the file does (its mtime, size and inode are the key).
        """
        if path is None:
            key: tuple[object, ...] = ()
        else:
            try:
                st = path.stat()
            except OSError as exc:
                raise PricesFileError(f"cannot read prices file {path}: {exc.strerror}") from None
            key = (str(path), st.st_mtime_ns, st.st_size, st.st_ino)
        with _BOOKS_LOCK:
            book = _BOOKS.get(key)
        if book is None:
            book = cls(PriceOverrides.load(path))
            with _BOOKS_LOCK:
                if len(_BOOKS) >= 8:
                    _BOOKS.clear()
                _BOOKS[key] = book
        return book

    @staticmethod
    def _calc(
        usage: Usage, model: str, provider: str | None, at: dt.datetime
    ) -> tuple[Decimal, str, Decimal]:
        from genai_prices import calc_price

        if provider:
            try:
                r = calc_price(usage, model, provider_id=provider, genai_request_timestamp=at)
                return Decimal(r.input_price), r.provider.id, Decimal(r.output_price)
            except LookupError:
                pass  # an unknown provider name: let genai-prices match on the model alone
        r = calc_price(usage, model, genai_request_timestamp=at)
        return Decimal(r.input_price), r.provider.id, Decimal(r.output_price)

    def token_cost(
        self, model: str, *, input_tokens: int, output_tokens: int, at: dt.datetime
    ) -> Decimal | None:
        """What tokens of ``model`` cost at ``at`` (None: nobody knows its price, or it is
        self-hosted and priced per GPU-hour)."""
        if self.self_hosted(model) is not None:
            return None
        prices = self.unit_prices(model, None, at.date())
        if prices is None:
            return None
        return sum(
            token_costs(
                prices,
                input_tokens=input_tokens,
                cached_input_tokens=0,
                output_tokens=output_tokens,
            ),
            Decimal(0),
        )


def price_book(prices_file: Path | None) -> PriceBook:
    """The one price book of the process for ``prices_file`` (usage, costs, evaluations),
    cached, and read again when the file changes.

    Raises:
        PricesFileError: the file cannot be read or is not a valid overrides file.
    """
    return PriceBook.for_file(prices_file)


def price_book_or_none(prices_file: Path | None, *, what: str) -> PriceBook | None:
    """The price book, or None when the prices file is broken: the ``what`` costs (usage,
    evaluation...) are left unknown and the reason is logged, never raised into a request."""
    try:
        return price_book(prices_file)
    except PricesFileError as exc:
        log.warning("%s costs left unknown: %s", what, exc)
        return None


def token_costs(
    prices: UnitPrices, *, input_tokens: int, cached_input_tokens: int, output_tokens: int
) -> tuple[Decimal, Decimal, Decimal]:
    """(uncached input, cached input, output) costs; input counts include cached tokens."""
    cached = min(cached_input_tokens, input_tokens)
    return (
        Decimal(input_tokens - cached) * prices.input / MILLION,
        Decimal(cached) * prices.cached_input / MILLION,
        Decimal(output_tokens) * prices.output / MILLION,
    )
