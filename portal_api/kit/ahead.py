"""An iterator run ahead of its consumer in a thread of its own.

For a producer that waits on one server (Prometheus) and a consumer that waits on another (the
database): while the consumer writes item k, the producer reads item k + 1. At most ``depth``
items wait between them (plus the one each side holds), so memory stays bounded. The
producer's exception is raised in the consumer at the item where it happened; a consumer that
stops early (an exception, ``close()``) stops the producer at its next item.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterable
from typing import TypeVar

T = TypeVar("T")

# How long a blocked producer waits before it looks whether the consumer has gone.
_POLL_SECONDS = 0.2


class _Done:
    """End of the items (``error`` when the producer failed)."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def ahead(
    items: Iterable[T], *, depth: int = 1, name: str = "read-ahead"
) -> Generator[T, None, None]:
    """The items of ``items``, produced in a background thread up to ``depth`` ahead."""
    handoff: queue.Queue[T | _Done] = queue.Queue(maxsize=depth)
    gone = threading.Event()

    def put(item: T | _Done) -> bool:
        while not gone.is_set():
            try:
                handoff.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        iterator = iter(items)
        try:
            for item in iterator:
                if not put(item):
                    return
                del item  # the consumer holds it now
        except BaseException as error:  # handed to the consumer, raised there
            put(_Done(error))
        else:
            put(_Done())
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()  # a generator's own cleanup (its open requests, thread pools) runs here

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while True:
            got = handoff.get()
            if isinstance(got, _Done):
                if got.error is not None:
                    raise got.error
                return
            yield got
            del got
    finally:
        gone.set()
        thread.join()
