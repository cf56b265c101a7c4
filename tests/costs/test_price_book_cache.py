"""The price book is built once per version of the prices file, and rebuilt when it changes."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

from portal_api.prices.book import PriceBook, PricesFileError

DAY = dt.date(2026, 11, 1)


def test_an_unchanged_file_shares_one_book_and_an_edit_is_seen(tmp_path: Path) -> None:
    prices = tmp_path / "prices.yaml"
    prices.write_text('models:\n  my-finetune: {input: "3.00", output: "12.00"}\n')
    book = PriceBook.for_file(prices)
    assert PriceBook.for_file(prices) is book
    first = book.unit_prices("my-finetune", None, DAY)
    assert first is not None
    assert first.input == Decimal("3.00")

    prices.write_text('models:\n  my-finetune: {input: "4.50", output: "12.00"}\n')
    stat = prices.stat()  # same size, maybe the same mtime tick: move the mtime on
    os.utime(prices, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    edited = PriceBook.for_file(prices).unit_prices("my-finetune", None, DAY)
    assert edited is not None
    assert edited.input == Decimal("4.50")


def test_no_file_is_the_list_prices_and_a_missing_file_a_clear_error(tmp_path: Path) -> None:
    assert PriceBook.for_file(None) is PriceBook.for_file(None)
    assert PriceBook.for_file(None).unit_prices("my-finetune", None, DAY) is None
    with pytest.raises(PricesFileError, match="cannot read prices file"):
        PriceBook.for_file(tmp_path / "missing.yaml")
