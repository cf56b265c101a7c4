"""Routes of usage: an app's tokens, requests, errors and latency per model."""

from __future__ import annotations

from fastapi import APIRouter, Response

from portal_api.params import AppName, From, To, window
from portal_api.usage import service
from portal_api.usage.deps import SeriesReaderDep
from portal_api.usage.models import AppUsage, Step

router = APIRouter(prefix="/apps", tags=["usage"])


@router.get("/{app}/usage", response_model=AppUsage)
async def app_usage(
    read: SeriesReaderDep, app: AppName, start: From = None, end: To = None, step: Step = "day"
) -> Response:
    """An app's usage per model: tokens by type, requests, errors, latency and TTFT quantiles."""
    asked = window(start, end)
    return await read(lambda r: service.app_usage(**r, **asked, app=app, step=step))
