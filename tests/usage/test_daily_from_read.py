"""The sync's daily rows, computed from the arrays it has just stored for the days it read
whole, are the rows the daily rebuild makes from the stored hourly rows, on both databases:
the same rows (a day with no stored hour has none), rounded counts summed, the greatest
provider, request-weighted quantiles; the first and last day of the window, which may hold
hours stored before it, still come from the stored rows."""

from __future__ import annotations

import datetime as dt
import math
import random
from array import array
from typing import Any

import pytest
from sqlmodel import Session, select

from portal_api.db import Database, bulk_load
from portal_api.sources.usage_rows import ROW_COLUMNS, UsageReadResult, UsageSeries
from portal_api.usage.models import UsageDaily, UsageHourly
from portal_api.usage.service import rebuild_daily

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
# 13:00 on the 1st to 17:00 on the 4th: the 2nd and 3rd read whole, the 1st and 4th in part.
START = dt.datetime(2026, 3, 1, 13, tzinfo=dt.UTC)
HOURS = 11 + 2 * 24 + 18
FIELDS = ("input_tokens", "output_tokens", "cached_input_tokens", "requests", "errors")
QUANTILES = ("latency_p50", "latency_p95", "ttft_p50", "ttft_p95")


def _values(rng: random.Random, kind: str) -> array[float]:
    """One field's hourly values: whole counts, or counts with halves and fractions that round
    either way (stored rounded), with idle hours."""
    if kind == "dense":
        return array("d", [float(rng.randint(1, 900)) for _ in range(HOURS)])
    choices = [0.0, 0.0, 0.4, 0.5, 1.5, 2.5, 3.0, 17.49, 17.5, 1234.0]
    return array("d", [rng.choice(choices) for _ in range(HOURS)])


def _read(seed: int) -> UsageReadResult:
    rng = random.Random(seed)
    read = UsageReadResult(hours=[START + HOUR * j for j in range(HOURS)])
    for n in range(24):
        kind = "dense" if n % 3 == 0 else "sparse"
        s = UsageSeries(f"app-{n % 7}", f"ns-{n % 2}", f"model-{n}")
        for name in FIELDS:
            if kind == "dense" or rng.random() < 0.8:  # some series lack a field altogether
                s.values[name] = _values(rng, kind)
        if n % 4 == 1:  # quantile estimates, unknown (NaN) in some hours
            for name in QUANTILES[: 1 + n % 4]:
                s.values[name] = array(
                    "d", [rng.choice([math.nan, 0.25, 1.75, 3.1]) for _ in range(HOURS)]
                )
        if n % 5 == 2:  # two providers, each gaining in some hours; one series unlabelled
            for provider in ("openai", "azure.ai.openai", None):
                s.providers.append((provider, bytes(rng.choice([0, 1]) for _ in range(HOURS))))
        else:
            s.providers.append(("anthropic" if n % 2 else None, bytes([1]) * HOURS))
        if n == 5:  # no stored hour at all on the 2nd
            for name in s.values:
                s.values[name][11:35] = array("d", [0.0] * 24)
        read.series[(s.app, s.namespace, s.model)] = s
    return read


def _daily(session: Session) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    rows = session.exec(select(UsageDaily)).all()
    return {
        (r.day, r.app, r.namespace, r.model): (
            r.provider,
            *(getattr(r, f) for f in FIELDS),
            *(getattr(r, q) for q in QUANTILES),
        )
        for r in rows
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_daily_rows_from_the_read_are_those_rebuilt_from_the_stored_rows(
    db: Database, seed: int
) -> None:
    read = _read(seed)
    assert read.full_days() == [START.replace(hour=0) + DAY, START.replace(hour=0) + 2 * DAY]
    end = read.hours[-1] + HOUR
    with db.session_scope() as session:
        # An hour stored before the window, on its first day: only the stored rows know it.
        session.add(
            UsageHourly(
                hour=START - 5 * HOUR, day=START.replace(hour=0), app="app-0",
                namespace="ns-0", model="model-0", input_tokens=7, requests=1,
            )
        )  # fmt: skip
        session.flush()
        bulk_load(session.connection(), UsageHourly.__table__, ROW_COLUMNS, read)
        rebuilt = rebuild_daily(session=session, start=START, end=end)
        from_rows = _daily(session)
        computed = rebuild_daily(
            session=session, start=START, end=end, computed=read.daily(read.full_days())
        )
        from_read = _daily(session)
    assert computed == rebuilt == len(from_rows) > 50
    assert from_read.keys() == from_rows.keys()
    missing = (START.replace(hour=0) + DAY, "app-5", "ns-1", "model-5")
    assert missing not in from_read
    first = from_read[(START.replace(hour=0), "app-0", "ns-0", "model-0")]
    assert first[1] == 7 + sum(round(v) for v in read.series["app-0", "ns-0", "model-0"].values[
        "input_tokens"][:11])  # fmt: skip
    for key, row in from_rows.items():
        got = from_read[key]
        assert got[:6] == row[:6], key  # provider and counts: exactly
        for a, b in zip(got[6:], row[6:], strict=True):  # quantiles: up to summation order
            assert (a is None) == (b is None), key
            if a is not None:
                assert a == pytest.approx(b, rel=1e-12), key


def test_only_days_read_whole_are_computed() -> None:
    read = _read(1)
    with pytest.raises(ValueError, match="not read whole"):
        list(read.daily([START.replace(hour=0)]).rows())
    assert UsageReadResult(hours=[START + HOUR * j for j in range(20)]).full_days() == []
