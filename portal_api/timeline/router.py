"""Routes of the change timeline: one app's changes, and the org-wide feed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from portal_api.apps.models import NAME_PATTERN
from portal_api.apps.router import AppName
from portal_api.db import utcnow
from portal_api.deps import PageDep, ReadCaller, SessionDep, SettingsDep, SourcesDep
from portal_api.errors import InvalidInputError
from portal_api.sync.models import Freshness
from portal_api.sync.service import stale_after
from portal_api.timeline import service
from portal_api.timeline.models import ChangeKind, ChangePage, Timeline

router = APIRouter(tags=["timeline"])

From = Annotated[
    dt.datetime | None, Query(alias="from", description="Start (default: to - 30 days)")
]
To = Annotated[dt.datetime | None, Query(alias="to", description="End, exclusive (default: now)")]
Kinds = Annotated[
    list[ChangeKind] | None, Query(alias="kind", description="Only these kinds (repeatable)")
]


def timeline_freshness(
    session: SessionDep, settings: SettingsDep, sources: SourcesDep
) -> list[Freshness]:
    """Freshness of the sources whose comparisons feed the timeline."""
    return service.source_freshness(
        session=session,
        configured=sources.configured(),
        now=utcnow(),
        stale_after=stale_after(settings.sync_interval_seconds),
    )


TimelineFreshness = Annotated[list[Freshness], Depends(timeline_freshness)]


def _range(start: dt.datetime | None, end: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    try:
        end = end or utcnow()
        return start or end - dt.timedelta(days=30), end
    except OverflowError:
        raise InvalidInputError("from/to are out of range") from None


@router.get("/apps/{app}/timeline", response_model=Timeline)
def app_timeline(
    session: SessionDep,
    fresh: TimelineFreshness,
    _: ReadCaller,
    app: AppName,
    start: From = None,
    end: To = None,
    kind: Kinds = None,
) -> Timeline:
    """An app's changes: prompt deploys and label moves, model switches, image, scale and
    Knative changes, budgets, findings opened or resolved, eval regressions."""
    start, end = _range(start, end)
    return service.app_timeline(
        session=session, app=app, start=start, end=end, kinds=kind, fresh=fresh
    )


@router.get("/changes", response_model=ChangePage)
def org_changes(
    session: SessionDep,
    fresh: TimelineFreshness,
    _: ReadCaller,
    page: PageDep,
    start: From = None,
    end: To = None,
    kind: Kinds = None,
    team: Annotated[str | None, Query(max_length=63, pattern=NAME_PATTERN)] = None,
) -> ChangePage:
    """Every app's changes, newest first (the org feed), filtered by kind and team."""
    start, end = _range(start, end)
    return service.org_changes(
        session=session,
        start=start,
        end=end,
        kinds=kind,
        team=team,
        limit=page.limit,
        offset=page.offset,
        fresh=fresh,
    )
