"""The freshness dependencies: how fresh the stored data of a source is, for the reads that
carry the staleness marker (JSON ``freshness`` and the ``X-Portal-Stale`` header)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlmodel import Session

from portal_api.db import utcnow
from portal_api.deps import STALE_HEADER, SessionDep, get_app_settings, get_sources, stale_header
from portal_api.sync.models import Freshness, SourceStatus
from portal_api.sync.service import freshness, stale_after


def marked_freshness(
    request: Request,
    response: Response,
    session: Session,
    source: str,
    rows: list[SourceStatus] | None = None,
) -> Freshness:
    """How fresh the stored data of ``source`` is (from its steps' ``rows`` when given), with
    the ``X-Portal-Stale: true|false`` header set on ``response``."""
    settings = get_app_settings(request)
    fresh = freshness(
        session=session,
        source=source,
        now=utcnow(),
        stale_after=stale_after(settings.sync_interval_seconds),
        configured=get_sources(request).configured().get(source, False),
        rows=rows,
    )
    response.headers[STALE_HEADER] = stale_header(fresh)
    return fresh


def source_freshness(source: str) -> Callable[..., Freshness]:
    """A dependency: how fresh the stored data of ``source`` is. It also sets the
    ``X-Portal-Stale: true|false`` header, the marker of reads that are not JSON objects
    (CSV, HTML, YAML, JSON lists)."""

    def dependency(request: Request, response: Response, session: SessionDep) -> Freshness:
        return marked_freshness(request, response, session, source)

    return dependency


# Apps, prompts running, findings: the cluster. Usage, costs, guardrails: Prometheus.
KubernetesFreshness = Annotated[Freshness, Depends(source_freshness("kubernetes"))]
PrometheusFreshness = Annotated[Freshness, Depends(source_freshness("prometheus"))]
