"""Serving a test HTTP server on a thread for the length of a ``with`` block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import HTTPServer
from typing import Self


@contextmanager
def serving(server: HTTPServer) -> Iterator[str]:
    """Serve ``server`` on a daemon thread; yields its ``http://127.0.0.1:<port>`` URL and shuts
    it down (and closes its socket) when the block ends."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class ServerState:
    """What a test server holds (its subclasses build it, with a ``lock``, from no arguments):
    ``emptied()`` puts back what a fresh one holds, as each test wants it."""

    lock: threading.Lock

    def emptied(self) -> Self:
        fresh = vars(type(self)())
        with self.lock:
            for name, value in fresh.items():
                if name != "lock":
                    setattr(self, name, value)
        return self
