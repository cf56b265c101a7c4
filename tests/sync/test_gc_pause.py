"""The cyclic garbage collector is paused while a sync step runs (its decoded answers and rows
are millions of acyclic objects that it would walk again and again) and is back on after it,
whether the step succeeded or failed, and with concurrent or nested pauses."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.kit.gcpause import collection_paused
from portal_api.sources.bundle import Sources
from portal_api.sources.prometheus import PrometheusSource
from portal_api.sync.collector import StepContext, SyncStep, run_sync


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_pause_restores_the_collector_as_it_found_it() -> None:
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still runs
    assert gc.isenabled()
    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()  # someone else's choice is kept


def test_overlapping_pauses_in_threads_end_with_the_last() -> None:
    entered, release = threading.Barrier(2), threading.Event()
    seen: list[bool] = []

    def other() -> None:
        with collection_paused():
            entered.wait()
            release.wait()

    thread = threading.Thread(target=other)
    thread.start()
    with collection_paused():
        entered.wait()
    seen.append(gc.isenabled())  # ours ended first: the thread's pause still holds
    release.set()
    thread.join()
    assert seen == [False]
    assert gc.isenabled()


def test_sync_steps_run_with_the_collector_paused_and_leave_it_on(
    db: Database, settings: Settings
) -> None:
    during: list[bool] = []

    def records(_ctx: StepContext) -> dict[str, object]:
        during.append(gc.isenabled())
        return {}

    def fails(_ctx: StepContext) -> dict[str, object]:
        during.append(gc.isenabled())
        raise RuntimeError("the step broke")

    steps = [SyncStep("prometheus", "usage", records), SyncStep("prometheus", "costs", fails)]
    prom = Sources(prometheus=PrometheusSource("http://127.0.0.1:9", timeout=1))
    results = run_sync(db=db, sources=prom, settings=settings, steps=steps)
    assert [r.ok for r in results] == [True, False]
    assert during == [False, False]
    assert gc.isenabled()
