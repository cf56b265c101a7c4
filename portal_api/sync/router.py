"""Routes that show and trigger the sync."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from portal_api.db import utcnow
from portal_api.deps import (
    AdminCaller,
    DatabaseDep,
    ReadCaller,
    SessionDep,
    SettingsDep,
    SourcesDep,
)
from portal_api.sync import service
from portal_api.sync.collector import run_sync
from portal_api.sync.models import SourceStatusPublic

router = APIRouter(prefix="/sources", tags=["sources"])


class SyncStepResult(BaseModel):
    step: str
    ok: bool
    skipped: bool
    seconds: float
    error: str | None


@router.get("", response_model=list[SourceStatusPublic])
def list_sources(
    session: SessionDep, _: ReadCaller, sources: SourcesDep, settings: SettingsDep
) -> list[SourceStatusPublic]:
    """Each data source: configured or not, last success, last error, duration per step."""
    return service.list_source_status(
        session=session,
        configured=sources.configured(),
        now=utcnow(),
        stale_after=service.stale_after(settings.sync_interval_seconds),
    )


@router.post("/sync", response_model=list[SyncStepResult])
def sync_now(
    request: Request,
    db: DatabaseDep,
    _: AdminCaller,
    sources: SourcesDep,
    settings: SettingsDep,
    source: Annotated[list[str] | None, Query(description="Only these sources")] = None,
) -> list[SyncStepResult]:
    """Run one sync pass now (explicit refresh) and return what each step did."""
    results = run_sync(
        db=db,
        sources=sources,
        settings=settings,
        # The composition root (main.create_app) hands over the steps: sync imports no domain.
        steps=request.app.state.sync_steps,
        only=set(source) if source else None,
        after=request.app.state.after_sync,  # the stored answers
    )
    return [
        SyncStepResult(step=r.step, ok=r.ok, skipped=r.skipped, seconds=r.seconds, error=r.error)
        for r in results
    ]
