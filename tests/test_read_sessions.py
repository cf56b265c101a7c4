"""SQLite transactions that only read begin deferred: they neither wait for a writer holding
the write lock (a sync step) nor hold it themselves, and they refuse to write (a deferred
transaction that read before a writer committed could never write: SQLITE_BUSY_SNAPSHOT)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from portal_api.cache import TABLE
from portal_api.db import Database, make_engine, migrate
from portal_api.kit.sqlite import SQLITE_SORT_THREADS
from tests.test_response_cache import versions_of
from tests.test_stored_answers import versions_and_row


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'reads.db'}")
    migrate(engine)  # a session's writes bump the response cache's table versions
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
    yield engine
    engine.dispose()


def test_a_read_neither_waits_for_nor_sees_a_writer_in_progress(engine: Engine) -> None:
    db = Database(engine)
    with engine.connect() as writer:
        writer.begin()  # BEGIN IMMEDIATE: holds the write lock until it ends
        writer.execute(text("INSERT INTO t VALUES (2)"))
        t = time.perf_counter()
        with db.session_scope(read_only=True) as session:
            seen = session.execute(text("SELECT n FROM t")).scalars().all()
        # An IMMEDIATE begin would wait busy_timeout (10 s) for the lock, then fail.
        assert time.perf_counter() - t < 2
        assert seen == [1]
        writer.commit()
    with db.session_scope(read_only=True) as session:
        assert session.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 2]


def test_the_cache_reads_before_every_answer_take_no_write_lock(engine: Engine) -> None:
    # The table versions (read before every cached GET) and a stored answer are read outside
    # a transaction: while a sync step holds the write lock they answer at once, not after
    # busy_timeout (10 s) with "database is locked" (then: nothing to key on).
    with engine.begin() as connection:
        connection.execute(text(f"INSERT INTO {TABLE} (name, version) VALUES ('t', 7)"))
    with engine.connect() as writer:
        writer.begin()  # BEGIN IMMEDIATE: holds the write lock until it ends
        writer.execute(text("INSERT INTO t VALUES (2)"))
        t = time.perf_counter()
        versions = versions_of(engine)
        both = versions_and_row(engine, "/api/v1/apps/none/usage")
        assert time.perf_counter() - t < 2
        writer.commit()
    assert versions is not None
    assert versions["t"] == 7
    assert both == (versions, None)


def test_a_read_only_transaction_refuses_to_write_and_leaves_its_connection_writable(
    engine: Engine,
) -> None:
    db = Database(engine)
    with (
        pytest.raises(OperationalError, match="readonly"),
        db.session_scope(read_only=True) as session,
    ):
        session.execute(text("INSERT INTO t VALUES (3)"))
    with db.session_scope(read_only=True) as session:
        session.execute(text("SELECT 1"))
    # The pool hands the same connection back: query_only is off again outside reads.
    with db.session_scope() as session:
        session.execute(text("INSERT INTO t VALUES (4)"))
    with db.session_scope() as session:
        assert session.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 4]


def test_every_connection_sorts_with_helper_threads_on_a_multicore_machine(
    engine: Engine,
) -> None:
    # a sync's GROUP BYs over millions of hourly rows and its index builds use the other cores
    with engine.connect() as connection:
        threads = connection.execute(text("PRAGMA threads")).scalar()
    assert threads == SQLITE_SORT_THREADS == min(os.cpu_count() or 1, 4)
