"""Annotated dependencies for handlers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request, Security
from sqlmodel import Session

from portal_api.auth import Caller, authorize
from portal_api.config import Settings
from portal_api.db import Database
from portal_api.pagination import PageParams, page_params
from portal_api.sources.bundle import Sources


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


DatabaseDep = Annotated[Database, Depends(get_db)]
SessionDep = Annotated[Session, Depends(get_session)]
SourcesDep = Annotated[Sources, Depends(get_sources)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
PageDep = Annotated[PageParams, Depends(page_params)]

ReadCaller = Annotated[Caller, Security(authorize, scopes=["read"])]
IngestCaller = Annotated[Caller, Security(authorize, scopes=["ingest"])]
AdminCaller = Annotated[Caller, Security(authorize, scopes=["admin"])]
