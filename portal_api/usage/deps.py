"""The dependency of the reads of an app's series from the usage rollups (its usage, its
costs): a Prometheus read that also knows how far the rollups reach."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Request, Response

from portal_api.deps import ReadCaller, ReadSessionDep
from portal_api.params import PrometheusRead
from portal_api.sync.deps import marked_freshness
from portal_api.sync.service import source_rows
from portal_api.usage.service import usage_covered_until


class SeriesRead(PrometheusRead):
    covered_until: dt.datetime | None


def series_read(
    request: Request, response: Response, session: ReadSessionDep, _: ReadCaller
) -> SeriesRead:
    """A transaction that only reads, Prometheus's freshness and the usage step's watermark,
    both from one read of Prometheus's step rows."""
    rows = source_rows(session=session, source="prometheus", step="usage")
    return SeriesRead(
        session=session,
        freshness=marked_freshness(request, response, session, "prometheus", rows),
        covered_until=usage_covered_until(rows),
    )


SeriesReadDep = Annotated[SeriesRead, Depends(series_read)]
