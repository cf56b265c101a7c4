"""SQLite connections as the portal uses them: pragmas, how transactions begin, and the
write-ahead log checkpointed beside the writers (``kit/checkpoint.py``)."""

from __future__ import annotations

import os
import sqlite3
import weakref
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

from portal_api.kit.checkpoint import Checkpointer


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself: pysqlite's own transaction handling breaks SAVEPOINT.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Large sorts (a sync's GROUP BYs over a month of hourly rows, the index built after a
    # big load) may use helper threads: the model-switch summary of 3.6 M rows took 4.0
    # instead of 5.6 s with two.
    cursor.execute(f"PRAGMA threads={SQLITE_SORT_THREADS}")
    # The log is synced when it is checkpointed, not at every commit (WAL's usual setting: a
    # crash of the process loses nothing, a power cut at most the last commits), and the
    # checkpoint runs beside the writers, not in their commits (kit/checkpoint.py).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    # The log starts over after a checkpoint, reusing its file: cut back to this size then, so
    # that the file's size says how much a checkpoint has to copy.
    cursor.execute(f"PRAGMA journal_size_limit={WAL_KEPT_BYTES}")
    cursor.close()


# What is kept of SQLite's log file when the log starts over (see kit/checkpoint.py).
WAL_KEPT_BYTES = 1024 * 1024

# SQLite's helper threads for one sort (its limit is 8; 0 sorts in the caller's thread).
SQLITE_SORT_THREADS = min(os.cpu_count() or 1, 4)


# The execution option of a connection whose transactions only read (``Database.read_scope``).
READ_ONLY = "portal_read_only"


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE: take the write lock up front, so concurrent writers queue on busy_timeout
    # instead of failing with "database is locked" when a read transaction tries to upgrade
    # (in WAL mode a deferred transaction that read before a writer committed can never
    # write: SQLITE_BUSY_SNAPSHOT, at once, whatever the timeout).
    # A read-only transaction has nothing to upgrade, so it begins deferred: it reads its WAL
    # snapshot without the write lock, never waiting for a sync step that writes, nor making
    # one wait. query_only makes a write in it fail at once (every time, not only when it
    # races a writer); it is switched off again when the transaction ends.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
        connection.exec_driver_sql("PRAGMA query_only = 1")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_end(connection: Connection) -> None:
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("PRAGMA query_only = 0")


def _checkpointing(checkpointer: Checkpointer) -> type[sqlite3.Connection]:
    """SQLite connections that tell ``checkpointer`` of every commit, once it is done."""

    class CheckpointingConnection(sqlite3.Connection):
        def commit(self) -> None:
            super().commit()
            checkpointer.committed()

    return CheckpointingConnection


_CHECKPOINTERS: weakref.WeakKeyDictionary[Engine, Checkpointer] = weakref.WeakKeyDictionary()


def checkpointer_of(engine: Engine) -> Checkpointer | None:
    """The background checkpoints of a SQLite file engine (None: another database)."""
    return _CHECKPOINTERS.get(engine)


def sqlite_engine(url: str) -> Engine:
    """An engine for a SQLite ``url``: WAL, foreign keys, transactions begun by SQLAlchemy
    (IMMEDIATE, or deferred and query-only for reads), and a file's checkpoints beside the
    writers. One connection shared for an in-memory database."""
    connect_args: dict[str, Any] = {"check_same_thread": False}
    kwargs: dict[str, Any] = {"connect_args": connect_args}
    checkpointer = None
    if url in ("sqlite://", "sqlite:///:memory:"):
        kwargs["poolclass"] = StaticPool
    else:
        checkpointer = Checkpointer(make_url(url).database or "")
        connect_args["factory"] = _checkpointing(checkpointer)
    engine = create_engine(url, **kwargs)
    if checkpointer is not None:
        _CHECKPOINTERS[engine] = checkpointer
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    event.listen(engine, "commit", _sqlite_end)
    event.listen(engine, "rollback", _sqlite_end)
    return engine
