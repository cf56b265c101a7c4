"""The response cache's lookups run on the driver of a pooled connection (``kit.lookup``), and
PostgreSQL's pooled connections are checked at checkout by a poll of their socket, pinged only
when it or their idleness says so (``kit.liveness``).

The other tests bind the API to one connection (rolled back after each test); here it is bound
to an engine, as ``serve`` binds it, so the lookups take the driver's path: the stored-answer
tests run again on it, on both databases."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from portal_api.cache import TABLE
from portal_api.config import Settings
from portal_api.db import Database, make_engine, migrate
from portal_api.kit import liveness, lookup
from portal_api.kit.lookup import APPLICATION_NAME, _pyformat, driver_rows
from portal_api.main import create_app
from portal_api.sources.bundle import Sources
from tests.conftest import bearer, fresh_postgres_database
from tests.test_response_cache import versions_of
from tests.test_stored_answers import (  # noqa: F401 (fixtures, and tests run again here)
    cold,
    computing,
    plugin_reads,
    prom,
    stored_of,
    synced,
    test_a_write_after_the_pass_is_never_answered_from_before_it,
    test_the_first_read_after_a_pass_is_the_stored_answer_byte_for_byte,
    test_the_metrics_say_where_each_answer_came_from,
    versions_and_row,
)


@contextmanager
def _migrated(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    migrate(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def bound(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a new database of each kind, migrated."""
    if request.param == "sqlite":
        with _migrated(f"sqlite:///{tmp_path / 'lookups.db'}") as engine:
            yield engine
        return
    with fresh_postgres_database("lookups") as url, _migrated(url) as engine:
        yield engine


@pytest.fixture
def db(bound: Engine) -> Database:
    """The API's database bound to the engine (overrides conftest's one-connection ``db``)."""
    return Database(bound)


@pytest.fixture
def postgres() -> Iterator[Engine]:
    """An engine on a new PostgreSQL database, migrated (its pool and sockets)."""
    with fresh_postgres_database("liveness") as url, _migrated(url) as engine:
        yield engine


@pytest.fixture
def lookup_threads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The reads handed to the lookup threads from now on."""
    threads: list[object] = []
    in_thread = lookup.in_lookup_thread

    async def counted(read: Any, *args: Any) -> Any:
        threads.append(read)
        return await in_thread(read, *args)

    monkeypatch.setattr(lookup, "in_lookup_thread", counted)
    return threads


ON_POSTGRES = pytest.mark.parametrize("bound", ["postgresql"], indirect=True)


def _others(engine: Engine, application: str | None = None) -> list[tuple[int, str]]:
    """The pid and state of every other session on ``engine``'s database (seen from a
    connection outside its pool), or of those of ``application`` only."""
    admin = create_engine(engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT pid, state FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND application_name = coalesce(:application, application_name)"
                ),
                {"application": application},
            ).all()
    finally:
        admin.dispose()
    return [(int(pid), str(state)) for pid, state in rows]


def _terminate_all(engine: Engine) -> None:
    """Every session on ``engine``'s database ended by the server, as a restart ends them. A
    session still starting when the others are ended (not yet in ``pg_stat_activity``) is
    ended on the next round."""
    admin = create_engine(engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + 30
    try:
        with admin.connect() as connection:
            while True:
                ended = connection.execute(
                    text(
                        "SELECT pid, application_name, backend_start, query "
                        "FROM pg_stat_activity, pg_terminate_backend(pid) "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).all()
                time.sleep(0.05)
                if not _others(engine) or time.monotonic() > deadline:
                    break
    finally:
        admin.dispose()
    assert _others(engine) == [], ended


def _fill_pool(engine: Engine, n: int) -> None:
    """``n`` connections opened, used and returned to the pool."""
    held = [engine.connect() for _ in range(n)]
    for connection in held:
        connection.execute(text("SELECT 1"))
    for connection in held:
        connection.close()


@ON_POSTGRES
def test_connections_the_server_closed_are_replaced_at_checkout_without_an_error(
    bound: Engine,
    settings: Settings,
    synced: Database,  # noqa: F811 (the fixture imported above)
    prom: Sources,  # noqa: F811
) -> None:
    postgres = bound
    _fill_pool(postgres, 4)
    _terminate_all(postgres)  # a restart, an operator's pg_terminate_backend, an idle timeout
    # Each of the four dead connections is found out when it is next checked out.
    for _ in range(4):
        assert versions_of(postgres) is not None
    for _ in range(4):
        with postgres.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
    _fill_pool(postgres, 4)
    _terminate_all(postgres)
    # Through the API: the stored answers are still served, nothing fails.
    with TestClient(create_app(settings, db=synced, sources=prom)) as client:
        _page_from_store(client, "bot", hits=2)


def test_a_quiet_connection_used_just_now_is_not_pinged_an_idle_one_is(
    postgres: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings: list[object] = []
    ping = postgres.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(postgres.dialect, "do_ping", counted)
    _fill_pool(postgres, 1)
    assert pings == []  # a connection just opened is not pinged
    for _ in range(3):
        assert versions_of(postgres) is not None
    assert pings == []  # returned a moment ago, nothing on its socket: no round trip
    monkeypatch.setattr(liveness, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert versions_of(postgres) is not None
    assert len(pings) == 1  # idle longer than the setting: pinged


def test_a_lookup_leaves_its_connection_idle_outside_a_transaction(postgres: Engine) -> None:
    with postgres.begin() as connection:
        connection.execute(text(f"INSERT INTO {TABLE} (name, version) VALUES ('t', 3)"))
    assert versions_of(postgres) == {"t": 3}
    assert versions_and_row(postgres, "/api/v1/apps/none/usage") == ({"t": 3}, None)
    assert [state for _, state in _others(postgres)] == ["idle"]  # not "idle in transaction"
    pooled = postgres.raw_connection()
    try:
        assert pooled.driver_connection.autocommit is False  # as the pool hands it out
    finally:
        pooled.close()
    # A lookup's driver rows are plain tuples, as the SQLAlchemy path gives them.
    assert driver_rows(
        postgres, f"SELECT name, version FROM {TABLE} WHERE name = :n", {"n": "t"}
    ) == [("t", 3)]


def test_named_parameters_become_psycopg_ones_and_nothing_else_moves() -> None:
    assert _pyformat("SELECT a::text, '%' FROM t WHERE k = :key AND j = :j2") == (
        "SELECT a::text, '%%' FROM t WHERE k = %(key)s AND j = %(j2)s"
    )


def _page_from_store(client: TestClient, app: str, hits: int) -> None:
    """The plugin's page of ``app``, each answer a 200; ``hits`` stored answers served so far."""
    for path, params in plugin_reads(app):
        response = client.get(path, params=params, headers=bearer("read"))
        assert response.status_code == 200, response.text
    assert stored_of(client).hits == hits


def test_a_workers_lookups_run_on_its_loop_on_postgresql_in_threads_on_sqlite(
    bound: Engine,
    settings: Settings,
    synced: Database,  # noqa: F811
    prom: Sources,  # noqa: F811
    lookup_threads: list[object],
) -> None:
    postgres = bound.dialect.name == "postgresql"
    with TestClient(create_app(settings, db=synced, sources=prom)) as client:
        _page_from_store(client, "bot", hits=2)
        # PostgreSQL's through the worker's own connections; sqlite3 blocks: off the loop.
        assert bool(lookup_threads) is not postgres
        if postgres:
            assert len(_others(bound, APPLICATION_NAME)) >= 1
            # The server closes them (a restart, a failover): the next lookups open new ones
            # and the stored answers are still served, none computed.
            _terminate_all(bound)
            _page_from_store(client, "search", hits=4)
            assert lookup_threads == []
    if postgres:
        assert _others(bound, APPLICATION_NAME) == []  # closed with the app
