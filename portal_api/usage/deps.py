"""The reads of an app's series from the usage rollups (its usage, its costs): a Prometheus
read that also knows how far the rollups reach, computed in one worker thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from portal_api.deps import get_db
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
        rows = source_rows(session=session, source="prometheus")
        return answer(
            SeriesRead(
                session=session,
                freshness=marked_freshness(request, response, session, "prometheus", rows),
                covered_until=usage_covered_until(rows),
            )
        )


async def series_answer(
    request: Request, response: Response, answer: Callable[[SeriesRead], T]
) -> T:
    """``answer`` computed in one hop to the threadpool: the transaction, the freshness and the
    answer together (as dependencies and a sync handler they took four hops, each a wait for
    a thread under load)."""
    return await run_in_threadpool(_in_read, request, response, answer)
