"""SQLite's WAL checkpoints run beside the writers (``kit/checkpoint.py``), not in the commit
that takes the log over the threshold: the log is copied into the database file by a thread
of the engine's, everything committed is read back after the engine is opened again, and a
database file that went away is never created again by a late checkpoint."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from portal_api.db import Database, make_engine, migrate
from portal_api.kit.checkpoint import THRESHOLD, Checkpointer
from portal_api.kit.sqlite import WAL_KEPT_BYTES, checkpointer_of

ROW = "x" * 1000


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "portal.db"


@pytest.fixture
def engine(path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER, s TEXT)"))
    yield engine
    engine.dispose()


def _write(engine: Engine, rows: int, first: int = 0) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO t VALUES (:n, :s)"),
            [{"n": first + n, "s": ROW} for n in range(rows)],
        )


def test_no_commit_checkpoints_and_every_connection_says_so(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA journal_size_limit")).scalar() == WAL_KEPT_BYTES


def test_a_commit_over_the_threshold_is_checkpointed_by_the_engine_thread(
    engine: Engine, path: Path
) -> None:
    checkpointer = checkpointer_of(engine)
    assert isinstance(checkpointer, Checkpointer)
    _write(engine, 10)  # a few KB of log: no checkpoint asked for
    assert checkpointer.wait(60)
    assert checkpointer.checkpoints == 0
    before = path.stat().st_size
    rows = 2 * THRESHOLD // len(ROW)
    _write(engine, rows, first=10)
    assert os.stat(f"{path}-wal").st_size >= THRESHOLD
    assert checkpointer.wait(60)
    assert checkpointer.checkpoints == 1
    # The rows are in the database file itself now, not only in the log.
    assert path.stat().st_size >= before + rows * len(ROW)
    # The next write starts the log over, its file cut back: nothing left to copy.
    _write(engine, 1, first=10 + rows)
    assert os.stat(f"{path}-wal").st_size <= WAL_KEPT_BYTES < THRESHOLD
    assert checkpointer.wait(60)
    assert checkpointer.checkpoints == 1
    engine.dispose()
    again = make_engine(f"sqlite:///{path}")
    with again.connect() as connection:
        assert connection.execute(text("SELECT count(*), max(n) FROM t")).one() == (
            rows + 11,
            rows + 10,
        )
    again.dispose()


def test_a_session_commit_is_checkpointed_too(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    db = Database(engine)
    with db.session_scope() as session:
        session.execute(text("CREATE TABLE t (n INTEGER, s TEXT)"))
        for n in range(2 * THRESHOLD // len(ROW)):
            session.execute(text("INSERT INTO t VALUES (:n, :s)"), {"n": n, "s": ROW})
    checkpointer = checkpointer_of(engine)
    assert checkpointer is not None
    assert checkpointer.wait(60)
    assert checkpointer.checkpoints == 1
    engine.dispose()


def test_a_database_that_went_away_is_not_created_again(tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    folder.mkdir()
    engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    checkpointer = checkpointer_of(engine)
    assert checkpointer is not None
    engine.dispose()
    (folder / "portal.db").unlink()
    checkpointer.checkpoint()  # skipped, no error
    assert not (folder / "portal.db").exists()
    shutil.rmtree(folder)
    checkpointer.checkpoint()
    assert not folder.exists()
    assert checkpointer.checkpoints == 0


def test_memory_databases_have_no_checkpointer() -> None:
    assert checkpointer_of(make_engine("sqlite://")) is None
    assert checkpointer_of(make_engine("sqlite:///:memory:")) is None
