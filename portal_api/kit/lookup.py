"""The response cache's lookups: one short read statement each (the table versions, a stored
answer), outside a transaction. On PostgreSQL, in a worker that started its ``Lookups``, on
the event loop itself through a few psycopg async connections of their own; otherwise on the
driver of a pooled connection in threads of their own.

A cached read is one lookup and a replay, so the lookup's overhead is most of its time:
through SQLAlchemy's ``Connection`` and ``Result`` and anyio's worker threads a lookup cost
about 0.65 ms on PostgreSQL, of which the statement itself (a primary-key read) 0.14 ms. On
the driver in an executor of its own (no execution context or result objects, never queued
behind the computations holding anyio's threads, at most ``LOOKUPS_AT_ONCE`` of the pool's
connections) it costs 0.40-0.47 ms; on the loop, with no thread to wake and none to wake it
back, 0.18-0.19 ms.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from portal_api.kit import liveness

T = TypeVar("T")

# Lookups at once: per process in the threads (each holds one pooled connection for a fraction
# of a millisecond; the pool's default size is 8: the rest stay for the computations), per
# worker on the loop (each on a connection of the lookups' own).
LOOKUPS_AT_ONCE = 4

# The lookups' own PostgreSQL connections, as pg_stat_activity names them.
APPLICATION_NAME = "genai-portal-lookups"

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _threads() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        with _lock:
            if _executor is None:
                _executor = ThreadPoolExecutor(LOOKUPS_AT_ONCE, thread_name_prefix="portal-lookup")
    return _executor


async def in_lookup_thread(read: Callable[..., T], *args: Any) -> T:
    """``read(*args)`` in one of the lookup threads (the event loop is not blocked)."""
    return await asyncio.get_running_loop().run_in_executor(_threads(), read, *args)


@cache
def _pyformat(statement: str) -> str:
    """``statement``'s ``:name`` parameters as psycopg's ``%(name)s``."""
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", statement.replace("%", "%%"))


def driver_rows(
    bind: Engine | Connection, statement: str, params: dict[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    """The rows of one read ``statement`` (``:name`` parameters) on the driver of a pooled
    connection, outside a transaction: one round trip on PostgreSQL (no BEGIN, no ROLLBACK;
    psycopg prepares it after a few runs), no lock on SQLite. ``bind`` itself when it is a
    connection (a test's), through SQLAlchemy."""
    params = params or {}
    if isinstance(bind, Connection):
        return [tuple(row) for row in bind.execute(text(statement), params).all()]
    pooled = bind.raw_connection()
    driver: Any = pooled.driver_connection
    try:
        if bind.dialect.name == "postgresql":
            was = driver.autocommit
            driver.autocommit = True
            try:
                return driver.execute(_pyformat(statement), params).fetchall()  # type: ignore[no-any-return]
            finally:
                driver.autocommit = was
        # sqlite3 in autocommit (isolation_level None, kit.sqlite): a read begins nothing.
        return driver.execute(statement, params).fetchall()  # type: ignore[no-any-return]
    except bind.dialect.loaded_dbapi.Error as exc:
        if bind.dialect.is_disconnect(exc, pooled.dbapi_connection, None):
            pooled.invalidate(exc)  # not handed out again: the next checkout reconnects
        raise
    finally:
        pooled.close()


class Lookups:
    """The lookups of one app's worker: after ``start`` (on its event loop, PostgreSQL behind
    an engine) through at most ``LOOKUPS_AT_ONCE`` psycopg async connections of their own, kept
    open between lookups; before it, on another loop, or for any other ``bind``, on the driver
    in a lookup thread (``driver_rows``). ``close`` closes the connections (the app's end)."""

    def __init__(self, bind: Engine | Connection) -> None:
        self.bind = bind
        self._conninfo: str | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots: asyncio.Semaphore | None = None
        self._idle: list[tuple[Any, float]] = []  # (connection, since when idle)
        self._closed = False

    def start(self) -> None:
        """Look up on the running loop from now on, when ``bind`` is a PostgreSQL engine."""
        if isinstance(self.bind, Engine) and self.bind.dialect.name == "postgresql":
            url = self.bind.url.set(drivername="postgresql")
            # What pg_stat_activity shows them as; a server that does not answer fails the
            # lookup (the read is computed) instead of holding the request for the OS's timeout.
            defaults = {"application_name": APPLICATION_NAME, "connect_timeout": "10"}
            url = url.update_query_dict({k: v for k, v in defaults.items() if k not in url.query})
            self._conninfo = url.render_as_string(hide_password=False)
            self._loop = asyncio.get_running_loop()
            self._slots = asyncio.Semaphore(LOOKUPS_AT_ONCE)

    async def rows(
        self, statement: str, params: dict[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """The rows of one read ``statement`` (``:name`` parameters)."""
        if self._slots is None or self._loop is not asyncio.get_running_loop():
            return await in_lookup_thread(driver_rows, self.bind, statement, params)
        async with self._slots:
            connection = await self._connection()
            try:
                cursor = await connection.execute(_pyformat(statement), params or {})
                rows: list[tuple[Any, ...]] = await cursor.fetchall()
            except BaseException:
                connection.pgconn.finish()  # mid-statement or failed: never reused
                raise
            if self._closed:
                await connection.close()  # the app ended while this lookup ran
            else:
                self._idle.append((connection, time.monotonic()))
            return rows

    async def _connection(self) -> Any:
        """An idle connection still open (checked as ``kit.liveness`` checks the pool's), or a
        new one."""
        while self._idle:
            connection, since = self._idle.pop()
            if not liveness.suspect(connection, since):
                return connection
            try:
                await connection.execute("SELECT 1")
            except Exception:
                connection.pgconn.finish()
                continue
            return connection
        import psycopg  # here: a SQLite-only worker never loads it (about 9 MB)

        assert self._conninfo is not None
        return await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)

    async def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        for connection, _ in idle:
            await connection.close()


def lookups_of(state: Any) -> Lookups:
    """The app's lookups on its database (``state.lookups``, started in its lifespan:
    ``main``); lookups in threads for a database put in its place since."""
    bind = state.db.bind
    found: Lookups | None = getattr(state, "lookups", None)
    if found is None or found.bind is not bind:
        found = state.lookups = Lookups(bind)
    return found
