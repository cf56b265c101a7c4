"""The dependency of the reads of an app's series from the usage rollups (its usage, its
costs): a Prometheus read that also knows how far the rollups reach."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends

from portal_api.params import PrometheusRead, PrometheusReadDep
from portal_api.usage.service import usage_covered_until


class SeriesRead(PrometheusRead):
    covered_until: dt.datetime | None


def series_read(read: PrometheusReadDep) -> SeriesRead:
    return SeriesRead(**read, covered_until=usage_covered_until(session=read["session"]))


SeriesReadDep = Annotated[SeriesRead, Depends(series_read)]
