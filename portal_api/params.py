"""Request parameters more than one router takes: an app's name in the path, a ``[from, to)``
window and a team filter in the query, what a read of Prometheus's data needs, the freshness of
the sources behind the change timeline, what an admin's write is stamped with, and the answers
of an idempotent create.

Routers import these from here, never from one another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, TypedDict, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlmodel import Session

from portal_api.db import utcnow
from portal_api.deps import AdminCaller, ReadCaller, SessionDep, SettingsDep, SourcesDep
from portal_api.errors import InvalidInputError
from portal_api.kit.names import NAME_PATTERN
from portal_api.kit.timeutil import HOUR, floor_hour
from portal_api.sync.deps import PrometheusFreshness
from portal_api.sync.models import Freshness
from portal_api.sync.service import freshness, stale_after

F = TypeVar("F", bound=Callable[..., Any])

AppName = Annotated[
    str, Path(min_length=1, max_length=63, pattern=NAME_PATTERN, description="App (Component) name")
]
From = Annotated[
    dt.datetime | None, Query(alias="from", description="Start (default: to - 30 days)")
]
To = Annotated[dt.datetime | None, Query(alias="to", description="End, exclusive (default: now)")]
TeamQuery = Annotated[str | None, Query(max_length=63, pattern=NAME_PATTERN)]


def team_filter(team: TeamQuery = None) -> str | None:
    """The team filter as a dependency, for routes whose other filters are dependencies too
    (FastAPI lists a route's own query parameters before those of its dependencies)."""
    return team


TeamFilter = Annotated[str | None, Depends(team_filter)]

# The sources whose comparisons feed the change timeline.
TIMELINE_SOURCES = ("kubernetes", "prometheus")


class Window(TypedDict):
    """A ``[start, end)`` range, as the services take it."""

    start: dt.datetime
    end: dt.datetime


def window(
    start: dt.datetime | None,
    end: dt.datetime | None,
    *,
    default_end: dt.datetime | None = None,
    days: int = 30,
) -> Window:
    """``from``/``to`` with their defaults: ``to`` is ``default_end`` (the end of the current
    hour unless given), ``from`` is ``days`` before ``to``.

    Raises:
        InvalidInputError: ``from`` would fall outside the calendar.
    """
    try:
        end = end or default_end or floor_hour(utcnow()) + HOUR
        return Window(start=start or end - dt.timedelta(days=days), end=end)
    except OverflowError:
        raise InvalidInputError("from/to are out of range") from None


class PrometheusRead(TypedDict):
    """A read of what the sync stored from Prometheus: its transaction, and Prometheus's
    freshness."""

    session: Session
    freshness: Freshness


def prometheus_read(
    session: SessionDep, fresh: PrometheusFreshness, _: ReadCaller
) -> PrometheusRead:
    return PrometheusRead(session=session, freshness=fresh)


PrometheusReadDep = Annotated[PrometheusRead, Depends(prometheus_read)]


def timeline_freshness(
    session: SessionDep, settings: SettingsDep, sources: SourcesDep
) -> list[Freshness]:
    """Freshness of the sources whose comparisons feed the timeline; a source that is off is
    not stale."""
    configured = sources.configured()
    now, after = utcnow(), stale_after(settings.sync_interval_seconds)
    out = []
    for source in TIMELINE_SOURCES:
        fresh = freshness(session=session, source=source, now=now, stale_after=after)
        if not configured.get(source, False):
            fresh = Freshness(source=source, as_of=fresh.as_of, stale=False)
        out.append(fresh)
    return out


TimelineFreshness = Annotated[list[Freshness], Depends(timeline_freshness)]


class AdminWrite(TypedDict):
    """What an admin's write is stamped with: its transaction, who, and when."""

    session: Session
    actor: str
    now: dt.datetime


def admin_write(session: SessionDep, caller: AdminCaller) -> AdminWrite:
    return AdminWrite(session=session, actor=caller.name, now=utcnow())


AdminWriteDep = Annotated[AdminWrite, Depends(admin_write)]


def create_route(
    router: APIRouter, path: str, model: type[Any], replay: str, conflict: str, **route: Any
) -> Callable[[F], F]:
    """``router.post(path)`` of an idempotent create: 201 with ``model``, 200 for the same create
    again, 409 for a clash with something else (``route``: more of ``router.post``'s options;
    its ``responses`` come after those three)."""
    responses = {
        200: {"description": f"A replay: {replay}", "model": model},
        409: {"description": conflict},
        **route.pop("responses", {}),
    }
    return router.post(path, response_model=model, status_code=201, responses=responses, **route)


def created_or_replayed(response: Response, created: bool) -> None:
    """201 for what was created now, 200 for a replay of an earlier create."""
    response.status_code = 201 if created else 200
