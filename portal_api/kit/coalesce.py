"""Sharing one read among the coroutines that ask for it at the same moment."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class SharedRead(Generic[T]):
    """Awaits ``read()`` (a lookup on the loop, or a blocking read handed to a thread) for the
    coroutines that await ``get``; those that ask while a call is in progress share the next
    call.

    A caller only ever gets the result of a call that *started* after it asked (one that
    started before could miss what the caller must see, e.g. a write committed before it
    asked): it joins the next call, which starts as soon as the one in progress ends. Any
    number of concurrent callers thus cost at most two calls in a row, not one each.
    """

    def __init__(self, read: Callable[[], Awaitable[T]]) -> None:
        self._read = read
        self._next: asyncio.Future[T] | None = None
        self._reading: asyncio.Task[None] | None = None
        self.calls = 0

    async def get(self) -> T:
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
            if self._reading is None:
                self._reading = asyncio.create_task(self._drain())
        # Shielded: a caller that goes away does not cancel the others' call.
        return await asyncio.shield(self._next)

    async def _drain(self) -> None:
        try:
            while self._next is not None:
                waiting, self._next = self._next, None
                self.calls += 1
                try:
                    result = await self._read()
                except BaseException as exc:
                    waiting.set_exception(exc)  # the callers of this call must not hang
                    if not isinstance(exc, Exception):
                        raise
                else:
                    waiting.set_result(result)
        finally:
            self._reading = None
