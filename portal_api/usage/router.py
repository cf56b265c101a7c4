"""Routes of usage: an app's tokens, requests, errors and latency per model."""

from __future__ import annotations

from fastapi import APIRouter

from portal_api.deps import ReadCaller, SessionDep
from portal_api.params import AppName, From, To, default_range
from portal_api.sync.deps import PrometheusFreshness
from portal_api.usage import service
from portal_api.usage.models import AppUsage, Step

router = APIRouter(prefix="/apps", tags=["usage"])


@router.get("/{app}/usage", response_model=AppUsage)
def app_usage(
    session: SessionDep,
    fresh: PrometheusFreshness,
    _: ReadCaller,
    app: AppName,
    start: From = None,
    end: To = None,
    step: Step = "day",
) -> AppUsage:
    """An app's usage per model: tokens by type, requests, errors, latency and TTFT quantiles."""
    start, end = default_range(start, end)
    return service.app_usage(
        session=session,
        app=app,
        start=start,
        end=end,
        step=step,
        freshness=fresh,
        covered_until=service.usage_covered_until(session=session),
    )
