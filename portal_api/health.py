"""Open routes for probes and scrapers: /healthz, /readyz, /metrics."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

from portal_api import __version__
from portal_api.db import Database, utcnow
from portal_api.sync import service as sync_service

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok", "version": __version__}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """Readiness: the database answers. Sources are listed; one that is down does not make
    the portal unready, since it serves stored data marked stale."""
    db: Database = request.app.state.db
    body: dict[str, Any] = {"status": "ok", "database": "ok"}
    try:
        db.ping()
        with db.session() as session:
            statuses = sync_service.list_source_status(
                session=session,
                configured=request.app.state.sources.configured(),
                now=utcnow(),
                stale_after=sync_service.stale_after(
                    request.app.state.settings.sync_interval_seconds
                ),
            )
        body["sources"] = [s.model_dump(mode="json") for s in statuses]
    except Exception as exc:
        log.warning("readiness check failed: %s", type(exc).__name__)
        return JSONResponse(
            {"status": "unavailable", "database": f"error: {type(exc).__name__}"}, status_code=503
        )
    return JSONResponse(body)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """The portal's own metrics in the Prometheus text format, with cost and budget gauges."""
    from portal_api.costs.metrics import CostCollector

    body = generate_latest(REGISTRY)
    domain = CollectorRegistry(auto_describe=False)
    domain.register(
        CostCollector(request.app.state.db, request.app.state.settings.budget_thresholds)
    )
    try:
        body += generate_latest(domain)
    except Exception as exc:  # the process metrics still answer when the database does not
        log.warning("cost metrics unavailable: %s", type(exc).__name__)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
