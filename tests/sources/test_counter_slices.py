"""A window read in slices (each stored while the next is read) counts exactly what one read of
the whole window counts, on a real Prometheus: series that go silent across a slice's start,
reset right at it, start or stop inside the window, show only in the current hour."""

from __future__ import annotations

import datetime as dt
import threading
from array import array
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlmodel import select

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.errors import SourceError
from portal_api.sources.counters import Carry, CounterReader, Labels
from portal_api.sources.prometheus import PrometheusSource
from portal_api.sources.usage_queries import PrometheusUsageReader
from portal_api.sync.service import get_status
from portal_api.usage import sync as usage_sync
from portal_api.usage.models import UsageHourly
from tests.servers.prometheus import PrometheusFactory, PromSeries
from tests.sync.helpers import sync_pass

HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
# Four days of window after a day of warm-up, far out of Prometheus' head block.
END = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
START = END - dt.timedelta(days=4)
UNTIL = END + 25 * MINUTE
TOKENS = "gen_ai_client_token_usage_sum"
OPS = "gen_ai_client_operation_duration_seconds_count"


def _series(name: str, app: str, pod: str, values: dict[dt.datetime, float]) -> PromSeries:
    labels = {
        "backstage_io_kubernetes_id": app,
        "namespace": "team-a",
        "gen_ai_request_model": "gpt-4o",
        "gen_ai_provider_name": "openai",
        "pod": pod,
    }
    if name == TOKENS:
        labels["gen_ai_token_type"] = "input"
    return PromSeries(name, labels, sorted(values.items()))


def _every(
    first: dt.datetime,
    last: dt.datetime,
    value: Callable[[int], float],
    step: dt.timedelta = 5 * MINUTE,
) -> dict[dt.datetime, float]:
    out: dict[dt.datetime, float] = {}
    at, i = first, 0
    while at <= last:
        out[at] = value(i)
        at, i = at + step, i + 1
    return out


def series() -> list[PromSeries]:
    warm = START - dt.timedelta(hours=20)
    h = START + 30 * HOUR  # a slice boundary of 30-hour slices
    return [
        # steady, from the warm-up on, every 5 minutes
        _series(TOKENS, "steady", "a", _every(warm, UNTIL, lambda i: 100 + 7 * i)),
        # silent for 40 hours across the 30-hour slices' first boundary, then on again higher
        _series(
            TOKENS,
            "gap",
            "a",
            {
                **_every(warm, START + 10 * HOUR, lambda i: 50 + 3 * i),
                **_every(START + 50 * HOUR, END, lambda i: 5_000 + 3 * i),
            },
        ),
        # resets exactly on a slice boundary, and again a few minutes after another one
        _series(
            TOKENS,
            "resets",
            "a",
            {
                **_every(warm, h - 5 * MINUTE, lambda i: 1_000 + 11 * i),
                **_every(h, h + 35 * HOUR + 55 * MINUTE, lambda i: 2 + 11 * i),
                **_every(h + 36 * HOUR + 10 * MINUTE, END, lambda i: 4 + 11 * i),
            },
        ),
        # starts inside the window (its first value counts whole), another stops in it
        _series(
            TOKENS, "late", "b", _every(START + 61 * HOUR + 20 * MINUTE, UNTIL, lambda i: 9 + i)
        ),
        _series(OPS, "early", "c", _every(warm, START + 44 * HOUR, lambda i: 3 * i)),
        # sampled once an hour, on the hour (a sample at an hour's end belongs to that hour)
        _series(OPS, "hourly", "d", _every(warm, END, lambda i: 17 * i, step=HOUR)),
        # only in the current hour
        _series(OPS, "now", "e", {END + 5 * MINUTE: 4.0, END + 20 * MINUTE: 10.0}),
    ]


@pytest.fixture(scope="module")
def prom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrometheusSource]:
    factory = PrometheusFactory(tmp_path_factory.mktemp("prometheus-slices"))
    source = PrometheusSource(factory.start(series()).url, timeout=60)
    yield source
    factory.stop_all()


Counted = dict[tuple[Labels, dt.datetime], float]


def _whole(read_hours: list[dt.datetime], increases: dict[Labels, array[float]]) -> Counted:
    return {
        (key, read_hours[j]): v
        for key, values in increases.items()
        for j, v in enumerate(values)
        if v
    }


@pytest.mark.parametrize("hours", [1, 7, 30, 36, 200])
def test_counter_slices_count_what_one_read_counts(prom: PrometheusSource, hours: int) -> None:
    reader = CounterReader(prom, narrow_label="backstage_io_kubernetes_id")
    counted: Counted = {}
    for selector in (TOKENS, OPS):
        one = reader.hourly(selector, start=START, end=END, until=UNTIL)
        expected = _whole(one.hours, one.increases)
        counted.update(expected)
        carry = Carry()
        got: Counted = {}
        cursor = START
        while cursor < END:
            stop = min(cursor + hours * HOUR, END)
            part = reader.hourly(
                selector,
                start=cursor,
                end=stop,
                until=UNTIL if stop == END else None,
                carry=carry,
            )
            got.update(_whole(part.hours, part.increases))
            cursor = stop
        assert got == expected
    # what the data says, not only that both agree: the gap's first hour back gains from
    # where it stood 40 hours before, not its whole value; the late series' first value counts
    # whole; the reset on the boundary counts the new process from zero
    by_app: dict[str | None, dict[dt.datetime, float]] = {}
    for (key, hour), value in counted.items():
        app = dict(key).get("backstage_io_kubernetes_id")
        by_app.setdefault(app, {})[hour] = value
    before_gap = 50 + 3 * 12 * 30  # its last value, at START + 10 h
    assert by_app["gap"][START + 49 * HOUR] == 5_000 - before_gap  # the sample at 50 h
    assert by_app["late"][START + 61 * HOUR] == 17  # 9 at 61:20, then 1 every 5 minutes
    boundary = START + 30 * HOUR
    # the hour that ends on the boundary: 11 rises of 11, then the new process' 2 whole
    assert by_app["resets"][boundary - HOUR] == 11 * 11 + 2
    assert by_app["resets"][boundary] == 12 * 11
    assert by_app["resets"][START + 66 * HOUR] == 4 + 10 * 11
    assert by_app["now"] == {END: 10.0}
    assert sum(by_app["steady"].values()) == 7 * 12 * 96 + 7 * 5  # and the current hour's 25 min


def test_usage_slices_give_the_rows_of_one_read(prom: PrometheusSource) -> None:
    reader = PrometheusUsageReader(prom)
    one = list(reader.read_hourly(start=START, end=END, until=UNTIL).rows())
    for hours in (5, 36):
        slices = list(reader.read_slices(start=START, end=END, until=UNTIL, hours=hours))
        assert len(slices) == -(-96 // hours)
        assert [row for part in slices for row in part.rows()] == one
        assert sum(part.queries for part in slices) > 0
    assert {row[2] for row in one} == {"steady", "gap", "resets", "late", "early", "hourly", "now"}


class _FailsLater(PrometheusSource):
    """Prometheus that goes away after ``ok`` range queries (mid-window)."""

    def __init__(self, url: str, ok: int) -> None:
        super().__init__(url, timeout=60)
        self.ok = ok

    def query_range_columns(self, *args: Any, **kwargs: Any) -> Any:
        if self.ok <= 0:
            raise SourceError("prometheus", "connection refused")
        self.ok -= 1
        return super().query_range_columns(*args, **kwargs)


def _backfill_again(db: Database) -> None:
    """The next pass reads the whole backfill window again (as after a lost watermark)."""
    with db.session_scope() as session:
        status = get_status(session=session, source="prometheus", step="usage")
        status.watermark = None
        session.add(status)


def _stored(db: Database) -> list[tuple[Any, ...]]:
    with db.session() as session:
        rows = session.exec(select(UsageHourly)).all()
    return sorted(
        (r.hour, r.app, r.model, r.provider, r.input_tokens, r.requests, r.errors) for r in rows
    )


def test_a_sync_in_slices_stores_what_one_slice_stores_and_a_failure_midway_loses_nothing(
    db: Database, prom: PrometheusSource, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings.model_copy(update={"prometheus_url": "http://unused", "backfill_days": 5})
    monkeypatch.setattr(usage_sync, "SLICE_HOURS", 10_000)
    (usage,) = sync_pass(db, settings, UNTIL, prometheus=prom, only={"prometheus"})[:1]
    assert usage.ok, usage.error
    whole = _stored(db)
    assert {row[1] for row in whole} == {
        "steady",
        "gap",
        "resets",
        "late",
        "early",
        "hourly",
        "now",
    }

    monkeypatch.setattr(usage_sync, "SLICE_HOURS", 7)
    _backfill_again(db)
    (usage,) = sync_pass(db, settings, UNTIL, prometheus=prom, only={"prometheus"})[:1]
    assert usage.ok, usage.error
    assert _stored(db) == whole
    assert usage.stats["hourly_rows"] == len(whole)
    assert usage.stats["window_start"] == (END - dt.timedelta(days=5)).isoformat()

    # Prometheus goes away while the second slice is read: the step fails, the rows of the
    # last good pass stay as they were, and the reading thread is gone
    failing = _FailsLater(prom.url, ok=8)
    _backfill_again(db)
    (usage,) = sync_pass(db, settings, UNTIL, prometheus=failing, only={"prometheus"})[:1]
    assert usage.step == "prometheus/usage"
    assert not usage.ok
    assert "connection refused" in (usage.error or "")
    assert _stored(db) == whole
    assert not [t for t in threading.enumerate() if t.name == "usage-read"]
