"""The sync's last act of a pass: the dashboards' default reads of every app, computed through
the real app in-process and stored (``portal_api.stored``) for every worker and replica.

The reads are the Backstage plugin's: an app's usage over each stored period (``step=hour`` up
to 7 days, ``day`` beyond, as its card asks) and its costs since the first day of last month,
each in its canonical form (the whole hours the window covers). They go through the response
cache's own computation (``ResponseCache``, innermost middleware), so each stored answer is the
very bytes, headers and table versions a worker would compute at that moment. The stored set
is replaced whole in one transaction; the time spent is bounded (``stored_answers_seconds``),
apps left over are computed on their first read as without it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import anyio
from fastapi import FastAPI
from sqlalchemy import delete, insert
from sqlalchemy.engine import Connection
from sqlmodel import select
from starlette.types import Message

from portal_api.answer import Entry
from portal_api.apps.models import App
from portal_api.cache import ResponseCache
from portal_api.config import ApiToken, Settings
from portal_api.db import Database, utcnow
from portal_api.kit.timeutil import HOUR, floor_hour
from portal_api.sources.bundle import Sources
from portal_api.stored import StoredAnswer, context_of, row_of
from portal_api.sync.collector import StepResult, SyncPass
from portal_api.sync.service import stale_after
from portal_api.usage.models import UsageMonthly

log = logging.getLogger(__name__)

_HOURLY_UP_TO = 7  # days: the plugin's usage card asks per hour up to a week, per day beyond
_AT_ONCE = 2  # reads computed at once (the response cache's own limit per worker)
_BATCH = 200  # rows per INSERT


@dataclass
class StoredStats:
    apps: int = 0  # apps whose answers were all stored
    answers: int = 0
    bytes: int = 0  # stored bodies (compressed) and headers
    compute_seconds: float = 0.0
    write_seconds: float = 0.0
    left_over: int = 0  # apps not reached within the time budget


def dashboard_queries(now: dt.datetime, days: list[int]) -> list[tuple[str, str]]:
    """Per app (``{app}`` in the path), the canonical queries of its dashboard's reads at
    ``now``: usage over each of ``days``, costs since the first day of last month."""
    end = floor_hour(now) + HOUR
    month = floor_hour(now).replace(day=1, hour=0)
    last_month = (month - dt.timedelta(days=1)).replace(day=1)
    out = []
    for period in sorted(set(days)):
        step = "hour" if period <= _HOURLY_UP_TO else "day"
        start = floor_hour(now - dt.timedelta(days=period))
        out.append(("/api/v1/apps/{app}/usage", _query(start, end, step)))
    out.append(("/api/v1/apps/{app}/costs", _query(last_month, end, "day")))
    return out


def _query(start: dt.datetime, end: dt.datetime, step: str) -> str:
    return urlencode({"from": start.isoformat(), "to": end.isoformat(), "step": step})


def dashboard_apps(db: Database, now: dt.datetime) -> list[str]:
    """Every registered app, and every app with usage since the first day of last month."""
    since = (floor_hour(now).replace(day=1, hour=0) - dt.timedelta(days=1)).replace(day=1)
    with db.session_scope(read_only=True) as session:
        names = set(session.exec(select(App.name)).all())
        names.update(
            session.exec(
                select(UsageMonthly.app).where(UsageMonthly.month >= since).distinct()
            ).all()
        )
    return sorted(names)


AppFactory = Callable[..., FastAPI]  # main.create_app (handed over: main imports the sync)


def after_pass(factory: AppFactory) -> Callable[[SyncPass, list[StepResult]], None]:
    """``run_sync``'s hook: the answers stored after a pass in which some step ran (unless
    ``stored_answers`` is off)."""

    def store(sync: SyncPass, results: list[StepResult]) -> None:
        if not sync.settings.stored_answers or not any(r.ok and not r.skipped for r in results):
            return
        stats = store_answers(
            db=sync.db, sources=sync.sources, settings=sync.settings, factory=factory
        )
        log.info("stored answers: %s", stats)

    return store


def store_answers(
    *,
    db: Database,
    sources: Sources,
    settings: Settings,
    factory: AppFactory,
    now: dt.datetime | None = None,
) -> StoredStats:
    """Compute and store every app's dashboard reads; the set stored before is replaced."""
    now = now or utcnow()
    stats = StoredStats()
    token = secrets.token_urlsafe(32)  # this pass's own: never leaves the process
    inner = settings.model_copy(
        update={
            "api_tokens": [ApiToken(name="portal-sync", token=token, scopes=["read"])],
            "response_cache_mb": max(settings.response_cache_mb, 1),
            "stored_answers": False,  # computed, never served from the set it replaces
        }
    )
    app = factory(inner, db=db, sources=sources)
    cache = _cache_of(app.build_middleware_stack())
    context = context_of(app.state)
    after = stale_after(settings.sync_interval_seconds)
    rows: dict[str, dict[str, Any]] = {}

    def keep(key: str, entry: Entry, body: bytes) -> None:
        rows[key] = row_of(key, context, entry, body, after)

    cache.sink = keep
    queries = dashboard_queries(now, settings.stored_answer_days)
    apps = dashboard_apps(db, now)
    started = time.perf_counter()
    deadline = started + settings.stored_answers_seconds
    # A database on one connection (tests, an embedded one) takes one read at a time.
    at_once = 1 if isinstance(db.bind, Connection) else _AT_ONCE
    done = anyio.run(_ask_all, app, cache, token, apps, queries, deadline, at_once)
    stats.compute_seconds = time.perf_counter() - started
    stats.apps, stats.left_over = done, len(apps) - done
    started = time.perf_counter()
    with db.session_scope() as session:
        connection = session.connection()
        connection.execute(delete(StoredAnswer))
        batch = list(rows.values())
        for i in range(0, len(batch), _BATCH):
            connection.execute(insert(StoredAnswer), batch[i : i + _BATCH])
    stats.write_seconds = time.perf_counter() - started
    stats.answers = len(rows)
    stats.bytes = sum(len(r["body"]) + len(r["headers"]) + len(r["deps"]) for r in rows.values())
    if stats.left_over:
        log.warning(
            "stored answers: %d apps left over after %d s", stats.left_over, int(deadline - started)
        )
    return stats


def _cache_of(layer: Any) -> ResponseCache:
    while not isinstance(layer, ResponseCache):
        layer = layer.app
    return layer


async def _ask_all(
    app: FastAPI,
    cache: ResponseCache,
    token: str,
    apps: list[str],
    queries: list[tuple[str, str]],
    deadline: float,
    at_once: int,
) -> int:
    """Asks every app's reads, ``at_once`` at a time, until ``deadline``; the apps done."""
    pending = iter(enumerate(apps))
    done = [0]

    async def worker() -> None:
        for _, name in pending:
            if time.perf_counter() > deadline:
                return
            for path, query in queries:
                await _ask(app, cache, token, path.format(app=name), query)
            done[0] += 1

    async with anyio.create_task_group() as group:
        for _ in range(at_once):
            group.start_soon(worker)
    return done[0]


async def _ask(app: FastAPI, cache: ResponseCache, token: str, path: str, query: str) -> None:
    """One GET through the response cache (and the routes below it), as a worker would."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"portal"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 0),
        "server": ("portal", 80),
        "app": app,
        "state": {},
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_: Message) -> None:
        return None

    await cache(scope, receive, send)
