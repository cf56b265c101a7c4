"""Exact counts and exact ranges over backfilled series, as real exporters produce them.

Two days around a month boundary (and so a UTC day), one app, sampled every minute at :30 s:
- pod ``a`` starts mid-window with a non-zero first value (calls before its first scrape);
- it is replaced by pod ``a2`` (a new ``pod`` label after the restart), also starting non-zero,
  with a 90-minute scrape gap later on;
- pod ``b`` runs the older instrumentation (``gen_ai_system``), restarts in place (same labels,
  counter reset) and stops for good.

The truth is what each sample added (every rise; after a reset the new value whole; a new
series' first value whole), per hour of the sample. The portal's hourly rows must equal it,
and every range (mid-day, mid-hour, across the month boundary, across a UTC day) must sum it
over exactly the hours its response says it summed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.main import create_app
from portal_api.prices.book import PriceBook
from portal_api.sources.bundle import Sources
from portal_api.sources.prometheus import PrometheusSource
from portal_api.usage.models import UsageHourly
from tests.conftest import bearer
from tests.servers.prometheus import PrometheusFactory, PromSeries
from tests.sync.helpers import sync_pass
from tests.usage.pricing import tokens_cost

HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
APP = "ranges"
MODEL = "gpt-4o-mini"
TOKENS = "gen_ai_client_token_usage_sum"
OPS = "gen_ai_client_operation_duration_seconds_count"


def _month_start_in_the_past() -> dt.datetime:
    """The latest first-of-month at least 2 days back (samples stay out of the head block)."""
    t = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    return t.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


MONTH = _month_start_in_the_past()
T0 = MONTH - dt.timedelta(days=1)  # the day before the month boundary, 00:00
T_END = MONTH + dt.timedelta(days=1)
NOW = T_END + 30 * MINUTE


def _rate(minute: int, salt: int) -> int:
    """Uneven traffic: some minutes idle, others busy."""
    return (minute * 7 + salt * 13) % 11


def fleet() -> tuple[list[PromSeries], dict[dt.datetime, dict[str, int]]]:
    truth: dict[dt.datetime, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    series: list[PromSeries] = []
    base = {"backstage_io_kubernetes_id": APP, "namespace": "team-r", "gen_ai_request_model": MODEL}

    def run(
        labels: dict[str, str],
        first: dt.datetime,
        last: dt.datetime,
        *,
        salt: int,
        reset_at: dt.datetime | None = None,
        gap: tuple[dt.datetime, dt.datetime] | None = None,
        before_first_scrape: int = 0,
    ) -> None:
        totals = {"input": before_first_scrape * 9, "output": before_first_scrape * 4}
        calls = before_first_scrape
        samples: dict[str, list[tuple[dt.datetime, float]]] = defaultdict(list)
        pending = dict(totals, requests=calls)  # added since the last sample
        t = first
        minute = 0
        while t <= last:
            if reset_at is not None and t >= reset_at:
                totals = {"input": 0, "output": 0}
                calls = 0
                pending = {"input": 0, "output": 0, "requests": 0}
                reset_at = None
            n = _rate(minute, salt)
            totals["input"] += 9 * n
            totals["output"] += 4 * n
            calls += n
            for k, v in (("input", 9 * n), ("output", 4 * n), ("requests", n)):
                pending[k] += v
            minute += 1
            if gap is not None and gap[0] <= t < gap[1]:
                t += MINUTE
                continue  # not scraped: what happened shows at the next sample
            hour = t.replace(minute=0, second=0)
            for k, v in pending.items():
                truth[hour][k] += v
            pending = {"input": 0, "output": 0, "requests": 0}
            samples["input"].append((t, totals["input"]))
            samples["output"].append((t, totals["output"]))
            samples["requests"].append((t, calls))
            t += MINUTE
        for kind in ("input", "output"):
            series.append(PromSeries(TOKENS, {**labels, "gen_ai_token_type": kind}, samples[kind]))
        series.append(PromSeries(OPS, labels, samples["requests"]))

    s30 = dt.timedelta(seconds=30)
    latest = {**base, "gen_ai_provider_name": "openai"}
    run(
        {**latest, "pod": "a"},
        T0 + dt.timedelta(hours=5, minutes=17) + s30,
        T0 + dt.timedelta(hours=22, minutes=40) + s30,
        salt=1,
        before_first_scrape=4,
    )
    run(
        {**latest, "pod": "a2"},
        T0 + dt.timedelta(hours=22, minutes=41) + s30,
        T_END - MINUTE + s30,
        salt=2,
        before_first_scrape=3,
        gap=(MONTH + dt.timedelta(hours=10), MONTH + dt.timedelta(hours=11, minutes=30)),
    )
    run(
        {**base, "gen_ai_system": "openai", "pod": "b"},
        T0 + dt.timedelta(hours=20, minutes=3) + s30,
        MONTH + dt.timedelta(hours=3, minutes=30) + s30,
        salt=3,
        reset_at=MONTH + dt.timedelta(hours=1, minutes=20) + s30,
    )
    return series, truth


SERIES, TRUTH = fleet()


@pytest.fixture(scope="module")
def ranges_prom(prometheus_factory: PrometheusFactory) -> PrometheusSource:
    return PrometheusSource(prometheus_factory.start(SERIES).url, timeout=30)


@pytest.fixture
def synced(db: Database, ranges_prom: PrometheusSource, settings: Settings) -> TestClient:
    settings = settings.model_copy(update={"prometheus_url": "http://unused", "backfill_days": 3})
    results = sync_pass(db, settings, NOW, prometheus=ranges_prom, only={"prometheus"})
    assert all(r.ok for r in results), results
    return TestClient(create_app(settings, db=db, sources=Sources()))


def truth_between(start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    out = {"input": 0, "output": 0, "requests": 0}
    for hour, values in TRUTH.items():
        if start <= hour < end:
            for k in out:
                out[k] += values[k]
    return out


def test_hourly_rows_equal_what_the_samples_added(db: Database, synced: TestClient) -> None:
    del synced
    with db.session() as session:
        rows = session.exec(select(UsageHourly).where(UsageHourly.app == APP)).all()
    got = {r.hour: (r.input_tokens, r.output_tokens, r.requests) for r in rows}
    want = {
        h: (v["input"], v["output"], v["requests"])
        for h, v in TRUTH.items()
        if v["input"] or v["output"] or v["requests"]
    }
    assert got == want
    # The figures of the scenario, for the record: every series starts non-zero or resets.
    assert sum(v[0] for v in want.values()) == truth_between(T0, T_END)["input"]


def _get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params, headers=bearer("read"))
    assert response.status_code == 200, response.text
    return response.json()


def _cost(start: dt.datetime, end: dt.datetime) -> Decimal:
    book = PriceBook()
    total = Decimal(0)
    day = start.replace(hour=0)
    while day < end:
        part = truth_between(max(day, start), min(day + dt.timedelta(days=1), end))
        total += tokens_cost(book, MODEL, day.date(), part)
        day += dt.timedelta(days=1)
    return total


RANGES = {
    "mid-day": (T0 + dt.timedelta(hours=5), T0 + dt.timedelta(hours=17), "day"),
    "mid-hour": (
        T0 + dt.timedelta(hours=10, minutes=30),
        MONTH + dt.timedelta(hours=2, minutes=15),
        "day",
    ),
    "month boundary": (MONTH - dt.timedelta(hours=4), MONTH + dt.timedelta(hours=4), "month"),
    "UTC day": (T0 + dt.timedelta(hours=13), MONTH + dt.timedelta(hours=13), "day"),
    "hourly": (MONTH - dt.timedelta(hours=3), MONTH + dt.timedelta(hours=2), "hour"),
}


@pytest.mark.parametrize("name", sorted(RANGES))
def test_ranges_sum_the_hourly_truth(synced: TestClient, name: str) -> None:
    start, end, step = RANGES[name]
    summed_start = start.replace(minute=0)
    summed_end = end if end.minute == 0 else end.replace(minute=0) + HOUR
    usage = _get(
        synced,
        f"/api/v1/apps/{APP}/usage",
        **{"from": start.isoformat(), "to": end.isoformat(), "step": step},
    )
    # The echoed range is what was summed: the whole hours the request touches.
    assert (usage["start"], usage["end"]) == (
        summed_start.isoformat().replace("+00:00", "Z"),
        summed_end.isoformat().replace("+00:00", "Z"),
    )
    truth = truth_between(summed_start, summed_end)
    (totals,) = usage["totals"]
    assert (totals["input_tokens"], totals["output_tokens"], totals["requests"]) == (
        truth["input"],
        truth["output"],
        truth["requests"],
    )
    assert not any(b["partial"] for b in usage["buckets"])
    assert min(b["start"] for b in usage["buckets"]) >= usage["start"]
    if step != "hour":
        costs = _get(
            synced,
            f"/api/v1/apps/{APP}/costs",
            **{"from": start.isoformat(), "to": end.isoformat(), "step": step},
        )
        assert (costs["start"], costs["end"]) == (usage["start"], usage["end"])
        assert Decimal(str(costs["total"])) == _cost(summed_start, summed_end)
        assert sum(b["input_tokens"] for b in costs["buckets"]) == truth["input"]
        org = _get(synced, "/api/v1/costs", **{"from": start.isoformat(), "to": end.isoformat()})
        assert Decimal(str(org["total"])) == _cost(summed_start, summed_end)
    if name == "month boundary":
        assert [b["start"] for b in usage["buckets"]] == [
            summed_start.isoformat().replace("+00:00", "Z"),
            MONTH.isoformat().replace("+00:00", "Z"),
        ]
