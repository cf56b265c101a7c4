"""The reads of an app's series from the usage rollups (its usage, its costs): a Prometheus
read that also knows how far the rollups reach, computed and written as JSON in one worker
thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from portal_api.deps import ReadCaller, get_db
from portal_api.kit.jsonbody import json_bytes
from portal_api.params import PrometheusRead
from portal_api.sync.deps import marked_freshness
from portal_api.sync.service import source_rows
from portal_api.usage.service import usage_covered_until

Document = Mapping[str, Any]


class SeriesRead(PrometheusRead):
    covered_until: dt.datetime | None


def _in_read(
    request: Request, response: Response, answer: Callable[[SeriesRead], Document]
) -> bytes:
    """``answer`` in a transaction that only reads, given Prometheus's freshness and the usage
    step's watermark, both from one read of Prometheus's step rows; as JSON."""
    with get_db(request).session_scope(read_only=True) as session:
        rows = source_rows(session=session, source="prometheus", step="usage")
        document = answer(
            SeriesRead(
                session=session,
                freshness=marked_freshness(request, response, session, "prometheus", rows),
                covered_until=usage_covered_until(rows),
            )
        )
    return json_bytes(document)


class SeriesReader:
    """Computes an answer of the request in one hop to the threadpool: the transaction, the
    freshness, the answer and its JSON together (as dependencies and a sync handler they took
    five hops, each a wait for a thread under load). The answer is a plain document in its
    model's shape (``kit.jsonbody``): no model is built or validated per bucket."""

    def __init__(self, request: Request, response: Response) -> None:
        self._request = request
        self._response = response

    async def __call__(self, answer: Callable[[SeriesRead], Document]) -> Response:
        body = await run_in_threadpool(_in_read, self._request, self._response, answer)
        response = Response(content=body, media_type="application/json")
        # The headers the read set (X-Portal-Stale), after the body's, as FastAPI adds them.
        response.headers.raw.extend(self._response.headers.raw)
        return response


async def series_reader(request: Request, response: Response, _: ReadCaller) -> SeriesReader:
    return SeriesReader(request, response)


SeriesReaderDep = Annotated[SeriesReader, Depends(series_reader)]
