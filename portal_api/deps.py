"""Annotated dependencies for handlers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request, Response, Security
from sqlmodel import Session

from portal_api.auth import Caller, authorize
from portal_api.config import Settings
from portal_api.db import Database, utcnow
from portal_api.pagination import PageParams, page_params
from portal_api.sources.bundle import Sources
from portal_api.sync.models import Freshness
from portal_api.sync.service import freshness, stale_after

STALE_HEADER = "X-Portal-Stale"
# The header in the OpenAPI document of the reads that carry it.
STALE_HEADER_DOC = {
    "description": "true when the source of this data is configured and its last sync is "
    "stale or failed (a source that is off is not stale)",
    "schema": {"type": "string", "enum": ["true", "false"]},
}


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: commit on success, roll back on error."""
    with get_db(request).session_scope() as session:
        yield session


def get_sources(request: Request) -> Sources:
    sources: Sources = request.app.state.sources
    return sources


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def source_freshness(source: str) -> Callable[..., Freshness]:
    """A dependency: how fresh the stored data of ``source`` is. It also sets the
    ``X-Portal-Stale: true|false`` header, the marker of reads that are not JSON objects
    (CSV, HTML, YAML, JSON lists)."""

    def dependency(request: Request, response: Response, session: SessionDep) -> Freshness:
        settings = get_app_settings(request)
        fresh = freshness(
            session=session,
            source=source,
            now=utcnow(),
            stale_after=stale_after(settings.sync_interval_seconds),
            configured=get_sources(request).configured().get(source, False),
        )
        response.headers[STALE_HEADER] = stale_header(fresh)
        return fresh

    return dependency


def stale_header(fresh: Freshness) -> str:
    return "true" if fresh.stale else "false"


DatabaseDep = Annotated[Database, Depends(get_db)]
# scope="function": commit before the response is sent, so a client that got 2xx reads its
# write (and a failed commit is its error), not a commit racing the next request.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SourcesDep = Annotated[Sources, Depends(get_sources)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
PageDep = Annotated[PageParams, Depends(page_params)]
# Apps, prompts running, findings: the cluster. Usage, costs, guardrails: Prometheus.
KubernetesFreshness = Annotated[Freshness, Depends(source_freshness("kubernetes"))]
PrometheusFreshness = Annotated[Freshness, Depends(source_freshness("prometheus"))]

ReadCaller = Annotated[Caller, Security(authorize, scopes=["read"])]
IngestCaller = Annotated[Caller, Security(authorize, scopes=["ingest"])]
AdminCaller = Annotated[Caller, Security(authorize, scopes=["admin"])]
