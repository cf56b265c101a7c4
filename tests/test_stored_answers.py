"""Stored answers (the response cache's second level, ``portal_api.stored``): after a sync pass
the first read of an app's dashboard in a cold worker is the stored answer, byte for byte the
one computed at that moment; never one from before a committed write, after its freshness
would turn stale, under other settings, or to a caller the token or scope check refuses."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlmodel import select

from portal_api.config import Settings
from portal_api.costs.models import CostDaily
from portal_api.db import Database, utcnow
from portal_api.kit.lookup import Lookups
from portal_api.kit.timeutil import floor_hour
from portal_api.main import create_app
from portal_api.precompute import after_pass, dashboard_queries
from portal_api.sources.bundle import Sources
from portal_api.sources.prometheus import PrometheusSource
from portal_api.stored import _VERSIONS_AND_ROW, StoredAnswer, StoredLevel, _split, canonical
from portal_api.sync.collector import StepContext, SyncStep, run_sync
from portal_api.usage.models import UsageDaily, UsageHourly
from tests.conftest import bearer
from tests.factories import make_app
from tests.test_response_cache import add_cost, cache_of

DAY = dt.timedelta(days=1)


def _usage(db: Database, app: str, days: int) -> None:
    """Daily rows for the ``days`` before today, hourly rows for today's hours so far."""
    today = floor_hour(utcnow()).replace(hour=0)
    common = {"app": app, "namespace": "ns", "model": "gpt-4o", "input_tokens": 1200}
    with db.session_scope() as session:
        for d in range(1, days + 1):
            day = today - d * DAY
            session.add(UsageDaily(day=day, requests=40 + d, output_tokens=d, **common))
            add_cost(db, app, day, f"{d}.25")
        hour = today
        while hour <= floor_hour(utcnow()):
            session.add(UsageHourly(hour=hour, day=today, requests=3, output_tokens=7, **common))
            hour += dt.timedelta(hours=1)


def _watermark(ctx: StepContext) -> dict[str, object]:
    ctx.status.watermark = ctx.now
    return {}


STEPS = [SyncStep("prometheus", "usage", _watermark), SyncStep("prometheus", "costs", _watermark)]


@pytest.fixture
def prom() -> Sources:
    return Sources(prometheus=PrometheusSource("http://127.0.0.1:9", timeout=1))


@pytest.fixture
def synced(db: Database, settings: Settings, prom: Sources) -> Database:
    """Two apps with 40 days of usage and costs, after a pass that stored their answers."""
    with db.session_scope() as session:
        make_app(session, name="bot", team="care")
        make_app(session, name="search", namespace="search", team="discovery")
    _usage(db, "bot", 40)
    _usage(db, "search", 3)
    results = run_sync(
        db=db, sources=prom, settings=settings, steps=STEPS, after=after_pass(create_app)
    )
    assert all(r.ok for r in results)
    return db


def plugin_reads(app: str) -> list[tuple[str, dict[str, str]]]:
    """The Backstage plugin's two requests of an app's page (usage: 30 days, to the ms)."""
    now = dt.datetime.now(dt.UTC)
    iso = "%Y-%m-%dT%H:%M:%S.{ms}Z"
    ms = f"{now.microsecond // 1000:03d}"
    start = now - 30 * DAY
    first = dt.datetime(now.year, now.month, 1, tzinfo=dt.UTC)
    last_month = (first - DAY).replace(day=1)
    return [
        (
            f"/api/v1/apps/{app}/usage",
            {"from": start.strftime(iso).format(ms=ms), "to": now.strftime(iso).format(ms=ms)}
            | {"step": "day"},
        ),
        (
            f"/api/v1/apps/{app}/costs",
            {"from": last_month.strftime("%Y-%m-%dT00:00:00.000Z"), "step": "day"},
        ),
    ]


@pytest.fixture
def cold(settings: Settings, synced: Database, prom: Sources) -> Iterator[TestClient]:
    """A worker that just started: its in-memory cache is empty."""
    with TestClient(create_app(settings, db=synced, sources=prom)) as client:
        yield client


@pytest.fixture
def computing(settings: Settings, synced: Database, prom: Sources) -> Iterator[TestClient]:
    """A worker without any cache: every answer computed."""
    off = settings.model_copy(update={"response_cache_mb": 0})
    with TestClient(create_app(off, db=synced, sources=prom)) as client:
        yield client


def versions_and_row(bind: Any, key: str) -> tuple[dict[str, int], Any]:
    """Every table's version and the answer stored for ``key``, as a worker with nothing in
    memory looks them up (``StoredLevel.fetch_with_versions``'s statement)."""
    return _split(asyncio.run(Lookups(bind).rows(_VERSIONS_AND_ROW, {"key": key})))


def stored_of(client: TestClient) -> StoredLevel:
    level = cache_of(client).stored
    assert isinstance(level, StoredLevel)
    return level


def _sent(response: Any) -> tuple[int, bytes, str | None, str | None]:
    h = response.headers
    return response.status_code, response.content, h.get("content-type"), h.get("x-portal-stale")


def test_the_first_read_after_a_pass_is_the_stored_answer_byte_for_byte(
    cold: TestClient, computing: TestClient
) -> None:
    for app in ("bot", "search"):
        for path, params in plugin_reads(app):
            hits = stored_of(cold).hits
            served = cold.get(path, params=params, headers=bearer("read"))
            computed = computing.get(path, params=params, headers=bearer("read"))
            assert stored_of(cold).hits == hits + 1, path
            assert served.status_code == 200
            assert _sent(served) == _sent(computed)
            assert served.headers["etag"]
            assert served.json()["buckets"], "an answer with data"
            # The next read of the same answer is the worker's own (in memory).
            again = cold.get(path, params=params, headers=bearer("read"))
            assert stored_of(cold).hits == hits + 1
            assert again.content == served.content
            # Revalidation by ETag works on stored answers as on computed ones.
            etag = {"If-None-Match": served.headers["etag"]}
            assert cold.get(path, params=params, headers=bearer("read") | etag).status_code == 304


def test_a_write_after_the_pass_is_never_answered_from_before_it(
    cold: TestClient, computing: TestClient, synced: Database
) -> None:
    with synced.session_scope() as session:
        row = session.exec(select(CostDaily).where(CostDaily.app == "bot")).first()
        assert row is not None
        row.cost = row.input_cost = Decimal(1000)
        session.add(row)
    for path, params in plugin_reads("bot"):
        served = cold.get(path, params=params, headers=bearer("read"))
        assert _sent(served) == _sent(computing.get(path, params=params, headers=bearer("read")))
    assert stored_of(cold).hits == 1  # the usage: only costs were written
    path, params = plugin_reads("bot")[1]
    assert (
        Decimal(str(cold.get(path, params=params, headers=bearer("read")).json()["total"])) > 1000
    )


def test_an_answer_is_not_served_after_its_freshness_would_turn_stale(
    settings: Settings, cold: TestClient, synced: Database
) -> None:
    with synced.session_scope(read_only=True) as session:
        rows = session.exec(select(StoredAnswer)).all()
    assert len(rows) == 2 * len(dashboard_queries(utcnow(), settings.stored_answer_days))
    path, params = plugin_reads("bot")[0]
    usage = cold.get(path, params=params, headers=bearer("read")).json()
    as_of = dt.datetime.fromisoformat(usage["freshness"]["as_of"])
    # Stale once 3 sync intervals have passed since the pass (900 s): not a moment later.
    assert {r.expires for r in rows} == {as_of.timestamp() + 900}
    with synced.session_scope() as session:
        session.exec(text("UPDATE portal_answer SET expires = 0"))  # type: ignore[call-overload]
    hits = stored_of(cold).hits
    path, params = plugin_reads("search")[0]
    assert cold.get(path, params=params, headers=bearer("read")).status_code == 200
    assert stored_of(cold).hits == hits


def test_an_answer_stored_under_other_settings_is_not_served(
    settings: Settings, synced: Database, prom: Sources
) -> None:
    # Stale after 3 x 600 s instead of 3 x 300 s: the stored answers' freshness would differ.
    other = settings.model_copy(update={"sync_interval_seconds": 600})
    for sources, config in ((prom, other), (Sources(), settings)):
        with TestClient(create_app(config, db=synced, sources=sources)) as client:
            for path, params in plugin_reads("bot"):
                assert client.get(path, params=params, headers=bearer("read")).status_code == 200
            assert stored_of(client).hits == 0


def test_the_token_and_its_scope_are_checked_before_a_stored_answer(cold: TestClient) -> None:
    path, params = plugin_reads("bot")[0]
    assert cold.get(path, params=params).status_code == 401
    assert (
        cold.get(path, params=params, headers={"Authorization": "Bearer nope"}).status_code == 401
    )
    assert cold.get(path, params=params, headers=bearer("ingest")).status_code == 403
    assert stored_of(cold).hits == 0
    assert cold.get(path, params=params, headers=bearer("read")).status_code == 200
    assert stored_of(cold).hits == 1


def test_switched_off_nothing_is_stored_nor_served(
    settings: Settings, synced: Database, prom: Sources
) -> None:
    off = settings.model_copy(update={"stored_answers": False})
    with TestClient(create_app(off, db=synced, sources=prom)) as client:
        for path, params in plugin_reads("bot"):
            assert client.get(path, params=params, headers=bearer("read")).status_code == 200
        assert stored_of(client).hits == stored_of(client).misses == 0
    run_sync(db=synced, sources=prom, settings=off, steps=STEPS, after=after_pass(create_app))
    with synced.session_scope(read_only=True) as session:
        # The pass moved the freshness: what was stored before is never served again.
        keys = {r.key for r in session.exec(select(StoredAnswer)).all()}
    with TestClient(create_app(settings, db=synced, sources=prom)) as client:
        for path, params in plugin_reads("bot"):
            assert client.get(path, params=params, headers=bearer("read")).status_code == 200
        assert stored_of(client).hits == 0, keys


def test_reads_of_one_answer_share_one_canonical_key() -> None:
    path = "/api/v1/apps/bot/usage"
    key = canonical(path, b"from=2026-09-01T10:20:30.123Z&to=2026-10-01T10:20:31.456Z&step=day")
    assert key == (
        "/api/v1/apps/bot/usage?from=2026-09-01T10%3A00%3A00%2B00%3A00"
        "&to=2026-10-01T11%3A00%3A00%2B00%3A00&step=day"
    )
    assert canonical(path, key.partition("?")[2].encode()) == key  # its own canonical form
    same = b"from=2026-09-01T12:59:00%2B02:00&to=2026-10-01T11:00:00Z"  # step=day by default
    assert canonical(path, same) == key
    for refused in (
        b"from=2026-09-01T10:00:00&to=2026-10-01T10:00:00Z",  # not time-zoned
        b"from=2024-01-01T00:00:00Z&to=2026-10-01T10:00:00Z",  # longer than 800 days
        b"from=2026-08-01T00:00:00Z&to=2026-10-01T10:00:00Z&step=hour",  # > 31 days per hour
        b"from=2026-09-01T00:00:00Z&from=2026-09-02T00:00:00Z",  # repeated
        b"from=2026-09-01T00:00:00Z&group_by=team",  # a parameter the route does not take
        b"from=tomorrow",
        b"step=year",
    ):
        assert canonical(path, refused) is None, refused
    assert canonical("/api/v1/apps/bot/costs", b"step=hour") is None
    assert canonical("/api/v1/costs", b"") is None
    assert canonical("/api/v1/apps/bot/costs", b"") is not None  # the default window


def test_a_warm_worker_takes_the_answers_of_the_next_pass_from_the_store(
    settings: Settings, cold: TestClient, computing: TestClient, synced: Database, prom: Sources
) -> None:
    path, params = plugin_reads("bot")[0]
    assert cold.get(path, params=params, headers=bearer("read")).status_code == 200
    assert stored_of(cold).hits == 1
    # The next pass moves the freshness: the answer in memory is older than the versions.
    run_sync(db=synced, sources=prom, settings=settings, steps=STEPS, after=after_pass(create_app))
    served = cold.get(path, params=params, headers=bearer("read"))
    assert stored_of(cold).hits == 2
    assert _sent(served) == _sent(computing.get(path, params=params, headers=bearer("read")))


def test_reads_to_the_millisecond_share_one_answer_in_memory(
    settings: Settings, synced: Database, prom: Sources
) -> None:
    off = settings.model_copy(update={"stored_answers": False})  # the in-memory level alone
    with TestClient(create_app(off, db=synced, sources=prom)) as client:
        path, params = plugin_reads("bot")[0]
        first = client.get(path, params=params, headers=bearer("read"))
        moved = {k: v.replace(".", ".9", 1) if k != "step" else v for k, v in params.items()}
        assert moved != params
        again = client.get(path, params=moved, headers=bearer("read"))
        assert cache_of(client).computed == 1
        assert cache_of(client).hits == 1
        assert again.content == first.content


def cache_answers(metrics: str) -> dict[str, float]:
    """genai_portal_response_cache_answers_total per answer, from a ``/metrics`` text (what an
    operator's scrape sees)."""
    return {
        sample.labels["answer"]: sample.value
        for family in text_string_to_metric_families(metrics)
        if family.name == "genai_portal_response_cache_answers"
        for sample in family.samples
        if sample.name.endswith("_total")
    }


def _answers(client: TestClient) -> dict[str, float]:
    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    return cache_answers(metrics.text)


def test_the_metrics_say_where_each_answer_came_from(cold: TestClient) -> None:
    before = _answers(cold)
    for path, params in plugin_reads("bot"):
        assert cold.get(path, params=params, headers=bearer("read")).status_code == 200
        assert cold.get(path, params=params, headers=bearer("read")).status_code == 200
    assert cold.get("/api/v1/apps", headers=bearer("read")).status_code == 200
    after = _answers(cold)
    moved = {k: after[k] - before.get(k, 0) for k in after}
    assert moved == {"memory": 2, "stored": 2, "waited": 0, "computed": 1}
