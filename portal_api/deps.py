"""Annotated dependencies for handlers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request, Security
from sqlmodel import Session

from portal_api.auth import Caller, authorize
from portal_api.config import Settings
from portal_api.db import Database
from portal_api.pagination import PageParams, page_params
from portal_api.sources.bundle import Sources

if TYPE_CHECKING:
    # Only an annotation: the freshness dependencies live in portal_api.sync.deps, so the
    # sync package's routes can use these dependencies without an import cycle.
    from portal_api.sync.models import Freshness

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


def get_read_session(request: Request) -> Iterator[Session]:
    """One transaction per request that only reads (``Database.session``'s ``read_only``)."""
    with get_db(request).session_scope(read_only=True) as session:
        yield session


def get_sources(request: Request) -> Sources:
    sources: Sources = request.app.state.sources
    return sources


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def stale_header(fresh: Freshness) -> str:
    return "true" if fresh.stale else "false"


DatabaseDep = Annotated[Database, Depends(get_db)]
# scope="function": commit before the response is sent, so a client that got 2xx reads its
# write (and a failed commit is its error), not a commit racing the next request.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]
SourcesDep = Annotated[Sources, Depends(get_sources)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
PageDep = Annotated[PageParams, Depends(page_params)]

ReadCaller = Annotated[Caller, Security(authorize, scopes=["read"])]
IngestCaller = Annotated[Caller, Security(authorize, scopes=["ingest"])]
AdminCaller = Annotated[Caller, Security(authorize, scopes=["admin"])]
