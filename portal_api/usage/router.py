"""Routes of usage: an app's tokens, requests, errors and latency per model."""

from __future__ import annotations

from fastapi import APIRouter

from portal_api.params import AppName, From, To, window
from portal_api.usage import service
from portal_api.usage.deps import SeriesReadDep
from portal_api.usage.models import AppUsage, Step

router = APIRouter(prefix="/apps", tags=["usage"])


@router.get("/{app}/usage", response_model=AppUsage)
def app_usage(
    read: SeriesReadDep, app: AppName, start: From = None, end: To = None, step: Step = "day"
) -> AppUsage:
    """An app's usage per model: tokens by type, requests, errors, latency and TTFT quantiles."""
    return service.app_usage(**read, **window(start, end), app=app, step=step)
