"""Routes of usage: an app's tokens, requests, errors and latency per model."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from portal_api.apps.router import AppName
from portal_api.db import utcnow
from portal_api.deps import PrometheusFreshness, ReadCaller, SessionDep
from portal_api.errors import InvalidInputError
from portal_api.kit.timeutil import floor_hour
from portal_api.usage import service
from portal_api.usage.models import AppUsage, Step

router = APIRouter(prefix="/apps", tags=["usage"])

From = Annotated[
    dt.datetime | None, Query(alias="from", description="Start (default: to - 30 days)")
]
To = Annotated[dt.datetime | None, Query(alias="to", description="End, exclusive (default: now)")]


def default_range(
    start: dt.datetime | None, end: dt.datetime | None, days: int = 30
) -> tuple[dt.datetime, dt.datetime]:
    try:
        end = end or floor_hour(utcnow()) + dt.timedelta(hours=1)
        return start or end - dt.timedelta(days=days), end
    except OverflowError:
        raise InvalidInputError("from/to are out of range") from None


# How fresh the stored usage is: the staleness marker of every usage and cost read.
FreshnessDep = PrometheusFreshness


@router.get("/{app}/usage", response_model=AppUsage)
def app_usage(
    session: SessionDep,
    fresh: FreshnessDep,
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
