"""PostgreSQL connections checked at checkout without a round trip when they can be.

SQLAlchemy's ``pool_pre_ping`` runs ``SELECT 1`` before every checkout: a round trip (0.1 ms
here) before each of the response cache's lookups, which are one round trip themselves. A
connection the server closed (a restart, ``pg_terminate_backend``, an idle timeout) has data
or an end of file waiting on its socket (the server's FATAL message, then its FIN): that is
seen by a poll of the socket, with no round trip. The ping runs only then, or when the
connection sat unused in the pool longer than ``PING_AFTER_IDLE_SECONDS`` (a path that died
silently, without a FIN). A failed ping raises ``DisconnectionError``: the pool drops that
connection and hands out a new one, as with ``pool_pre_ping``.
"""

from __future__ import annotations

import select
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

# A connection unused longer than this is pinged at checkout even if its socket is quiet.
PING_AFTER_IDLE_SECONDS = 10.0
_IDLE_SINCE = "portal_idle_since"


def check_at_checkout(engine: Engine) -> None:
    """Check ``engine``'s pooled connections as this module says (create the engine without
    ``pool_pre_ping``)."""
    dialect = engine.dialect

    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or not suspect(dbapi_connection, since):  # None: just opened
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError(f"pooled connection is gone: {exc}") from exc

    event.listen(engine.pool, "checkin", checked_in)
    event.listen(engine.pool, "checkout", checkout)


def suspect(dbapi_connection: Any, idle_since: float) -> bool:
    """Whether a connection idle since ``idle_since`` (``time.monotonic()``) must be pinged
    before use: it sat unused ``PING_AFTER_IDLE_SECONDS`` or more, or its peer closed it."""
    return time.monotonic() - idle_since >= PING_AFTER_IDLE_SECONDS or closed_by_peer(
        dbapi_connection
    )


def closed_by_peer(dbapi_connection: Any) -> bool:
    """Whether an idle connection's socket has something to read (a server's message before
    it closes, or the end of the stream), or has no socket: then only a ping can tell."""
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except Exception:  # closed: fileno() raises
        return True
    return bool(readable)
