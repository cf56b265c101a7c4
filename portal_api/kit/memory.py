"""Handing freed memory back to the operating system between the large phases of a sync."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None  # not glibc: nothing to do
    return trim


def release_freed_memory() -> None:
    """Return the heap pages that freed objects left to the OS (glibc keeps them otherwise):
    a sync's usage read frees a few hundred megabytes of arrays and decoded answers, and
    without this the process keeps that peak for every step after it. A no-op elsewhere."""
    trim = _trim()
    if trim is not None:
        trim(0)
