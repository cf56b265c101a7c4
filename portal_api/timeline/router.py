"""Routes of the change timeline: one app's changes, and the org-wide feed."""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlmodel import Session

from portal_api.db import utcnow
from portal_api.deps import PageDep, ReadCaller, SessionDep
from portal_api.params import AppName, From, TeamFilter, TimelineFreshness, To, Window, window
from portal_api.sync.models import Freshness
from portal_api.timeline import service
from portal_api.timeline.models import ChangeKind, ChangePage, Timeline

router = APIRouter(tags=["timeline"])

Kinds = Annotated[
    list[ChangeKind] | None, Query(alias="kind", description="Only these kinds (repeatable)")
]


class ChangeRead(Window):
    """What a read of changes asks: which window, which kinds, and how fresh the sources are."""

    session: Session
    kinds: Collection[ChangeKind] | None
    fresh: list[Freshness]


def change_read(
    session: SessionDep,
    fresh: TimelineFreshness,
    _: ReadCaller,
    start: From = None,
    end: To = None,
    kind: Kinds = None,
) -> ChangeRead:
    span = window(start, end, default_end=utcnow())
    return ChangeRead(**span, session=session, kinds=kind, fresh=fresh)


ChangeReadDep = Annotated[ChangeRead, Depends(change_read)]


@router.get("/apps/{app}/timeline", response_model=Timeline)
def app_timeline(read: ChangeReadDep, app: AppName) -> Timeline:
    """An app's changes: prompt deploys and label moves, model switches, image, scale and
    Knative changes, budgets, findings opened or resolved, eval regressions."""
    return service.app_timeline(**read, app=app)


@router.get("/changes", response_model=ChangePage)
def org_changes(read: ChangeReadDep, team: TeamFilter, page: PageDep) -> ChangePage:
    """Every app's changes, newest first (the org feed), filtered by kind and team."""
    return service.org_changes(**read, team=team, limit=page.limit, offset=page.offset)
