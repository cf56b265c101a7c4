"""The collector: runs every configured sync step, each in one transaction.

A step reads a source, hands the result to its domain's service and records its own health
in the same transaction, so data and watermark commit (or roll back) together: re-running a
step after a crash never double counts.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from portal_api.cache import WATERMARKS, mark_written, unmark
from portal_api.config import KubernetesMode, Settings
from portal_api.db import Database, utcnow
from portal_api.errors import PortalError, SourceError
from portal_api.kit.gcpause import collection_paused
from portal_api.kit.memory import release_freed_memory
from portal_api.observability import SYNC_FAILURES, SYNC_LAST_SUCCESS, SYNC_SECONDS
from portal_api.sources.bundle import Sources
from portal_api.sources.models import WorkloadInfo
from portal_api.sync.leader import LeaseElector, default_identity, default_namespace
from portal_api.sync.models import SourceStatus
from portal_api.sync.service import derived_view, get_status

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


@dataclass
class StepContext:
    session: Session
    sources: Sources
    settings: Settings
    now: dt.datetime
    status: SourceStatus  # the step's own row: its watermark lives here
    progress: Progress = field(default=lambda _msg, _done, _total: None)
    # What several steps of one pass read, read once (e.g. the cluster's workloads).
    shared: dict[str, Any] = field(default_factory=dict)

    def workloads(self) -> list[WorkloadInfo]:
        """The cluster's labelled workloads, listed once per sync pass for every step."""
        if "workloads" not in self.shared:
            if self.sources.kubernetes is None:
                raise SourceError("kubernetes", "not configured")
            self.shared["workloads"] = self.sources.kubernetes.list_workloads()
        workloads: list[WorkloadInfo] = self.shared["workloads"]
        return workloads


@dataclass(frozen=True)
class SyncStep:
    source: str  # which source must be configured for the step to run
    name: str
    run: Callable[[StepContext], dict[str, Any]]  # returns stats for the status row

    @property
    def key(self) -> str:
        return f"{self.source}/{self.name}"


@dataclass
class StepResult:
    step: str
    ok: bool
    skipped: bool = False
    seconds: float = 0.0
    error: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)


_LOCAL_LOCK = threading.Lock()
_PG_LOCK_KEY = 7243100002


@contextmanager
def _leader(db: Database) -> Iterator[bool]:
    """Only one sync at a time: a process lock, and on PostgreSQL an advisory lock shared
    by every replica (the one that holds it syncs, the others skip this pass)."""
    if not _LOCAL_LOCK.acquire(blocking=False):
        yield False
        return
    try:
        if db.dialect != "postgresql" or not isinstance(db.bind, Engine):
            yield True
            return
        with db.bind.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            if not got.scalar():
                yield False
                return
            try:
                yield True
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()
    finally:
        _LOCAL_LOCK.release()


def _safe_message(exc: BaseException) -> str:
    if isinstance(exc, PortalError):
        return exc.message[:2000]
    # Unknown exceptions may carry URLs with credentials: keep the type only.
    return f"unexpected {type(exc).__name__}"


@dataclass
class SyncPass:
    """What every step of one pass shares: the database it writes, the sources and settings it
    reads, its time (None: each step's own start; ``run_sync`` gives every step of a pass the
    pass's start, so a source's freshness moves once a pass) and what one step read for the
    next ones."""

    db: Database
    sources: Sources
    settings: Settings
    now: dt.datetime | None = None
    progress: Progress | None = None
    shared: dict[str, Any] = field(default_factory=dict)


# What runs after a pass, given the pass and its steps' results.
AfterPass = Callable[[SyncPass, list[StepResult]], None]


def run_step(step: SyncStep, sync: SyncPass) -> StepResult:
    db, sources = sync.db, sync.sources
    now = sync.now or utcnow()
    started = time.perf_counter()
    try:
        if sources.get(step.source) is None:
            broken = (sources.broken or {}).get(step.source, "not configured")
            raise SourceError(step.source, broken)
        with collection_paused(), db.session_scope() as session:
            before = derived_view(session)
            status = get_status(session=session, source=step.source, step=step.name)
            ctx = StepContext(session, sources, sync.settings, now, status, shared=sync.shared)
            if sync.progress is not None:
                ctx.progress = sync.progress
            stats = step.run(ctx)
            release_freed_memory()  # what the step let go is not kept for the next ones
            seconds = time.perf_counter() - started
            status.last_attempt = now
            status.last_success = now
            status.last_duration_seconds = round(seconds, 3)
            status.consecutive_failures = 0
            status.stats = stats
            session.add(status)
            session.flush()
            # The answers that carry the freshness drop when it moves (once a pass: every
            # step is stamped with the pass's time), not on every step's write of its row.
            after = derived_view(session)
            connection = session.connection()
            unmark(connection, [WATERMARKS, *(k for k, v in before.items() if after.get(k) == v)])
            mark_written(connection, [k for k, v in after.items() if before.get(k) != v])
    except Exception as exc:
        seconds = time.perf_counter() - started
        message = _safe_message(exc)
        if isinstance(exc, PortalError):
            log.warning("sync step %s failed: %s", step.key, message)
        else:
            log.exception("sync step %s failed unexpectedly", step.key)
        SYNC_FAILURES.labels(step.source, step.name).inc()
        SYNC_SECONDS.labels(step.source, step.name).observe(seconds)
        with db.session_scope() as session:
            status = get_status(session=session, source=step.source, step=step.name)
            status.last_attempt = now
            status.last_error = message
            status.last_error_at = now
            status.last_duration_seconds = round(seconds, 3)
            status.consecutive_failures += 1
            session.add(status)
        return StepResult(step.key, ok=False, seconds=seconds, error=message)
    SYNC_SECONDS.labels(step.source, step.name).observe(seconds)
    SYNC_LAST_SUCCESS.labels(step.source, step.name).set(now.timestamp())
    return StepResult(step.key, ok=True, seconds=seconds, stats=stats)


def run_sync(
    *,
    db: Database,
    sources: Sources,
    settings: Settings,
    steps: Sequence[SyncStep],
    only: set[str] | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    on_step: Callable[[SyncStep, StepResult], None] | None = None,
    after: AfterPass | None = None,
) -> list[StepResult]:
    """One pass of every step whose source is configured (or of ``only`` those sources), then
    ``after`` (the stored answers: ``portal_api.precompute.after_pass``), still the leader.

    The steps and ``after`` come from the composition root (``portal_api.steps.all_steps()``,
    ``main``): the sync core never imports the domains whose steps it runs."""
    configured = sources.configured()
    results: list[StepResult] = []
    sync = SyncPass(db, sources, settings, now or utcnow(), progress)
    with _leader(db) as leader:
        if not leader:
            log.info("another sync is running; skipping this pass")
            return results
        for step in steps:
            if only and step.source not in only:
                continue
            if not configured.get(step.source, False):
                result = StepResult(step.key, ok=True, skipped=True)
            else:
                result = run_step(step, sync)
            results.append(result)
            if on_step is not None:
                on_step(step, result)
        if after is not None:
            try:
                after(sync, results)
            except Exception:  # the pass's data is committed: only its stored answers failed
                log.exception("after the sync pass")
    return results


def make_elector(settings: Settings, sources: Sources) -> LeaseElector | None:
    """The Lease elector the settings ask for, or None (every replica may sync)."""
    mode = settings.leader_election
    if mode == "auto":
        mode = "lease" if settings.kubernetes == KubernetesMode.IN_CLUSTER else "none"
    if mode == "none":
        return None
    if sources.kubernetes is None:
        raise PortalError("PORTAL_LEADER_ELECTION=lease needs PORTAL_KUBERNETES to be on")
    return LeaseElector(
        sources.kubernetes,
        namespace=settings.lease_namespace or default_namespace(),
        identity=default_identity(),
        duration=max(
            dt.timedelta(seconds=60), 3 * dt.timedelta(seconds=settings.sync_interval_seconds)
        ),
    )


class BackgroundSync:
    """Runs the sync every ``interval`` seconds in a daemon thread until stopped; with a Lease
    elector, only while this replica holds the Lease."""

    def __init__(
        self,
        *,
        db: Database,
        sources: Sources,
        settings: Settings,
        steps: Sequence[SyncStep],
        after: AfterPass | None = None,
    ) -> None:
        self.db, self.sources, self.settings, self.steps = db, sources, settings, steps
        self.after = after
        self.elector = make_elector(settings, sources)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="genai-portal-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        interval = self.settings.sync_interval_seconds
        while not self._stop.is_set():
            if self.elector is not None and not self.elector.try_acquire(utcnow()):
                self._stop.wait(interval)
                continue
            try:
                run_sync(
                    db=self.db,
                    sources=self.sources,
                    settings=self.settings,
                    steps=self.steps,
                    after=self.after,
                )
            except Exception:
                log.exception("sync pass failed")
            self._stop.wait(interval)
