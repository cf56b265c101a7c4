"""Routes of the app registry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from portal_api.apps import service
from portal_api.apps.models import (
    NAMESPACE_PATTERN,
    AppCreate,
    AppDetail,
    AppFilter,
    AppPage,
    AppPublic,
    AppStatus,
)
from portal_api.db import utcnow
from portal_api.deps import IngestCaller, PageDep, ReadCaller, SessionDep
from portal_api.params import AppName, TeamQuery, create_route, created_or_replayed
from portal_api.sync.deps import KubernetesFreshness

router = APIRouter(prefix="/apps", tags=["apps"])


def app_filter(
    team: TeamQuery = None,
    namespace: Annotated[str | None, Query(max_length=63, pattern=NAMESPACE_PATTERN)] = None,
    status: AppStatus | None = None,
    q: Annotated[str | None, Query(max_length=63, description="Substring of the name")] = None,
) -> AppFilter:
    return AppFilter(team=team, namespace=namespace, status=status, search=q)


@router.get("", response_model=AppPage)
def list_apps(
    session: SessionDep,
    fresh: KubernetesFreshness,
    _: ReadCaller,
    filters: Annotated[AppFilter, Depends(app_filter)],
    page: PageDep,
) -> AppPage:
    """List GenAI apps, filtered by team, namespace and status."""
    return service.list_apps(session=session, page=page, filters=filters, freshness=fresh)


@create_route(
    router,
    "",
    AppPublic,
    "this app was registered already",
    "Another app with that name exists already",
)
def create_app(
    response: Response, session: SessionDep, _: IngestCaller, data: AppCreate
) -> AppPublic:
    """Register an app that runs outside the cluster (the same registration again: 200)."""
    app, created = service.create_app(session=session, data=data, now=utcnow())
    created_or_replayed(response, created)
    return service.to_public(app)


@router.get("/{app}", response_model=AppDetail)
def get_app(
    session: SessionDep, fresh: KubernetesFreshness, _: ReadCaller, app: AppName
) -> AppDetail:
    """One app with its workloads."""
    return service.get_app_detail(session=session, name=app, freshness=fresh)
