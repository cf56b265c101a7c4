"""Database engine, sessions, column types shared by every domain, and migrations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import BigInteger, DateTime, Dialect, Table, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, create_engine

from portal_api.kit.liveness import check_at_checkout
from portal_api.kit.sqlite import READ_ONLY, sqlite_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# Ids and counters are 32-bit integer columns on every backend: every route bounds the ids
# it takes by this (a larger id answers 422, never a database error).
MAX_ID = 2**31 - 1


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite drops the offset otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self,
        value: dt.datetime | None,
        dialect: Dialect,  # noqa: ARG002
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


MONEY_SCALE = 9
_MONEY_FACTOR = Decimal(10) ** MONEY_SCALE
_MONEY_QUANTUM = Decimal(1).scaleb(-MONEY_SCALE)
_ONE = Decimal(1)


class Money(TypeDecorator[Decimal]):
    """Money as an exact Decimal, stored as an integer count of 1e-9 units.

    Integers sum exactly in SQL on SQLite and PostgreSQL alike, where SQLite's NUMERIC would
    silently turn into floating point.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> int | None:  # noqa: ARG002
        if value is None:
            return None
        if type(value) is not Decimal:  # a bulk load binds hundreds of thousands: no copy
            if isinstance(value, float):
                raise TypeError("money is Decimal, never float")
            value = Decimal(value)
        return int((value * _MONEY_FACTOR).quantize(_ONE, rounding=ROUND_HALF_EVEN))

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:  # noqa: ARG002
        if value is None:
            return None
        return (Decimal(int(value)) / _MONEY_FACTOR).quantize(_MONEY_QUANTUM)


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 10) -> Engine:
    """An engine for ``url``; ``pool_size``/``max_overflow`` size PostgreSQL's connection pool.

    Every session that writes bumps the data version the response cache keys on."""
    from portal_api.cache import track_writes

    track_writes()
    if url.startswith("sqlite"):
        return sqlite_engine(url)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # Checked at checkout by a poll of the socket, pinged only when that or idleness says so
    # (kit/liveness.py): pool_pre_ping's round trip before every checkout is not paid.
    engine = create_engine(url, pool_size=pool_size, max_overflow=max_overflow)
    check_at_checkout(engine)
    return engine


# COPY lines sent to PostgreSQL per write (about a megabyte of usage rows).
COPY_LINES = 8000
# PostgreSQL: monthly partitions live in their own schema, apart from the application's tables.
PARTITION_SCHEMA = "portal_partitions"


def _month(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(t: dt.datetime) -> dt.datetime:
    return (t + dt.timedelta(days=32)).replace(day=1)


def partition_name(table: str, month: dt.datetime) -> str:
    return f"{table}_y{month:%Y}m{month:%m}"


def ensure_month_partitions(
    connection: Connection, table: str, first: dt.datetime, last: dt.datetime
) -> None:
    """PostgreSQL: the monthly partitions of ``table`` holding [first, last] exist.

    Rows of a month written before its partition existed sit in the default partition: they
    move into the new partition before it is attached (PostgreSQL refuses it otherwise).
    """
    month = _month(first)
    while month <= last:
        upper = _next_month(month)
        name = f"{PARTITION_SCHEMA}.{partition_name(table, month)}"
        exists = connection.execute(text("SELECT to_regclass(:n)"), {"n": name}).scalar()
        if exists is None:
            bounds = {"a": month, "b": upper}
            connection.execute(
                text(f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
            )
            connection.execute(
                text(
                    f"WITH moved AS (DELETE FROM {PARTITION_SCHEMA}.{table}_default"
                    " WHERE hour >= :a AND hour < :b RETURNING *)"
                    f" INSERT INTO {name} SELECT * FROM moved"
                ),
                bounds,
            )
            connection.execute(
                text(
                    f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES"
                    f" FROM ('{month.isoformat()}') TO ('{upper.isoformat()}')"
                )
            )
        month = upper


def drop_month_partitions_before(connection: Connection, table: str, cutoff: dt.datetime) -> int:
    """PostgreSQL: drop the monthly partitions of ``table`` that end at or before ``cutoff``
    (O(1) each, whatever their size); returns how many."""
    names = connection.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE i.inhparent = CAST(:t AS regclass) AND n.nspname = :s"
        ),
        {"t": table, "s": PARTITION_SCHEMA},
    ).scalars()
    dropped = 0
    for name in sorted(names):
        suffix = name.removeprefix(f"{table}_y")
        if suffix == name or len(suffix) != 7:
            continue  # the default partition
        month = dt.datetime(int(suffix[:4]), int(suffix[5:]), 1, tzinfo=dt.UTC)
        if _next_month(month) <= cutoff:
            connection.execute(text(f"DROP TABLE {PARTITION_SCHEMA}.{name}"))
            dropped += 1
    return dropped


@contextmanager
def deferred_indexes(connection: Connection, table: Table, *, when: bool) -> Iterator[None]:
    """``when`` a load writes many rows: the table's non-unique indexes are dropped for it and
    built again after it in one sorted pass, instead of growing row by row (on SQLite that
    touches index pages all over once they outgrow the page cache). Inside the caller's
    transaction: a failed load leaves them as they were."""
    indexes = sorted((i for i in table.indexes if not i.unique), key=lambda i: str(i.name))
    if not when:
        yield
        return
    for index in indexes:
        index.drop(connection)
    yield
    for index in indexes:
        index.create(connection)


class BulkRows(Protocol):
    """Rows for ``bulk_load``, in the order of its ``columns``: as value tuples (``rows``) or
    as lines of PostgreSQL's COPY text format, each value encoded by ``field``. A source may
    also offer ``runs`` (see ``SharedRuns``): SQLite's load then takes them."""

    def rows(self) -> Iterable[Sequence[Any]]: ...

    def copy_lines(self, field: Callable[[Any], str]) -> Iterable[str]: ...


class SharedRuns(Protocol):
    def runs(self) -> Iterable[tuple[Sequence[Any], int, list[Any]]]:
        """The rows as runs that share their leading values (a sync's hour and day): per run,
        those values, the number of values each row has after them (``width``), and every
        row's own values one after the other. A run's rows may stop before the last columns
        (latency quantiles most series lack): those are NULL."""
        ...


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_field(value: Any) -> str:
    """One value as a field of PostgreSQL's COPY text format: NULL as ``\\N``, datetimes
    (aware) in UTC, strings escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


def bulk_load(connection: Connection, table: Table, columns: Sequence[str], data: BulkRows) -> int:
    """Append many rows to ``table``: COPY on PostgreSQL, multi-row INSERTs on SQLite.

    For rollups of millions of rows, where SQLAlchemy's per-row statement handling costs more
    than the database. On PostgreSQL the rows come as COPY text lines (``data.copy_lines``,
    encoded by ``copy_field``) sent a megabyte at a time; on SQLite as ``data.runs()`` when
    the source has them (``SharedRuns``), else ``data.rows()``, in INSERTs of up to
    ROWS_PER_INSERT rows whose values still go through each column's bind processing
    (UTCDateTime, Money), memoised per value for datetimes. Returns the number of rows written.
    """
    dialect = connection.dialect
    names = ", ".join(columns)
    written = 0
    if dialect.name == "postgresql":
        from portal_api.cache import mark_written
        from portal_api.kit.copy_writer import SendingWriter

        # COPY goes through the driver's cursor, past the statement events that count writes.
        mark_written(connection, [table.name])
        raw = connection.connection.driver_connection
        assert raw is not None
        with (
            raw.cursor() as cursor,
            cursor.copy(
                f"COPY {table.name} ({names}) FROM STDIN", writer=SendingWriter(cursor)
            ) as copy,
        ):
            chunk: list[str] = []
            for line in data.copy_lines(copy_field):
                chunk.append(line)
                if len(chunk) >= COPY_LINES:
                    copy.write("".join(chunk))
                    written += len(chunk)
                    chunk = []
            copy.write("".join(chunk))
            written += len(chunk)
        return written
    load = _MultiRowLoad(connection, table, columns)
    runs = getattr(data, "runs", None)
    if runs is not None:
        return sum(load.run(head, width, values) for head, width, values in runs())
    width = len(columns)
    values: list[Any] = []
    for row in data.rows():
        if len(row) != width:
            raise ValueError(f"a row of {len(row)} values for {width} columns")
        values.extend(row)
        if len(values) >= LOAD_ROWS * width:
            written += load.run((), width, values)
            values = []
    return written + load.run((), width, values)


# SQLite: rows per INSERT statement (binding a statement's values is what a row costs there:
# executemany of one-row INSERTs paid a statement step per row, 3x the CPU), and rows of a
# source without runs gathered per call.
ROWS_PER_INSERT = 64
LOAD_ROWS = 4096


# A column's bind processing: its index among the columns loaded, the processor, and a memo
# of processed values (for datetimes, of which a load has few distinct ones) or None.
BindProcessing = tuple[int, Callable[[Any], Any], dict[Any, Any] | None]


def bind_processors(table: Table, columns: Sequence[str], dialect: Dialect) -> list[BindProcessing]:
    """The bind processing of the ``columns`` of ``table`` whose type processes values (UTC
    datetimes, money): only those cost a step per value."""
    types = [table.c[name].type for name in columns]
    return [
        (i, process, {} if isinstance(t, UTCDateTime) else None)
        for i, t in enumerate(types)
        if (process := t.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]


def processed(value: Any, process: Callable[[Any], Any], memo: dict[Any, Any] | None) -> Any:
    """``value`` as its column stores it (None stays None)."""
    if value is None:
        return None
    if memo is None:
        return process(value)
    found = memo.get(value)
    if found is None:
        found = memo[value] = process(value)
    return found


class _MultiRowLoad:
    """SQLite's bulk load: INSERTs of up to ROWS_PER_INSERT rows, a run's shared values bound
    once per statement (``?1``..``?n`` in every row's group). A run's rows left over go in
    statements of 32, 16, ... 1 rows, so few statement shapes are compiled (and kept in the
    driver's statement cache)."""

    def __init__(self, connection: Connection, table: Table, columns: Sequence[str]) -> None:
        self.connection, self.table, self.columns = connection, table, list(columns)
        self.active = bind_processors(table, columns, connection.dialect)
        self.statements: dict[tuple[int, int, int], str] = {}

    def _statement(self, lead: int, width: int, n: int) -> str:
        key = (lead, width, n)
        found = self.statements.get(key)
        if found is None:
            shared = [f"?{k + 1}" for k in range(lead)]
            groups = []
            for r in range(n):
                first = lead + 1 + r * width
                marks = ", ".join([*shared, *(f"?{first + k}" for k in range(width))])
                groups.append(f"({marks})")
            names = ", ".join(self.columns[: lead + width])
            found = f"INSERT INTO {self.table.name} ({names}) VALUES {', '.join(groups)}"
            self.statements[key] = found
        return found

    def run(self, head: Sequence[Any], width: int, values: list[Any]) -> int:
        """Write one run; returns its number of rows."""
        lead = len(head)
        if width < 1 or lead + width > len(self.columns) or len(values) % width:
            raise ValueError(
                f"{len(values)} values in rows of {width} after {lead} shared, "
                f"for {len(self.columns)} columns"
            )
        bound = list(head)
        for i, process, cache in self.active:
            if i < lead:
                bound[i] = processed(bound[i], process, cache)
            elif i < lead + width:
                k = i - lead
                values[k::width] = [processed(v, process, cache) for v in values[k::width]]
        rows = left = len(values) // width
        step, at = ROWS_PER_INSERT, 0
        while left:
            if left < step:
                step //= 2
                continue
            end = at + step * width
            self.connection.exec_driver_sql(
                self._statement(lead, width, step), (*bound, *values[at:end])
            )
            at, left = end, left - step
        return rows


class Database:
    """Hands out sessions; bound to an engine, or (in tests) to one open connection."""

    def __init__(self, bind: Engine | Connection) -> None:
        self.bind = bind
        # The same pool, for transactions that only read (see ``_sqlite_begin``); a test's
        # connection stays as it is (its options change in place).
        self._reads = (
            bind.execution_options(**{READ_ONLY: True}) if isinstance(bind, Engine) else bind
        )

    @property
    def dialect(self) -> str:
        return self.bind.dialect.name

    def session(self, *, read_only: bool = False) -> Session:
        """``read_only``: a transaction that only reads; on SQLite it begins deferred (no write
        lock) and refuses writes (see ``_sqlite_begin``)."""
        if isinstance(self.bind, Connection):
            # Tests run inside an outer transaction: commits become savepoints.
            return Session(
                bind=self.bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
            )
        return Session(bind=self._reads if read_only else self.bind, expire_on_commit=False)

    @contextmanager
    def session_scope(self, *, read_only: bool = False) -> Iterator[Session]:
        """One transaction: commit on success, roll back on error."""
        session = self.session(read_only=read_only)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> None:
        with self.session() as session:
            session.exec(text("SELECT 1"))  # type: ignore[call-overload]


def alembic_config(bind: Engine | Connection) -> Config:
    # Alembic (and Mako under it) loads only to migrate: about 10 MB less in each serve worker.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = bind
    return config


def migrate(bind: Engine | Connection) -> None:
    """Apply every migration (all heads: domains branch off the foundation revision)."""
    from alembic import command

    if isinstance(bind, Connection):
        command.upgrade(alembic_config(bind), "heads")
        return
    with bind.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several replicas may start at once: one migrates, the others wait for it.
            connection.execute(text("SELECT pg_advisory_xact_lock(7243100001)"))
        command.upgrade(alembic_config(connection), "heads")
