"""The response cache's lookups: one short read statement each (the table versions, a stored
answer), run on the driver of a pooled connection, outside a transaction, in threads of
their own.

A cached read is one lookup and a replay, so the lookup's overhead is most of its time:
through SQLAlchemy's ``Connection`` and ``Result`` and anyio's worker threads a lookup cost
about 0.65 ms on PostgreSQL, of which the statement itself (a primary-key read) 0.14 ms. Run
on the driver (psycopg, sqlite3) it skips the execution context and result objects; run in
a small executor of its own it neither queues behind the computations holding anyio's
threads nor takes more than ``LOOKUP_THREADS`` of the pool's connections.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

T = TypeVar("T")

# Lookups at once per process: each holds one pooled connection for a fraction of a
# millisecond (the pool's default size is 8: the rest stay for the computations).
LOOKUP_THREADS = 4

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _threads() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        with _lock:
            if _executor is None:
                _executor = ThreadPoolExecutor(LOOKUP_THREADS, thread_name_prefix="portal-lookup")
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
