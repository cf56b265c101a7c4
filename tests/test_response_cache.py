"""The response cache of GET reads: fresh after any write, 304 on If-None-Match, answers never
shared between callers or paths, the token checked before a cached answer is served."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
import zlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import anyio.to_thread
import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from portal_api.cache import ANY, ResponseCache, lookup_versions, tables_of
from portal_api.config import Settings
from portal_api.costs import service as cost_service
from portal_api.costs.models import CostDaily
from portal_api.db import Database, make_engine, migrate
from portal_api.kit.coalesce import SharedRead
from portal_api.kit.lookup import Lookups
from portal_api.main import create_app
from portal_api.sources.bundle import Sources
from portal_api.sources.prometheus import PrometheusSource
from portal_api.sync.collector import StepContext, SyncStep, run_sync
from portal_api.sync.service import get_status, source_rows
from tests.conftest import TOKENS, bearer
from tests.factories import make_app

DAY = dt.timedelta(days=1)
START = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
WINDOW = {"from": START.isoformat(), "to": (START + 10 * DAY).isoformat()}


def add_cost(db: Database, app: str, day: dt.datetime, cost: str) -> None:
    with db.session_scope() as session:
        session.add(
            CostDaily(
                day=day,
                app=app,
                namespace="ns",
                model="gpt-4o",
                provider="openai",
                input_tokens=1000,
                output_tokens=100,
                cached_input_tokens=0,
                gpu_hours=0.0,
                input_cost=Decimal(cost),
                output_cost=Decimal(0),
                cost=Decimal(cost),
                price_source="genai-prices",
            )
        )


@pytest.fixture
def two_apps(db: Database) -> Database:
    with db.session_scope() as session:
        make_app(session, name="bot", team="care")
        make_app(session, name="search", namespace="search", team="discovery")
    add_cost(db, "bot", START, "1.00")
    add_cost(db, "search", START, "7.00")
    return db


def costs(client: TestClient, app: str, **headers: str) -> object:
    return client.get(f"/api/v1/apps/{app}/costs", params=WINDOW, headers=bearer("read") | headers)


def test_every_write_bumps_the_versions_of_the_tables_it_wrote(db: Database) -> None:
    before = versions_of(db.bind)
    assert before is not None
    with db.session_scope() as session:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    assert versions_of(db.bind) == before  # a read-only transaction does not
    add_cost(db, "bot", START, "1.00")
    after = versions_of(db.bind)
    assert after == before | {"cost_daily": before.get("cost_daily", 0) + 1}  # not "app"
    with db.session_scope() as session:
        session.exec(text("CREATE TABLE scratch_unknown (x INTEGER)"))  # type: ignore[call-overload]
    assert versions_of(db.bind) == after | {ANY: after.get(ANY, 0) + 1}


def test_a_statement_names_the_tables_it_reads_and_writes() -> None:
    read = "SELECT app.name FROM app JOIN cost_daily ON cost_daily.app = app.name"
    assert tables_of.reads(read) == {"app", "cost_daily"}
    assert tables_of.writes(read) is None
    assert tables_of.writes("INSERT INTO cost_daily (app, day) VALUES (?, ?)") == {"cost_daily"}
    assert tables_of.writes("DELETE FROM portal_partitions.usage_hourly_y2026m11") == {
        "usage_hourly"
    }
    # Not the verb's own table: every table it names (the column "app" names a table too).
    assert tables_of.writes("CREATE INDEX ix ON usage_daily (app)") == {"usage_daily", "app"}
    assert tables_of.writes("WITH m AS (DELETE FROM app RETURNING *) SELECT * FROM m") == {"app"}
    assert tables_of.writes("DROP TABLE scratch") == {ANY}


def versions_of(bind: Any) -> dict[str, int] | None:
    """The table versions as a worker's response cache reads them (its lookups)."""
    return asyncio.run(lookup_versions(Lookups(bind)))


def cache_of(client: TestClient) -> ResponseCache:
    return cache_of_app(client.app)  # type: ignore[arg-type]


def cache_of_app(app: FastAPI) -> ResponseCache:
    if app.middleware_stack is None:
        app.middleware_stack = app.build_middleware_stack()
    layer = app.middleware_stack
    while not isinstance(layer, ResponseCache):
        layer = layer.app  # type: ignore[attr-defined]
    return layer


def test_a_write_keeps_the_answers_read_from_other_tables(
    client: TestClient, two_apps: Database
) -> None:
    apps = client.get("/api/v1/apps", headers=bearer("read"))
    bot = costs(client, "bot")
    cache = cache_of(client)
    hits = cache.hits
    add_cost(two_apps, "bot", START + DAY, "2.50")  # writes cost_daily only
    assert client.get("/api/v1/apps", headers=bearer("read")).json() == apps.json()
    assert cache.hits == hits + 1  # the apps list read no cost rows: still cached
    after = costs(client, "bot")
    assert cache.hits == hits + 1  # the costs answer is computed afresh
    assert Decimal(after.json()["total"]) == Decimal(bot.json()["total"]) + Decimal("2.50")
    with two_apps.session_scope() as session:
        make_app(session, name="third", namespace="third", team="care")
    assert len(client.get("/api/v1/apps", headers=bearer("read")).json()["items"]) == 3


def test_a_write_makes_the_next_read_fresh(client: TestClient, two_apps: Database) -> None:
    first = costs(client, "bot")
    assert first.status_code == 200
    assert first.headers["cache-control"] == "private, no-cache"
    assert costs(client, "bot").json() == first.json()
    add_cost(two_apps, "bot", START + DAY, "2.50")
    after = costs(client, "bot")
    assert Decimal(after.json()["total"]) == Decimal(first.json()["total"]) + Decimal("2.50")
    assert after.headers["etag"] != first.headers["etag"]


@pytest.mark.usefixtures("two_apps")
def test_a_write_through_the_api_makes_the_next_read_fresh(client: TestClient) -> None:
    before = client.get("/api/v1/budgets", headers=bearer("read"))
    assert before.status_code == 200
    created = client.post(
        "/api/v1/budgets",
        json={"scope": "app", "name": "bot", "amount": "10.00"},
        headers=bearer("admin"),
    )
    assert created.status_code == 201, created.text
    after = client.get("/api/v1/budgets", headers=bearer("read")).json()
    assert len(after["items"]) == len(before.json()["items"]) + 1


def test_if_none_match_answers_304(client: TestClient, two_apps: Database) -> None:
    first = costs(client, "bot")
    etag = first.headers["etag"]
    cached = costs(client, "bot", **{"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag
    assert costs(client, "bot", **{"If-None-Match": '"other"'}).status_code == 200
    add_cost(two_apps, "bot", START + DAY, "2.50")
    assert costs(client, "bot", **{"If-None-Match": etag}).status_code == 200


@pytest.mark.usefixtures("two_apps")
def test_no_answer_leaks_across_apps_or_queries(client: TestClient) -> None:
    bot, search = costs(client, "bot").json(), costs(client, "search").json()
    assert (bot["app"], Decimal(bot["total"])) == ("bot", Decimal("1.00"))
    assert (search["app"], Decimal(search["total"])) == ("search", Decimal("7.00"))
    shorter = client.get(
        "/api/v1/apps/bot/costs",
        params={"from": WINDOW["from"], "to": (START + DAY / 2).isoformat()},
        headers=bearer("read"),
    ).json()
    assert shorter["end"] != bot["end"]


@pytest.mark.usefixtures("two_apps")
def test_the_token_is_checked_before_a_cached_answer(client: TestClient) -> None:
    assert costs(client, "bot").status_code == 200
    url = "/api/v1/apps/bot/costs"
    assert client.get(url, params=WINDOW).status_code == 401
    bad = {"Authorization": "Bearer not-a-token-0123456789"}
    assert client.get(url, params=WINDOW, headers=bad).status_code == 401
    assert client.get(url, params=WINDOW, headers=bearer("ingest")).status_code == 403
    # An admin token reads too, from its own entry.
    assert client.get(url, params=WINDOW, headers=bearer("admin")).status_code == 200
    assert TOKENS["read"] != TOKENS["admin"]


def test_no_cache_when_switched_off(settings, db: Database, sources) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings.model_copy(update={"response_cache_mb": 0}), db=db, sources=sources)
    with TestClient(app) as client:
        response = client.get("/api/v1/apps", headers=bearer("read"))
    assert response.status_code == 200
    assert "etag" not in response.headers


@pytest.fixture
def own_database(tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A database of its own (a file): concurrent requests each take their own connection."""
    engine = make_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    migrate(engine)
    db = Database(engine)
    with db.session_scope() as session:
        make_app(session, name="bot", team="care")
    add_cost(db, "bot", START, "1.00")
    yield db
    engine.dispose()


def concurrently(app: FastAPI, count: int, url: str) -> list[httpx.Response]:
    """``count`` GETs of ``url`` sent at the same moment; a 500 comes back as a response."""

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return list(
                await asyncio.gather(
                    *(client.get(url, params=WINDOW, headers=bearer("read")) for _ in range(count))
                )
            )

    return asyncio.run(run())


def held_until_all_missed(
    monkeypatch: pytest.MonkeyPatch, cache: ResponseCache, count: int, fail: list[bool]
) -> list[int]:
    """Make one app's costs wait until ``count`` more requests have missed the cache per call
    (so they overlap whatever the scheduling), and fail while ``fail[0]``; returns the call
    counter (a second computation in one round would wait in vain, then be counted)."""
    calls = [0]
    original = cost_service.app_costs

    def app_costs(**kwargs: object) -> object:
        calls[0] += 1
        deadline = time.monotonic() + 10
        while cache.misses < count * calls[0] and time.monotonic() < deadline:
            time.sleep(0.01)
        if fail[0]:
            raise RuntimeError("the database went away")
        return original(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cost_service, "app_costs", app_costs)
    return calls


def test_concurrent_misses_of_one_answer_compute_it_once(
    settings: Settings, own_database: Database, sources: Sources, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(settings, db=own_database, sources=sources)
    cache = cache_of_app(app)
    calls = held_until_all_missed(monkeypatch, cache, 8, [False])
    answers = concurrently(app, 8, "/api/v1/apps/bot/costs")
    assert [a.status_code for a in answers] == [200] * 8
    assert calls[0] == 1
    assert cache.computed == 1
    assert len({(a.content, a.headers["etag"]) for a in answers}) == 1
    assert Decimal(answers[0].json()["total"]) == Decimal("1.00")


def test_an_error_reaches_every_waiting_request_and_is_not_cached(
    settings: Settings, own_database: Database, sources: Sources, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(settings, db=own_database, sources=sources)
    cache = cache_of_app(app)
    fail = [True]
    calls = held_until_all_missed(monkeypatch, cache, 4, fail)
    assert [a.status_code for a in concurrently(app, 4, "/api/v1/apps/bot/costs")] == [500] * 4
    assert calls[0] == 1
    fail[0] = False
    again = concurrently(app, 4, "/api/v1/apps/bot/costs")
    assert [a.status_code for a in again] == [200] * 4
    assert calls[0] == 2  # computed again: the error was not kept


def test_a_waiting_request_never_gets_an_answer_from_before_a_write_it_follows(
    settings: Settings, own_database: Database, sources: Sources
) -> None:
    app = create_app(settings, db=own_database, sources=sources)
    cache = cache_of_app(app)
    first = concurrently(app, 1, "/api/v1/apps/bot/costs")[0]
    add_cost(own_database, "bot", START + DAY, "2.50")
    after = concurrently(app, 3, "/api/v1/apps/bot/costs")
    assert {Decimal(a.json()["total"]) for a in after} == {Decimal("3.50")}
    assert Decimal(first.json()["total"]) == Decimal("1.00")
    assert cache.computed == 2


def test_concurrent_version_reads_share_one_that_started_after_they_asked() -> None:
    began, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def read() -> int:
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            began.set()
            release.wait(10)  # the first read is in progress while the others ask
        return len(calls)

    async def run() -> tuple[int, list[int]]:
        shared = SharedRead(lambda: anyio.to_thread.run_sync(read))
        first = asyncio.create_task(shared.get())
        while not began.is_set():
            await asyncio.sleep(0.001)
        later = [asyncio.create_task(shared.get()) for _ in range(5)]
        await asyncio.sleep(0)
        release.set()
        return await first, list(await asyncio.gather(*later))

    first, later = asyncio.run(run())
    assert first == 1
    assert later == [2] * 5  # not the read that started before they asked; one for all five
    assert calls == [1, 2]


def _pass_steps(seen: list[dt.datetime | None]) -> list[SyncStep]:
    """Three Prometheus steps that write nothing but their rows; usage and costs move their
    watermarks, as the real ones do."""

    def moves_its_watermark(ctx: StepContext) -> dict[str, object]:
        ctx.status.watermark = ctx.now
        seen.append(ctx.now)
        return {}

    return [
        SyncStep("prometheus", "usage", moves_its_watermark),
        SyncStep("prometheus", "costs", moves_its_watermark),
        SyncStep("prometheus", "compute", lambda _ctx: {}),
    ]


def test_a_sync_pass_moves_the_freshness_once_and_keeps_the_answers_until_then(
    settings: Settings, two_apps: Database
) -> None:
    sources = Sources(prometheus=PrometheusSource("http://127.0.0.1:9", timeout=1))
    seen: list[dt.datetime | None] = []
    steps = _pass_steps(seen)
    first = dt.datetime(2026, 9, 20, 10, tzinfo=dt.UTC)
    later = first + dt.timedelta(minutes=5)
    at_first, at_later = "2026-09-20T10:00:00Z", "2026-09-20T10:05:00Z"

    def sync(now: dt.datetime | None, on_step: Any = None) -> None:
        results = run_sync(
            db=two_apps, sources=sources, settings=settings, steps=steps, now=now, on_step=on_step
        )
        assert all(r.ok for r in results)

    def org() -> dict[str, Any]:
        response = client.get("/api/v1/costs", params=WINDOW, headers=bearer("read"))
        assert response.status_code == 200
        return response.json()

    def usage() -> dict[str, Any]:
        response = client.get("/api/v1/apps/bot/usage", params=WINDOW, headers=bearer("read"))
        assert response.status_code == 200
        return response.json()

    with TestClient(create_app(settings, db=two_apps, sources=sources)) as client:
        sync(first)
        cache = cache_of(client)
        assert org()["freshness"]["as_of"] == usage()["freshness"]["as_of"] == at_first
        during: list[tuple[str, int, str, str | None]] = []

        def after_step(step: SyncStep, _result: object) -> None:
            hits = cache.hits
            as_of, covered = org()["freshness"]["as_of"], usage()["covered_until"]
            during.append((step.name, cache.hits - hits, as_of, covered))

        sync(later, after_step)
        # Until the pass's last step the source is as fresh as before (its least recent
        # step): the org costs stay cached. The usage step's watermark is in app usage's
        # answer: that answer is read afresh right after the step that moved it, not after
        # the costs step moved its own.
        assert during == [
            ("usage", 1, at_first, at_later),
            ("costs", 2, at_first, at_later),
            ("compute", 0, at_later, at_later),
        ]
        # Any other write of the step rows drops the answers that carry the freshness.
        with two_apps.session_scope() as session:
            status = get_status(session=session, source="prometheus", step="costs")
            status.consecutive_failures, status.last_error = 1, "prometheus: unreachable"
            session.add(status)
        assert org()["freshness"]["state"] == "failing"
        # Without a time given, every step of a pass is stamped with the pass's start.
        seen.clear()
        sync(None)
        with two_apps.session_scope() as session:
            rows = source_rows(session=session, source="prometheus", step="usage")
            assert {r.last_success for r in rows} == {seen[0]} == set(seen)


def _raw(client: TestClient, app: str, encodings: str) -> tuple[httpx.Headers, bytes]:
    """An answer's headers and its bytes as sent (not decoded by the client)."""
    headers = bearer("read") | {"Accept-Encoding": encodings}
    with client.stream("GET", f"/api/v1/apps/{app}/costs", params=WINDOW, headers=headers) as r:
        assert r.status_code == 200
        return r.headers, b"".join(r.iter_raw())


@pytest.mark.usefixtures("two_apps")
def test_a_client_that_takes_deflate_gets_the_answer_compressed(
    client: TestClient, settings: Settings, db: Database, sources: Sources
) -> None:
    off = settings.model_copy(update={"response_cache_mb": 0})
    with TestClient(create_app(off, db=db, sources=sources)) as plain_client:
        plain = costs(plain_client, "bot").content  # type: ignore[attr-defined]
    tags = set()
    for encodings in ("gzip, deflate", "gzip, deflate", "br;q=1, *", "DEFLATE;q=0.5"):
        headers, sent = _raw(client, "bot", encodings)  # computed, then from memory
        assert headers["content-encoding"] == "deflate", encodings
        assert int(headers["content-length"]) == len(sent) < len(plain)
        assert zlib.decompress(sent) == plain
        assert headers["vary"] == "Accept-Encoding"
        tags.add(headers["etag"])
    for encodings in ("identity", "gzip, deflate;q=0", "*, deflate;q=0", "br;q=1, *;q=0", ""):
        headers, sent = _raw(client, "bot", encodings)
        assert "content-encoding" not in headers, encodings
        assert int(headers["content-length"]) == len(sent)
        assert sent == plain
        assert headers["vary"] == "Accept-Encoding"
        tags.add(headers["etag"])
    # Two representations, two tags; either revalidates the answer.
    assert len(tags) == 2
    for tag in tags:
        assert costs(client, "bot", **{"If-None-Match": tag}).status_code == 304  # type: ignore[attr-defined]
