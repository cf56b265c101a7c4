"""Handing freed memory back to the operating system between the large phases of a sync."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable

# mallopt's parameter for the number of heaps (arenas) glibc may make, one per thread at most.
M_ARENA_MAX = -8


@functools.cache
def _libc_function(function: str) -> Callable[..., int] | None:
    name = ctypes.util.find_library("c")
    try:
        found: Callable[..., int] | None = getattr(ctypes.CDLL(name), function) if name else None
    except (OSError, AttributeError):
        return None  # not glibc: nothing to do
    return found


@functools.cache
def one_heap() -> None:
    """Threads made from now on allocate from the process's one heap. glibc otherwise gives
    a thread that allocates much (a sync's read-ahead thread: decoded answers, arrays) a heap
    of its own, and what it frees there the storing thread cannot reuse: about 20 MB more
    at a 1,000-app sync's peak, measured. A no-op elsewhere."""
    mallopt = _libc_function("mallopt")
    if mallopt is not None:
        mallopt(M_ARENA_MAX, 1)


def release_freed_memory() -> None:
    """Return the heap pages that freed objects left to the OS (glibc keeps them otherwise):
    a sync's usage read frees a few hundred megabytes of arrays and decoded answers, and
    without this the process keeps that peak for every step after it. A no-op elsewhere."""
    trim = _libc_function("malloc_trim")
    if trim is not None:
        trim(0)
