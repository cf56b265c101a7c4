"""Request parameters more than one router takes: an app's name in the path, a ``[from, to)``
range in the query, and the freshness of the sources behind the change timeline.

Routers import these from here, never from one another.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Path, Query

from portal_api.db import utcnow
from portal_api.deps import SessionDep, SettingsDep, SourcesDep
from portal_api.errors import InvalidInputError
from portal_api.kit.names import NAME_PATTERN
from portal_api.kit.timeutil import HOUR, floor_hour
from portal_api.sync.models import Freshness
from portal_api.sync.service import freshness, stale_after

AppName = Annotated[
    str, Path(min_length=1, max_length=63, pattern=NAME_PATTERN, description="App (Component) name")
]
From = Annotated[
    dt.datetime | None, Query(alias="from", description="Start (default: to - 30 days)")
]
To = Annotated[dt.datetime | None, Query(alias="to", description="End, exclusive (default: now)")]

# The sources whose comparisons feed the change timeline.
TIMELINE_SOURCES = ("kubernetes", "prometheus")


def default_range(
    start: dt.datetime | None,
    end: dt.datetime | None,
    *,
    default_end: dt.datetime | None = None,
    days: int = 30,
) -> tuple[dt.datetime, dt.datetime]:
    """``from``/``to`` with their defaults: ``to`` is ``default_end`` (the end of the current
    hour unless given), ``from`` is ``days`` before ``to``.

    Raises:
        InvalidInputError: ``from`` would fall outside the calendar.
    """
    try:
        end = end or default_end or floor_hour(utcnow()) + HOUR
        return start or end - dt.timedelta(days=days), end
    except OverflowError:
        raise InvalidInputError("from/to are out of range") from None


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
