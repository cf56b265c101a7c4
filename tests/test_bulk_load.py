"""bulk_load: COPY on PostgreSQL (sent by a thread of its own while the next lines are built),
executemany on SQLite. Every row arrives, in order; a load that fails half way, on our side or
on the server's, raises and leaves the table as it was."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from sqlalchemy import BigInteger, Column, MetaData, String, Table, create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from portal_api.db import Money, UTCDateTime, bulk_load, copy_field


class Rows:
    """``n`` rows (id, name) from id ``first``; the read raises at row ``fail_after``, and row ``bad_at`` has
    no name (the table refuses it), when they are set."""

    def __init__(
        self, n: int, *, first: int = 100, fail_after: int | None = None, bad_at: int | None = None
    ):
        self.n, self.first, self.fail_after, self.bad_at = n, first, fail_after, bad_at

    def rows(self) -> Iterator[tuple[Any, ...]]:
        for i in range(self.first, self.first + self.n):
            if i == self.fail_after:
                raise RuntimeError("the read broke half way")
            yield (i, None if i == self.bad_at else f"row\t{i}\\" + "x" * 40)

    def copy_lines(self, field: Callable[[Any], str]) -> Iterator[str]:
        for i, name in self.rows():
            yield f"{i}\t{field(name)}\n"


@pytest.fixture
def table(engine: Engine) -> Iterator[Table]:
    meta = MetaData()
    scratch = Table(
        f"bulk_{uuid.uuid4().hex[:8]}",
        meta,
        Column("id", BigInteger, primary_key=True),
        Column("name", String, nullable=False),
    )
    meta.create_all(engine)
    with engine.begin() as conn:
        bulk_load(conn, scratch, ["id", "name"], Rows(3, first=0))
    yield scratch
    meta.drop_all(engine)


def _ids(engine: Engine, table: Table) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(select(table.c.id).order_by(table.c.id)).scalars())


def test_every_row_arrives_in_order_with_its_text_intact(engine: Engine, table: Table) -> None:
    # 60,000 rows: several COPY writes of 8,000 lines, each many pieces through the queue.
    with engine.begin() as conn:
        conn.execute(table.delete())
        assert bulk_load(conn, table, ["id", "name"], Rows(60_000)) == 60_000
    assert _ids(engine, table) == list(range(100, 60_100))
    with engine.connect() as conn:
        name = conn.execute(select(table.c.name).where(table.c.id == 60_099)).scalar_one()
    assert name == "row\t60099\\" + "x" * 40  # tab and backslash escaped, read back as sent


@pytest.mark.parametrize("fail_after", [0, 5_000, 30_000])
def test_a_read_that_breaks_half_way_raises_and_stores_nothing(
    engine: Engine, table: Table, fail_after: int
) -> None:
    with pytest.raises(RuntimeError, match="half way"), engine.begin() as conn:
        bulk_load(conn, table, ["id", "name"], Rows(60_000, fail_after=100 + fail_after))
    assert _ids(engine, table) == [0, 1, 2]  # what was there before
    with engine.begin() as conn:  # the connection and the table still work
        conn.execute(table.delete())
        assert bulk_load(conn, table, ["id", "name"], Rows(10)) == 10
    assert _ids(engine, table) == list(range(100, 110))


def test_the_database_refusing_a_row_raises_and_stores_nothing(
    engine: Engine, table: Table
) -> None:
    # COPY runs on the driver's cursor: psycopg's error, not SQLAlchemy's wrapper of it.
    refused = (IntegrityError, psycopg.errors.IntegrityError)
    with pytest.raises(refused, match="name"), engine.begin() as conn:
        bulk_load(conn, table, ["id", "name"], Rows(60_000, bad_at=41_000))
    assert _ids(engine, table) == [0, 1, 2]


def test_copy_field_escapes_what_copy_text_format_reserves() -> None:
    assert copy_field(None) == "\\N"
    assert copy_field("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"


class Typed:
    """Rows whose columns the database types process: datetimes (memoised) and money."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def rows(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._rows)

    def copy_lines(self, field: Callable[[Any], str]) -> Iterator[str]:
        for row in self._rows:
            yield "\t".join(field(v) for v in row) + "\n"


@pytest.mark.parametrize("money", [False, True])
def test_processed_columns_read_back_as_written(engine: Engine, money: bool) -> None:
    # the hour (a memoised datetime, NULL in some rows) alone, and with a money column
    meta = MetaData()
    columns = [Column("hour", UTCDateTime), Column("id", BigInteger, primary_key=True)]
    if money:
        columns.append(Column("cost", Money))
    typed = Table(f"typed_{uuid.uuid4().hex[:8]}", meta, *columns)
    meta.create_all(engine)
    start = dt.datetime(2026, 11, 29, 5, tzinfo=dt.UTC)
    rows = [
        (None if i % 7 == 3 else start + dt.timedelta(hours=i % 3), i)
        + ((Decimal("0.000000001") * i,) if money else ())
        for i in range(12_000)
    ]
    try:
        with engine.begin() as conn:
            names = ["hour", "id", "cost"] if money else ["hour", "id"]
            if engine.dialect.name == "postgresql" and money:
                # COPY takes stored values: money as its integer count of 1e-9 units
                data = Typed([(h, i, int(c * 10**9)) for h, i, c in rows])
            else:
                data = Typed(rows)
            assert bulk_load(conn, typed, names, data) == 12_000
        with engine.connect() as conn:
            back = conn.execute(select(typed).order_by(typed.c.id)).all()
        assert [tuple(r) for r in back] == rows
    finally:
        meta.drop_all(engine)


class Runs(Typed):
    """Typed rows that share their first two values along runs, as SharedRuns: each run's
    rows that end in None written without those last values."""

    def runs(self) -> Iterator[tuple[tuple[Any, ...], int, list[Any]]]:
        by_head: dict[tuple[Any, ...], dict[int, list[Any]]] = {}
        for row in self._rows:
            own = list(row[2:])
            while own and own[-1] is None:
                own.pop()
            by_head.setdefault(row[:2], {}).setdefault(len(own), []).extend(own)
        for head, widths in by_head.items():
            for width, values in widths.items():
                yield head, width, values


@pytest.mark.parametrize("run", [1, 63, 64, 65, 200])
def test_runs_sharing_their_lead_and_rows_without_their_tail_read_back_as_written(
    engine: Engine, run: int
) -> None:
    # A sync's rows: the hour and day shared along each hour's run (bound once per statement on
    # SQLite), the quantiles None in most rows (written without those columns there). Runs of
    # every length around the statement's 64 rows, rows with part of a tail or all of it, and a
    # processed column (money) among each row's own values.
    meta = MetaData()
    typed = Table(
        f"runs_{uuid.uuid4().hex[:8]}",
        meta,
        Column("hour", UTCDateTime, nullable=False),
        Column("day", UTCDateTime, nullable=False),
        Column("id", BigInteger, primary_key=True),
        Column("name", String, nullable=False),
        Column("cost", Money),
        Column("p50", BigInteger),
        Column("p95", BigInteger),
    )
    meta.create_all(engine)
    start = dt.datetime(2026, 11, 29, 5, tzinfo=dt.UTC)
    rows: list[tuple[Any, ...]] = []
    for h in range(5):
        hour = start + dt.timedelta(hours=h)
        for _ in range(run + h):  # lengths run .. run + 4
            i = len(rows)
            tail = (None, None) if i % 3 else ((i, None) if i % 2 else (i, i + 1))
            rows.append((hour, hour.replace(hour=0), i, f"it's {i}\t", Decimal(i) / 8, *tail))
    names = ["hour", "day", "id", "name", "cost", "p50", "p95"]
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                data: Typed = Typed([(*r[:4], int(r[4] * 10**9), *r[5:]) for r in rows])
            else:
                data = Runs(rows)
            assert bulk_load(conn, typed, names, data) == len(rows)
        with engine.connect() as conn:
            back = conn.execute(select(typed).order_by(typed.c.id)).all()
        assert [tuple(r) for r in back] == rows
    finally:
        meta.drop_all(engine)


def test_a_run_that_does_not_fit_the_columns_is_refused() -> None:
    # SQLite's load takes runs (PostgreSQL's takes COPY lines).
    engine = create_engine("sqlite://")
    meta = MetaData()
    scratch = Table("scratch", meta, Column("id", BigInteger), Column("name", String))
    meta.create_all(engine)

    class Bad(Rows):
        def __init__(self, width: int, values: list[Any]) -> None:
            super().__init__(0)
            self.width, self.values = width, values

        def runs(self) -> Iterator[tuple[tuple[Any, ...], int, list[Any]]]:
            yield (), self.width, self.values

    for bad, message in [
        (Bad(2, [1, "a", 2]), "3 values in rows of 2"),  # a value short
        (Bad(3, [1, "a", 2]), "rows of 3 after 0 shared, for 2 columns"),  # too wide
        (Bad(0, []), "rows of 0"),
    ]:
        with pytest.raises(ValueError, match=message), engine.begin() as conn:
            bulk_load(conn, scratch, ["id", "name"], bad)
    with engine.connect() as conn:
        assert conn.execute(select(scratch)).all() == []
