"""A response cache for the API's GET reads, keyed on the data versions of the tables read.

Every transaction that writes bumps, just before it commits, the version of each table it
wrote (one row per table in ``portal_table_version``); an answer is keyed on the versions of
the tables its statements read, and served only while they are current, so the read after a
write is fresh; replicas and the sync process share the rows through the database.

Every cached read first reads the versions, so a read that starts after a write committed, in
any worker, replica or the sync process, never gets an answer from before it; requests that
ask at the same moment share one read of them that started after they asked. Requests that
miss the same key while its answer is being computed wait for that answer (or its error)
instead of computing it again. Each worker keeps at most ``max_bytes`` of answers (least
recently used go first) and none older than ``ttl_seconds`` (answers that depend on the clock,
e.g. staleness, move on even without a write). Keys are (caller, path, query): the token is
checked, and must carry the ``read`` scope, before an answer is served from the cache; a
caller only ever gets answers computed for it. Answers carry an ``ETag`` (a hash of the body)
and ``Cache-Control: private, no-cache``: a client revalidates with ``If-None-Match``, 304.
An app's usage and costs are keyed on their canonical query (the whole hours of the window),
and on a miss looked up in the answers the sync stored (``stored``: the second level, shared
by every worker and replica, served under the same conditions).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import BigInteger, Column, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_api.answer import Entry, replay
from portal_api.auth import TokenStore
from portal_api.kit.coalesce import SharedRead
from portal_api.kit.lookup import Lookups, lookups_of
from portal_api.observability import COMPUTED, FROM_MEMORY, FROM_STORED, WAITED

TABLE = "portal_table_version"
ANSWERS = "portal_answer"  # the stored answers (portal_api.stored): no reader depends on them
# Statements that change data (the first word); everything else is a read.
_WRITES = frozenset(
    {"INSERT", "UPDATE", "DELETE", "MERGE", "COPY", "TRUNCATE", "CREATE", "DROP", "ALTER"}
)
# The version every answer depends on: bumped by a write whose tables are not known.
ANY = "*"
_WROTE = "portal_wrote"
COMPUTING = 2  # answers computed at once per worker; the others queue (the hits do not)
_CONNECTIONS = "portal_connections"
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# What readers derive from a table, versioned apart from it: a write of the table bumps them
# too, unless its writer knows it left them unchanged (``unmark``). The sync's step rows are
# rewritten by every step of a pass, but the freshness every read carries (the least recent
# success of a source's steps) moves once a pass, and a step's watermark once that step.
FRESHNESS = "sourcestatus:freshness"
WATERMARKS = "sourcestatus:watermarks"  # every step's watermark (a write that does not say)
_DERIVED = {"sourcestatus": (FRESHNESS, WATERMARKS)}


def watermark(step: str) -> str:
    """The version of one step's watermark (its readers depend on WATERMARKS too)."""
    return f"sourcestatus:watermark:{step}"


# The tables the statements of the request being computed read (None: not computing one).
_touched: ContextVar[set[str] | None] = ContextVar("portal_touched_tables", default=None)


class TableVersion(SQLModel, table=True):
    """One row per table: bumped by every transaction that writes it (the response cache's key)."""

    __tablename__ = TABLE

    name: str = Field(primary_key=True, max_length=128)
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))


# The table a write statement writes: the name after its verb.
_TARGET = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO|COPY|TRUNCATE"
    r"(?:\s+TABLE)?|(?:CREATE|DROP|ALTER)\s+(?:UNLOGGED\s+)?TABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?)"
    r"\s+([\w.\"]+)",
    re.IGNORECASE,
)
_DML = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


class _TableNames:
    """The tables a SQL statement reads, by its words (an application table's name, or a
    partition's: ``usage_hourly_y2026m11`` is ``usage_hourly``), and the tables it writes (the
    table after its verb; every table it names when that is not one, e.g. ``CREATE INDEX``, a
    ``WITH`` that writes; ANY when it names none). Over-counting only costs cache entries; a
    process repeats its statements, so each text is scanned once."""

    def __init__(self) -> None:
        self._known: frozenset[str] = frozenset()
        self._count = -1
        self._seen: dict[str, tuple[frozenset[str], frozenset[str] | None]] = {}

    def reads(self, statement: str) -> frozenset[str]:
        return self._scan(statement)[0]

    def writes(self, statement: str) -> frozenset[str] | None:
        """The tables ``statement`` writes; None for a read."""
        return self._scan(statement)[1]

    def _scan(self, statement: str) -> tuple[frozenset[str], frozenset[str] | None]:
        tables = SQLModel.metadata.tables
        if len(tables) != self._count:
            self._known = frozenset(t.name for t in tables.values()) - {TABLE, ANSWERS}
            self._count = len(tables)
            self._seen.clear()
        found = self._seen.get(statement)
        if found is None:
            if len(self._seen) > 4096:
                self._seen.clear()
            named = frozenset(self._table(w) for w in set(_WORD.findall(statement))) - {""}
            found = (named, self._written(statement, named))
            self._seen[statement] = found
        return found

    def _written(self, statement: str, named: frozenset[str]) -> frozenset[str] | None:
        head = statement.lstrip()[:9].split(None, 1)
        verb = head[0].upper() if head else ""
        if verb == "WITH" and _DML.search(statement):
            return named or frozenset({ANY})
        if verb not in _WRITES:
            return None
        target = _TARGET.match(statement)
        name = target.group(1).rsplit(".", 1)[-1].strip('"').lower() if target else ""
        if name in (TABLE, ANSWERS):
            return frozenset()  # versioned themselves / read by no answer: nothing to bump
        table = self._table(name)
        return frozenset({table}) if table else named or frozenset({ANY})

    def _table(self, word: str) -> str:
        word = word.lower()
        if word in self._known:
            return word
        while "_" in word:
            word = word.rsplit("_", 1)[0]
            if word in self._known:
                return word
        return ""


tables_of = _TableNames()


def _before_cursor_execute(conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
    written = tables_of.writes(statement)
    if written is not None:
        mark_written(conn, written)
        return
    touched = _touched.get()
    if touched is not None:
        touched.update(tables_of.reads(statement))


def mark_written(connection: Connection, tables: Iterable[str]) -> None:
    """Count ``tables`` as written by the connection's transaction (for writes that bypass
    SQLAlchemy's statement events, such as a COPY through the driver's cursor)."""
    written = connection.info.setdefault(_WROTE, set())
    for table in tables:
        written.add(table)
        written.update(_DERIVED.get(table, ()))


def unmark(connection: Connection, names: Iterable[str]) -> None:
    """Count ``names`` (what readers derive from a table, e.g. FRESHNESS) as not changed by the
    connection's transaction so far: its writer compared them before and after its writes."""
    connection.info.get(_WROTE, set()).difference_update(names)


@contextmanager
def reads_as(*names: str) -> Iterator[None]:
    """The statements run inside count as reading ``names`` (what readers derive from the
    tables they name, each bumped on every change of it) instead of those tables."""
    outer = _touched.get()
    if outer is None:
        yield
        return
    token = _touched.set(set())
    try:
        yield
    finally:
        _touched.reset(token)
        outer.update(names)


def _after_begin(session: OrmSession, transaction: Any, connection: Connection) -> None:
    if transaction.parent is None and not transaction.nested:
        connection.info.pop(_WROTE, None)  # tables left by a rolled back transaction
    connections = session.info.setdefault(_CONNECTIONS, [])
    if connection not in connections:
        connections.append(connection)


def _before_commit(session: OrmSession) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: its writes count when the whole transaction commits
    session.flush()  # the ORM's pending writes flush after this hook: count them too
    for connection in session.info.get(_CONNECTIONS, []):
        if connection.closed:
            continue
        written = connection.info.pop(_WROTE, None)
        if written:
            bump(connection, written)


def _after_transaction_end(session: OrmSession, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_CONNECTIONS, None)


def bump(connection: Connection, tables: Iterable[str] = (ANY,)) -> None:
    """Bump the versions of ``tables`` in the connection's transaction (rows created when
    missing), in name order: two writers of the same tables lock their rows in one order."""
    for name in sorted(set(tables)):
        connection.execute(_BUMP, {"name": name})
    connection.info.pop(_WROTE, None)


_BUMP = text(
    f"INSERT INTO {TABLE} (name, version) VALUES (:name, 1)"
    f" ON CONFLICT (name) DO UPDATE SET version = {TABLE}.version + 1"
)

_installed = False


def track_writes() -> None:
    """Make every session that writes bump the versions of the tables it wrote, and record the
    tables the reads of a cached request touch (idempotent, process-wide)."""
    global _installed
    if _installed:
        return
    event.listen(Engine, "before_cursor_execute", _before_cursor_execute)
    event.listen(OrmSession, "after_begin", _after_begin)
    event.listen(OrmSession, "before_commit", _before_commit)
    event.listen(OrmSession, "after_transaction_end", _after_transaction_end)
    _installed = True


VERSIONS = f"SELECT name, version FROM {TABLE}"


async def lookup_versions(lookups: Lookups) -> dict[str, int] | None:
    """Every table's data version (a table never written is absent: version 0); None when
    there is no version table (nothing to key on). Read outside a transaction (``kit.lookup``):
    no BEGIN and ROLLBACK round trips on PostgreSQL, no lock on SQLite."""
    try:
        return dict(await lookups.rows(VERSIONS))
    except Exception:  # no table yet, database down: do not cache
        return None


_ALL = "+"  # an answer that read no table is keyed on the sum of every version


def depends(versions: dict[str, int], tables: Iterable[str] | None) -> tuple[tuple[str, int], ...]:
    """What an answer computed at ``versions`` from ``tables`` is keyed on: those tables'
    versions and ANY's. One that read no table (e.g. from a process-wide copy of some rows)
    is keyed on every version (they only grow: their sum moves with any write)."""
    if not tables:
        return ((_ALL, sum(versions.values())),)
    return tuple(sorted((name, versions.get(name, 0)) for name in {*tables, ANY}))


def fresh(deps: tuple[tuple[str, int], ...], versions: dict[str, int]) -> bool:
    """Whether an answer keyed on ``deps`` is still current at ``versions``."""
    return all(
        (sum(versions.values()) if name == _ALL else versions.get(name, 0)) == version
        for name, version in deps
    )


class _Flight:
    """One computation of a key in progress: requests that miss the same key meanwhile wait
    for its answer (or its error) instead of computing it again."""

    def __init__(self) -> None:
        self.done = asyncio.Event()
        self.answer: Entry | None = None  # any status; only a 200 is stored
        self.error: Exception | None = None


class ResponseCache:
    """Answers of GET ``/api/v1`` reads, LRU-bounded, keyed on the data version."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, ttl_seconds: float, stored: Any = None
    ) -> None:
        self.app = app
        # The second level (``stored.StoredLevel``): canonical keys and the stored answers.
        self.stored = stored
        # Told every 200 answer computed, with its canonical key (the sync's ``precompute``).
        self.sink: Callable[[str, Entry, bytes], None] | None = None
        self.max_bytes = max_bytes
        self.ttl = ttl_seconds
        self._entries: OrderedDict[tuple[str, str, bytes], Entry] = OrderedDict()
        self._bytes = 0
        self._flights: dict[tuple[str, str, bytes], _Flight] = {}
        self._versions: tuple[object, SharedRead[dict[str, int] | None]] | None = None
        self._computing: tuple[object, asyncio.Semaphore] | None = None
        self.hits = 0
        self.misses = 0
        self.computed = 0  # answers computed (misses that did not wait for another's)

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
        if caller is None:
            await self.app(scope, receive, send)  # the route refuses
            return
        query = scope.get("query_string", b"")
        canonical = self.stored.canonical(scope["path"], query) if self.stored else None
        # A stored read is keyed on its canonical query: equal answers share one entry.
        key = (caller, scope["path"], canonical.encode() if canonical else query)
        storing = bool(canonical) and self.stored.serve
        stored = None
        if storing and key not in self._entries:
            # The versions and its stored answer in one hop on one connection (it is served
            # only if every version it was computed at is the one read just before).
            versions, stored = await self.stored.fetch_with_versions(state, canonical)
            storing = False
        else:
            versions = await self._current_versions(lookups_of(state))
        if versions is None:
            await self.app(scope, receive, send)  # nothing to key on
            return
        entry = self._fresh(key, versions)
        if entry is None and storing:  # the one in memory is older than the versions
            stored = await self.stored.fetch(state, canonical)
            entry = self._fresh(key, versions)  # another request's, computed meanwhile
        counted = FROM_MEMORY
        if entry is None and stored is not None:
            entry = self.stored.entry(stored, state, versions)
            if entry is not None:
                self._store(key, entry)
                counted = FROM_STORED
        if entry is not None:
            self.hits += 1
            counted.inc()
            await replay(entry, scope, send)
            return
        self.misses += 1
        while (flight := self._flights.get(key)) is not None:
            # The same answer is being computed: wait for it rather than compute it twice.
            await flight.done.wait()
            if flight.error is not None:
                raise flight.error  # not cached: the next request computes again
            answer = flight.answer
            if answer is not None and fresh(answer.deps, versions):
                WAITED.inc()
                await replay(answer, scope, send)
                return
            # Computed before a write this request must see, or its caller went away.
        flight = self._flights[key] = _Flight()
        self.computed += 1
        COMPUTED.inc()
        try:
            async with self._slots():
                await self._compute(scope, receive, send, key, versions, flight, canonical)
        except Exception as exc:
            flight.error = exc
            raise
        finally:
            del self._flights[key]
            flight.done.set()

    def _slots(self) -> asyncio.Semaphore:
        """At most COMPUTING answers computed at once per worker (of its event loop): on a
        few CPUs more only share them slower, each holding its rows in memory meanwhile."""
        loop = asyncio.get_running_loop()
        if self._computing is None or self._computing[0] is not loop:
            self._computing = (loop, asyncio.Semaphore(COMPUTING))
        return self._computing[1]

    def _fresh(self, key: tuple[str, str, bytes], versions: dict[str, int]) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None or entry.expires <= time.monotonic() or not fresh(entry.deps, versions):
            return None
        self._entries.move_to_end(key)
        return entry

    async def _current_versions(self, lookups: Lookups) -> dict[str, int] | None:
        # Read for every request (a version remembered for even a second would let a read
        # that follows a write in another worker answer from before it), but concurrent
        # requests share one read that started after they asked.
        if self._versions is None or self._versions[0] is not lookups:
            self._versions = (lookups, SharedRead(lambda: lookup_versions(lookups)))
        return await self._versions[1].get()

    async def _compute(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        key: tuple[str, str, bytes],
        versions: dict[str, int],
        flight: _Flight,
        canonical: str | None,
    ) -> None:
        # The versions were read before the answer's own reads: a write that commits in
        # between leaves the entry keyed on the older version, so it is recomputed next time.
        touched: set[str] = set()
        now = time.monotonic()
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
            ok = start["status"] == 200
            entry = flight.answer = Entry(
                deps=depends(versions, touched),
                expires=now + self.ttl,
                status=start["status"],
                headers=headers if ok else list(start.get("headers", [])),
                body=zlib.compress(body, 1) if ok else body,
                etag=b'"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b'"',
            )
            if entry.status == 200:
                self._store(key, entry)
                if self.sink is not None and canonical:
                    self.sink(canonical, entry, body)
            await replay(entry, scope, send, body)

        token = _touched.set(touched)
        try:
            await self.app(scope, receive, capture)
        finally:
            _touched.reset(token)

    def _store(self, key: tuple[str, str, bytes], entry: Entry) -> None:
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
