"""The dependency of the reads of an app's series from the usage rollups (its usage, its
costs): they share their transaction, Prometheus's freshness and how far the rollups reach."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypedDict

from fastapi import Depends
from sqlmodel import Session

from portal_api.deps import ReadCaller, SessionDep
from portal_api.sync.deps import PrometheusFreshness
from portal_api.sync.models import Freshness
from portal_api.usage.service import usage_covered_until


class SeriesRead(TypedDict):
    session: Session
    freshness: Freshness
    covered_until: dt.datetime | None


def series_read(session: SessionDep, fresh: PrometheusFreshness, _: ReadCaller) -> SeriesRead:
    return SeriesRead(
        session=session, freshness=fresh, covered_until=usage_covered_until(session=session)
    )


SeriesReadDep = Annotated[SeriesRead, Depends(series_read)]
