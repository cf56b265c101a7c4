"""A long window read in parts (the next part read while the one before is stored) stores what
one read of the whole window stores, to the token, on both databases, against a real
Prometheus: counters that reset in a part's first hour, that fall silent for longer than the
reader's warm-up across a cut and come back (higher, or lower after a restart), that start or
stop between cuts, a series at the retention edge inside a later part, quantiles across the
cuts. The totals also match a count made here from the samples themselves. A read that fails
in a later part fails the step and keeps what was stored before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlmodel import select

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.errors import SourceError
from portal_api.sources import usage_queries
from portal_api.sources.prometheus import PrometheusSource
from portal_api.sync.models import SourceStatus
from portal_api.usage.models import UsageDaily, UsageHourly
from tests.servers.prometheus import PrometheusFactory, PromSeries
from tests.sync.helpers import sync_pass

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
STEP = dt.timedelta(minutes=5)
DAYS = 4
# Two days back, 14:10 (the window starts at 14:00 four days earlier, mid-day: its first and
# last parts hold parts of days); the data begin a day before the window.
NOW = (dt.datetime.now(dt.UTC) - 2 * DAY).replace(hour=14, minute=10, second=0, microsecond=0)
WINDOW = NOW.replace(minute=0) - DAYS * DAY
M1 = (WINDOW + DAY).replace(hour=0)  # the midnights that cut one-day parts
M2, M3 = M1 + DAY, M1 + 2 * DAY
FIRST = WINDOW - DAY
EDGE = M1 + HOUR + 20 * STEP  # Prometheus' retention edge, as its own metric tells, mid-part
TOKENS = "gen_ai_client_token_usage_sum"
OPS = "gen_ai_client_operation_duration_seconds"


def _times(start: dt.datetime = FIRST, stop: dt.datetime = NOW) -> list[dt.datetime]:
    out, t = [], start
    while t <= stop:
        out.append(t)
        t += STEP
    return out


def _tokens(app: str, samples: list[tuple[dt.datetime, float]]) -> PromSeries:
    labels = {
        "backstage_io_kubernetes_id": app,
        "namespace": "team",
        "gen_ai_request_model": "gpt-4o",
        "gen_ai_provider_name": "openai",
        "gen_ai_token_type": "input",
    }
    return PromSeries(TOKENS, labels, samples)


def _counter(rise: float, times: list[dt.datetime], reset: dt.datetime | None = None) -> list:
    """A counter rising by ``rise`` a sample, starting over from zero at ``reset``."""
    out, value = [], 0.0
    for t in times:
        value = rise if reset is not None and t == reset else value + rise
        out.append((t, value))
    return out


def series() -> dict[str, PromSeries]:
    everything = _times()
    silent_from, back_at = M1 - 6 * HOUR, M2 + 3 * HOUR  # 33 hours silent, across two cuts
    resumes = [(t, v) for t, v in _counter(10, everything) if not silent_from < t < back_at]
    restarted = [
        (t, v if t < M2 - 10 * HOUR else v - 2_000)  # lower after 30 silent hours: restarted
        for t, v in _counter(10, everything)
        if not M2 - 10 * HOUR < t < M3 + 20 * HOUR
    ]
    out = {
        "steady": _tokens("steady", _counter(10, everything)),
        # Resets in the first hour of the part that starts at M2.
        "reset-at-cut": _tokens("reset-at-cut", _counter(10, everything, reset=M2 + 4 * STEP)),
        "resumes": _tokens("resumes", resumes),
        "restarted": _tokens("restarted", restarted),
        "new": _tokens("new", [(t, 7 + 3 * i) for i, t in enumerate(_times(M2 + 5 * HOUR))]),
        "stops": _tokens("stops", _counter(4, _times(stop=M1 + 2 * HOUR))),
        # First seen at the retention edge: it ran before, its first value is not new usage.
        "old": _tokens("old", [(t, 100_000 + 5 * i) for i, t in enumerate(_times(EDGE))]),
    }
    chat = {"backstage_io_kubernetes_id": "steady", "namespace": "team"}
    gpt = {**chat, "gen_ai_request_model": "gpt-4o"}
    rest = [
        PromSeries(f"{OPS}_count", gpt, _counter(2, everything)),
        PromSeries(f"{OPS}_count", {**gpt, "error_type": "timeout"}, _counter(0.5, everything)),
        *[
            PromSeries(f"{OPS}_bucket", {**gpt, "le": le}, _counter(rise, everything))
            for le, rise in (("0.5", 1.0), ("1.0", 1.5), ("2.0", 1.9), ("+Inf", 2.0))
        ],
        # The edge moves forward as old blocks go: it is where it stands now that counts.
        PromSeries(
            "prometheus_tsdb_lowest_timestamp_seconds",
            {"job": "prometheus"},
            [(t, (EDGE if t >= M2 else FIRST - 10 * DAY).timestamp()) for t in everything],
        ),
    ]
    return out | {f"other-{i}": s for i, s in enumerate(rest)}


def counted(samples: list[tuple[dt.datetime, float]], edge: bool = False) -> float:
    """What a counter gained in (WINDOW, NOW], from its samples: each rise, and a value after
    a fall whole; a series first seen in the window counts its first value whole, unless it is
    first seen at the retention edge: it ran before, and counts from where it stood at the end
    of the hour it was first seen in."""
    if edge:
        seen = samples[0][0].replace(minute=0) + HOUR
        samples = [(WINDOW, [v for t, v in samples if t <= seen][-1])] + [
            (t, v) for t, v in samples if t > seen
        ]
    before = [v for t, v in samples if t <= WINDOW]
    previous = before[-1] if before else None
    total = 0.0
    for t, v in samples:
        if t <= WINDOW:
            continue
        if previous is None:
            total += 0 if edge else v
        else:
            total += v - previous if v >= previous else v
        previous = v
    return total


@pytest.fixture(scope="module")
def prom(prometheus_factory: PrometheusFactory) -> PrometheusSource:
    return PrometheusSource(prometheus_factory.start(series().values()).url, timeout=60)


def stored(db: Database) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    def rows(model: Any) -> list[tuple[Any, ...]]:
        with db.session() as session:
            found = session.exec(select(model)).all()
        return sorted(tuple(r.model_dump(exclude={"id"}).items()) for r in found)

    return rows(UsageHourly), rows(UsageDaily)


def catch_up(db: Database) -> None:
    """The next pass reads the whole window again, as after the portal was down since then
    (its watermark at the window's start)."""
    with db.session() as session:
        status = session.get(SourceStatus, "prometheus/usage")
        if status is not None:
            status.watermark = WINDOW + 2 * HOUR  # less the overlap re-read every pass
            session.add(status)
            session.commit()


def synced(db: Database, prom: PrometheusSource, settings: Settings) -> dict[str, Any]:
    catch_up(db)
    results = sync_pass(db, settings, NOW, only={"prometheus"}, prometheus=prom)
    failed = [r for r in results if not r.ok]
    assert not failed, failed
    return next(r for r in results if r.step == "prometheus/usage").stats


@pytest.fixture
def window_settings(prom_settings: Settings) -> Settings:
    return prom_settings.model_copy(update={"backfill_days": DAYS})


def test_parts_store_what_one_read_stores(
    db: Database,
    prom: PrometheusSource,
    window_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(usage_queries, "PART_DAYS", 30)
    whole = synced(db, prom, window_settings)
    one_read = stored(db)
    answers = {}
    for days in (1, 2):
        monkeypatch.setattr(usage_queries, "PART_DAYS", days)
        in_parts = synced(db, prom, window_settings)
        # More parts, more queries (each part's own reset-hour and quantile queries): the
        # window was read in parts.
        assert in_parts["queries"] > whole["queries"]
        answers[days] = stored(db)
        assert answers[days][0] == one_read[0]  # hourly rows, every field
        assert answers[days][1] == one_read[1]  # daily rows
    # And what they store is what the samples say, series by series.
    hourly = one_read[0]
    for name, s in series().items():
        if name.startswith("other"):
            continue
        tokens = sum(
            dict(row)["input_tokens"]
            for row in hourly
            if dict(row)["app"] == s.labels["backstage_io_kubernetes_id"]
        )
        assert tokens == counted(list(s.samples), edge=name == "old"), name
    assert {dict(r)["app"] for r in hourly} >= {"steady", "resumes", "restarted", "new", "old"}
    requests = sum(dict(r)["requests"] for r in hourly if dict(r)["app"] == "steady")
    assert requests == counted(list(series()["other-0"].samples)) + counted(
        list(series()["other-1"].samples)
    )
    steady = {dict(r)["hour"]: dict(r) for r in hourly if dict(r)["app"] == "steady"}
    assert len(steady) == DAYS * 24 + 1  # every full hour and the current one
    full = [row for hour, row in steady.items() if hour < NOW.replace(minute=0)]
    assert all(row["latency_p95"] is not None for row in full)


def test_a_part_that_fails_keeps_what_was_stored(
    db: Database,
    prom: PrometheusSource,
    window_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(usage_queries, "PART_DAYS", 1)
    synced(db, prom, window_settings)
    before = stored(db)
    catch_up(db)
    real = usage_queries.PrometheusUsageReader.read_hourly
    reads: list[dt.datetime] = []

    def failing_third(self: Any, **kwargs: Any) -> Any:
        reads.append(kwargs["start"])
        if len(reads) == 3:
            raise SourceError("prometheus", "connection refused (the third part)")
        return real(self, **kwargs)

    monkeypatch.setattr(usage_queries.PrometheusUsageReader, "read_hourly", failing_third)
    results = sync_pass(db, window_settings, NOW, only={"prometheus"}, prometheus=prom)
    usage = next(r for r in results if r.step == "prometheus/usage")
    assert not usage.ok
    assert "third part" in (usage.error or "")
    assert len(reads) == 3  # the first two parts were read (and stored, then rolled back)
    assert stored(db) == before
