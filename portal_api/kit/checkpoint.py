"""SQLite's WAL checkpoint off the committing connection.

By default SQLite copies the write-ahead log back into the database file inside the commit
that takes the log over 1,000 pages: the writer waits for it (a sync step that loaded 3.6 M
hourly rows waited 2 s in its commit for 900 MB to be copied and synced). Here the portal's
connections turn that off (``PRAGMA wal_autocheckpoint=0``; ``journal_size_limit`` cuts the
log's file back when the log starts over, so its size is what is left to copy) and a commit
that leaves the log over ``THRESHOLD`` bytes wakes a thread of the engine's that checkpoints on a connection of
its own (PASSIVE: it never blocks readers or writers, and copies what no reader still needs).
The thread ends after ``IDLE_SECONDS`` without work; a process that exits before it ran
leaves the log to the next one (SQLite reads it, nothing is lost).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

log = logging.getLogger(__name__)

# SQLite's own default: 1,000 pages of 4 KB.
THRESHOLD = 4 * 1024 * 1024
IDLE_SECONDS = 30.0


class Checkpointer:
    """The background checkpoints of one SQLite database file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.wal = path + "-wal"
        self.checkpoints = 0
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()  # clear while a checkpoint is asked for or running
        self._idle.set()

    def committed(self) -> None:
        """After a commit: a checkpoint if the log has grown over ``THRESHOLD``."""
        try:
            if os.stat(self.wal).st_size < THRESHOLD:
                return
        except OSError:  # no log (yet, or any more)
            return
        with self._lock:
            self._idle.clear()
            self._wake.set()
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sqlite-checkpoint", daemon=True
                )
                self._thread.start()

    def wait(self, timeout: float) -> bool:
        """Until no checkpoint is asked for or running (tests, shutdown); False on timeout."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            woken = self._wake.wait(IDLE_SECONDS)
            with self._lock:
                if not woken and not self._wake.is_set():
                    self._thread = None  # idle: the next commit over the threshold starts one
                    return
                self._wake.clear()
            self.checkpoint()
            with self._lock:
                if not self._wake.is_set():
                    self._idle.set()

    def checkpoint(self) -> None:
        # mode=rw: never creates a database whose file went away meanwhile.
        uri = f"file:{quote(str(Path(self.path).resolve()))}?mode=rw"
        try:
            with closing(sqlite3.connect(uri, uri=True, timeout=10)) as connection:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1
        except sqlite3.Error as exc:  # the file went away, or a checkpoint already running
            log.debug("sqlite checkpoint of %s skipped: %s", self.path, exc)
