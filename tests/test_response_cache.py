"""The response cache of GET reads: fresh after any write, 304 on If-None-Match, answers never
shared between callers or paths, the token checked before a cached answer is served."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from portal_api.cache import ANY, ResponseCache, read_versions, tables_of
from portal_api.costs.models import CostDaily
from portal_api.db import Database
from portal_api.main import create_app
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
    before = read_versions(db.bind)
    assert before is not None
    with db.session_scope() as session:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    assert read_versions(db.bind) == before  # a read-only transaction does not
    add_cost(db, "bot", START, "1.00")
    after = read_versions(db.bind)
    assert after == before | {"cost_daily": before.get("cost_daily", 0) + 1}  # not "app"
    with db.session_scope() as session:
        session.exec(text("CREATE TABLE scratch_unknown (x INTEGER)"))  # type: ignore[call-overload]
    assert read_versions(db.bind) == after | {ANY: after.get(ANY, 0) + 1}


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


def cache_of(client: TestClient) -> ResponseCache:
    layer = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, ResponseCache):
        layer = layer.app
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
