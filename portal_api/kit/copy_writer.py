"""PostgreSQL COPY sent while the next lines are built (imported only where COPY runs: psycopg
costs a SQLite-only process about 9 MB)."""

from __future__ import annotations

import queue
import threading
from typing import Any

from psycopg.copy import LibpqWriter

# Blocks of a COPY waiting to be sent (``bulk_load`` writes about a megabyte at a time): one
# being built, two waiting, one being sent. At 16 the load's peak was 15-20 MB higher.
COPY_QUEUE = 2


class SendingWriter(LibpqWriter):
    """A COPY writer that sends in a thread of its own, through a short queue (``COPY_QUEUE``
    blocks): the lines of the next megabyte are built while PostgreSQL takes the last one,
    where the driver's own writer waits for each send. psycopg's queued writer does the same
    with up to 1,024 blocks (a gigabyte held when the server is the slower side)."""

    def __init__(self, cursor: Any) -> None:
        super().__init__(cursor)
        self._pieces: queue.Queue[Any] = queue.Queue(COPY_QUEUE)
        self._sender: threading.Thread | None = None
        self._failed: BaseException | None = None

    def _send(self) -> None:
        try:
            while (piece := self._pieces.get()) is not None:
                super().write(piece)
        except BaseException as error:  # raised in the loading thread, at its next write
            self._failed = error
            while self._pieces.get() is not None:
                pass  # keep taking, so that write() never blocks on a full queue

    def write(self, data: Any) -> None:
        if self._failed is not None:
            raise self._failed
        if self._sender is None:
            self._sender = threading.Thread(target=self._send, name="copy-send", daemon=True)
            self._sender.start()
        self._pieces.put(data)

    def finish(self, exc: BaseException | None = None) -> None:
        if self._sender is not None:
            self._pieces.put(None)
            self._sender.join()
            self._sender = None
        if self._failed is not None:
            raise self._failed
        super().finish(exc)
