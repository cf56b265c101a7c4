"""kit.ahead: the sync's slices read in a thread while the one before is stored."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from portal_api.kit.ahead import ahead


def test_items_come_in_order_and_the_producer_runs_at_most_one_ahead() -> None:
    produced: list[int] = []

    def items() -> Iterator[int]:
        for i in range(6):
            produced.append(i)
            yield i

    got = []
    for item in ahead(items()):
        time.sleep(0.05)  # a slow consumer: the producer waits for it
        # one handed over, one waiting in the queue, one being made
        assert len(produced) <= item + 3
        got.append(item)
    assert got == list(range(6))


def test_the_producers_error_is_raised_in_the_consumer_after_the_good_items() -> None:
    def items() -> Iterator[int]:
        yield 1
        raise ConnectionError("prometheus went away")

    reads = ahead(items())
    assert next(reads) == 1
    with pytest.raises(ConnectionError, match="went away"):
        next(reads)


def test_a_consumer_that_stops_stops_the_producer_and_its_cleanup_runs() -> None:
    cleaned = threading.Event()

    def items() -> Iterator[int]:
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            cleaned.set()

    reads = ahead(items(), name="test-read-ahead")
    assert next(reads) == 0
    reads.close()
    assert cleaned.is_set()
    assert not [t for t in threading.enumerate() if t.name == "test-read-ahead"]
