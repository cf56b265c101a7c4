"""Python's cyclic garbage collector paused while a sync step makes millions of short-lived,
acyclic objects (decoded Prometheus answers, rows on their way to the database).

The collector runs after every 700 net allocations of container objects and, as those
objects survive into the older generations, walks the whole heap again and again: reading
1,000 apps x 30 days of usage, it took 6 of the read's 17.6 CPU-seconds standalone and 17
of 28 inside a sync process (``docs/performance.md``). None of those objects are in cycles,
so nothing is lost by collecting once the step is done (the collector resumes then and
catches up on its own)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; nested and concurrent blocks (threads) keep
    it paused until the last one ends, which restores what it was before the first began (a
    collector someone else disabled stays disabled)."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
