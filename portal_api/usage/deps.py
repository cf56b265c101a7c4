"""The reads of an app's series from the usage rollups (its usage, its costs): a Prometheus
read that also knows how far the rollups reach, computed in one worker thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from portal_api.deps import ReadCaller, get_db
from portal_api.params import PrometheusRead
from portal_api.sync.deps import marked_freshness
from portal_api.sync.service import source_rows
from portal_api.usage.service import usage_covered_until

T = TypeVar("T")


class SeriesRead(PrometheusRead):
    covered_until: dt.datetime | None


def _in_read(request: Request, response: Response, answer: Callable[[SeriesRead], T]) -> T:
    """``answer`` in a transaction that only reads, given Prometheus's freshness and the usage
    step's watermark, both from one read of Prometheus's step rows."""
    with get_db(request).session_scope(read_only=True) as session:
        rows = source_rows(session=session, source="prometheus", step="usage")
        return answer(
            SeriesRead(
                session=session,
                freshness=marked_freshness(request, response, session, "prometheus", rows),
                covered_until=usage_covered_until(rows),
            )
        )


class SeriesReader:
    """Computes an answer of the request in one hop to the threadpool: the transaction, the
    freshness and the answer together (as dependencies and a sync handler they took five
    hops, each a wait for a thread under load)."""

    def __init__(self, request: Request, response: Response) -> None:
        self._request = request
        self._response = response

    async def __call__(self, answer: Callable[[SeriesRead], T]) -> T:
        return await run_in_threadpool(_in_read, self._request, self._response, answer)


async def series_reader(request: Request, response: Response, _: ReadCaller) -> SeriesReader:
    return SeriesReader(request, response)


SeriesReaderDep = Annotated[SeriesReader, Depends(series_reader)]
