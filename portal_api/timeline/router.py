"""Routes of the change timeline: one app's changes, and the org-wide feed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from portal_api.db import utcnow
from portal_api.deps import PageDep, ReadCaller, SessionDep
from portal_api.kit.names import NAME_PATTERN
from portal_api.params import AppName, From, TimelineFreshness, To, default_range
from portal_api.timeline import service
from portal_api.timeline.models import ChangeKind, ChangePage, Timeline

router = APIRouter(tags=["timeline"])

Kinds = Annotated[
    list[ChangeKind] | None, Query(alias="kind", description="Only these kinds (repeatable)")
]


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
    start, end = default_range(start, end, default_end=utcnow())
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
    start, end = default_range(start, end, default_end=utcnow())
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
