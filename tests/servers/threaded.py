"""Serving a test HTTP server on a thread for the length of a ``with`` block."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import HTTPServer
from typing import Any, Self

import pytest


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


def server_fixtures(
    serve: Callable[[], AbstractContextManager[tuple[str, ServerState]]],
    *,
    session: str,
    state: str,
) -> tuple[Any, Any]:
    """The two fixtures of a test server: ``session``, the server ``serve`` starts once per test
    session (its URL and state), and ``state``, that state emptied for the test that asks."""

    @pytest.fixture(scope="session", name=session)
    def served() -> Iterator[tuple[str, ServerState]]:
        with serve() as server:
            yield server

    @pytest.fixture(name=state)
    def emptied(request: pytest.FixtureRequest) -> ServerState:
        url_and_state: tuple[str, ServerState] = request.getfixturevalue(session)
        return url_and_state[1].emptied()

    return served, emptied
