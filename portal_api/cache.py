"""A response cache for the API's GET reads, keyed on the data version.

The data version is one row (``portal_data_version``) that every session which writes bumps in
the same transaction, just before it commits (sync steps, ingests, budgets: any INSERT, UPDATE,
DELETE or DDL through SQLAlchemy). A cached answer is served only while the version it was
computed at is the current one, so the read after a write is fresh; replicas and the sync
process share the row through the database.

Every cached read first reads the version (one primary-key lookup), so a read that starts after
a write committed, in any worker, replica or the sync process, never gets an answer from before
it. Each worker keeps at most ``max_bytes`` of answers (least recently used go
first) and none older than ``ttl_seconds`` (answers that depend on the clock, e.g. staleness,
move on even without a write). Keys are (caller, path, query): the token is checked, and must
carry the ``read`` scope, before an answer is served from the cache; a caller only ever gets
answers computed for it. Answers carry an ``ETag`` (a hash of the body) and
``Cache-Control: private, no-cache``: a client revalidates with ``If-None-Match`` and gets 304.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from sqlalchemy import BigInteger, Column, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_api.auth import TokenStore

TABLE = "portal_data_version"
CACHE_CONTROL = b"private, no-cache"
# Statements that change data (the first word); everything else is a read.
_WRITES = frozenset(
    {"INSERT", "UPDATE", "DELETE", "MERGE", "COPY", "TRUNCATE", "CREATE", "DROP", "ALTER"}
)
_WROTE = "portal_wrote"
_CONNECTIONS = "portal_connections"


class DataVersion(SQLModel, table=True):
    """One row: bumped by every transaction that writes (the response cache's key)."""

    __tablename__ = TABLE

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))


def _before_cursor_execute(conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
    if conn.info.get(_WROTE):
        return
    head = statement.lstrip()[:9].split(None, 1)
    if head and head[0].upper() in _WRITES:
        conn.info[_WROTE] = True


def _after_begin(session: OrmSession, transaction: Any, connection: Connection) -> None:
    if transaction.parent is None and not transaction.nested:
        connection.info.pop(_WROTE, None)  # a flag left by a rolled back transaction
    connections = session.info.setdefault(_CONNECTIONS, [])
    if connection not in connections:
        connections.append(connection)


def _before_commit(session: OrmSession) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: its writes count when the whole transaction commits
    session.flush()  # the ORM's pending writes flush after this hook: count them too
    for connection in session.info.get(_CONNECTIONS, []):
        if connection.closed or not connection.info.pop(_WROTE, False):
            continue
        bump(connection)


def _after_transaction_end(session: OrmSession, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_CONNECTIONS, None)


def bump(connection: Connection) -> None:
    """Bump the data version in the connection's transaction (creating the row if missing)."""
    updated = connection.exec_driver_sql(f"UPDATE {TABLE} SET version = version + 1 WHERE id = 1")
    if not updated.rowcount:
        connection.exec_driver_sql(
            f"INSERT INTO {TABLE} (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING"
        )
    connection.info.pop(_WROTE, None)


_installed = False


def track_writes() -> None:
    """Make every session that writes bump the data version (idempotent, process-wide)."""
    global _installed
    if _installed:
        return
    event.listen(Engine, "before_cursor_execute", _before_cursor_execute)
    event.listen(OrmSession, "after_begin", _after_begin)
    event.listen(OrmSession, "before_commit", _before_commit)
    event.listen(OrmSession, "after_transaction_end", _after_transaction_end)
    _installed = True


def read_version(bind: Engine | Connection) -> int | None:
    """The current data version; None when there is no version row (nothing to key on)."""
    sql = f"SELECT version FROM {TABLE} WHERE id = 1"
    try:
        if isinstance(bind, Connection):
            return bind.exec_driver_sql(sql).scalar()
        with bind.connect() as connection:
            return connection.exec_driver_sql(sql).scalar()
    except Exception:  # no table yet, database down: do not cache
        return None


@dataclass
class _Entry:
    version: int
    expires: float
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


class ResponseCache:
    """Answers of GET ``/api/v1`` reads, LRU-bounded, keyed on the data version."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, ttl_seconds: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.ttl = ttl_seconds
        self._entries: OrderedDict[tuple[str, str, bytes], _Entry] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.max_bytes <= 0
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith("/api/v1/")
        ):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        caller = _reader(state.tokens, scope)
        version = await self._current_version(state.db.bind) if caller else None
        if caller is None or version is None:
            await self.app(scope, receive, send)  # the route refuses, or nothing to key on
            return
        key = (caller, scope["path"], scope.get("query_string", b""))
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry.version == version and entry.expires > now:
            self._entries.move_to_end(key)
            self.hits += 1
            await _replay(entry, _if_none_match(scope), send)
            return
        self.misses += 1
        await self._compute(scope, receive, send, key, version, now)

    async def _current_version(self, bind: Engine | Connection) -> int | None:
        # Read on every request: a version remembered for even a second would let a read that
        # follows a write in another worker answer from before it.
        return await anyio.to_thread.run_sync(read_version, bind)

    async def _compute(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        key: tuple[str, str, bytes],
        version: int,
        now: float,
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"etag",)]
            if start["status"] != 200:
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            entry = _Entry(
                version=version,
                expires=now + self.ttl,
                status=200,
                headers=headers,
                body=body,
                etag=b'"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b'"',
            )
            self._store(key, entry)
            await _replay(entry, _if_none_match(scope), send)

        await self.app(scope, receive, capture)

    def _store(self, key: tuple[str, str, bytes], entry: _Entry) -> None:
        if entry.size > self.max_bytes // 8:
            return  # one answer may take at most an eighth of the cache
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old.size
        self._entries[key] = entry
        self._bytes += entry.size
        while self._bytes > self.max_bytes and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= dropped.size


def _reader(tokens: TokenStore, scope: Scope) -> str | None:
    """The caller's name when the request's bearer token carries the read scope."""
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() != "bearer" or not token:
                return None
            caller = tokens.identify(token.strip())
            return caller.name if caller is not None and caller.allows("read") else None
    return None


def _if_none_match(scope: Scope) -> bytes | None:
    for name, value in scope.get("headers", []):
        if name == b"if-none-match":
            return bytes(value)
    return None


def _matches(condition: bytes | None, etag: bytes) -> bool:
    if condition is None:
        return False
    for candidate in condition.split(b","):
        tag = candidate.strip()
        if tag == b"*" or tag.removeprefix(b"W/") == etag:
            return True
    return False


async def _replay(entry: _Entry, condition: bytes | None, send: Send) -> None:
    cache_headers = [(b"etag", entry.etag), (b"cache-control", CACHE_CONTROL)]
    if _matches(condition, entry.etag):
        kept = [
            (k, v)
            for k, v in entry.headers
            if k.lower() not in (b"content-length", b"content-type")
        ]
        await send({"type": "http.response.start", "status": 304, "headers": kept + cache_headers})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [(k, v) for k, v in entry.headers if k.lower() != b"cache-control"] + cache_headers
    await send({"type": "http.response.start", "status": entry.status, "headers": headers})
    await send({"type": "http.response.body", "body": entry.body})
