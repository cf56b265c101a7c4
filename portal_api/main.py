"""The FastAPI application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from portal_api import __version__
from portal_api.apps.router import router as apps_router
from portal_api.auth import TokenStore
from portal_api.cache import ResponseCache, track_writes
from portal_api.catalog.router import router as catalog_router
from portal_api.config import Settings, get_settings
from portal_api.costs.pricing import priced_usage_reader
from portal_api.costs.router import router as costs_router
from portal_api.db import Database, make_engine, migrate
from portal_api.errors import install_error_handlers
from portal_api.evals.router import router as evals_router
from portal_api.evals.service import version_scores
from portal_api.health import router as health_router
from portal_api.kit.lookup import Lookups
from portal_api.observability import MetricsMiddleware
from portal_api.policy import InputPolicyMiddleware
from portal_api.precompute import after_pass
from portal_api.prompts.readers import PromptReaders
from portal_api.prompts.router import router as prompts_router
from portal_api.readiness.router import router as readiness_router
from portal_api.readiness.scorecard import load_scorecard
from portal_api.security.router import guard_router
from portal_api.security.router import router as security_router
from portal_api.sources.bundle import Sources
from portal_api.steps import all_steps
from portal_api.stored import StoredLevel
from portal_api.sync.collector import BackgroundSync
from portal_api.sync.router import router as sources_router
from portal_api.timeline.router import router as timeline_router
from portal_api.usage.router import router as usage_router

log = logging.getLogger(__name__)

DESCRIPTION = """Aggregates, per GenAI app, model usage, costs, prompt versions, evaluation
scores and security findings. Every `/api/v1` route needs `Authorization: Bearer <token>`
with the scope that the operation's security requirement names (read, ingest or admin;
admin implies the others). Errors are `{"error": "<Kind>", "detail": "..."}`."""


ERROR_SCHEMA = {
    "title": "ErrorBody",
    "type": "object",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string", "description": "Kind of error, e.g. NotFound"},
        "detail": {"type": "string", "description": "What went wrong, for a person"},
        "source": {"type": "string", "description": "The source that is down (503 only)"},
    },
}
_ERRORS = {
    "400": "Malformed request (e.g. body is not JSON, a parameter is not UTF-8)",
    "401": "Missing or invalid bearer token",
    "403": "The token lacks the scope this operation needs",
    "413": "Request body too large",
    "422": "Invalid input (e.g. a string holding a control character)",
}


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The generated document, with the error body every operation really answers with."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        schemas["ErrorBody"] = ERROR_SCHEMA
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        ref = {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        }
        for path, operations in spec.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, text in _ERRORS.items():
                    if code in ("401", "403") and not path.startswith("/api/v1"):
                        continue
                    if code == "413" and "requestBody" not in operation:
                        continue
                    responses[code] = {"description": text, **ref}
                if "{" in path:
                    responses.setdefault("404", {"description": "No such object", **ref})
                for code, response in responses.items():
                    if code.startswith(("4", "5")) and code not in _ERRORS:
                        response.setdefault("content", ref["content"])
        app.openapi_schema = spec
        return spec

    return build


# Every domain's routes under /api/v1, in this order (docs/feature-map.md lists them).
API_ROUTERS = (
    apps_router,
    prompts_router,
    evals_router,
    sources_router,
    catalog_router,
    usage_router,
    costs_router,
    security_router,
    guard_router,
    readiness_router,
    timeline_router,
)
API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    api = APIRouter(prefix=API_PREFIX)
    for router in API_ROUTERS:
        api.include_router(router)
    return api


def create_app(
    settings: Settings | None = None,
    *,
    db: Database | None = None,
    sources: Sources | None = None,
    background_sync: bool = False,
) -> FastAPI:
    """Build the app. Tests pass their own database and sources; ``serve`` passes none."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned_engine = None
        if db is None:
            owned_engine = make_engine(
                settings.database_url,
                pool_size=settings.db_pool_size,
                max_overflow=settings.db_max_overflow,
            )
            if settings.auto_migrate:
                migrate(owned_engine)
            app.state.db = Database(owned_engine)
        owned_sources = sources is None
        if owned_sources:
            app.state.sources = Sources.from_settings(settings)
        # The response cache's lookups, on this loop (kit/lookup.py).
        lookups = app.state.lookups = Lookups(app.state.db.bind)
        lookups.start()
        syncer = None
        if background_sync and settings.sync_interval_seconds > 0:
            syncer = BackgroundSync(
                db=app.state.db,
                sources=app.state.sources,
                settings=settings,
                steps=app.state.sync_steps,
                after=app.state.after_sync,
            )
            syncer.start()
        try:
            yield
        finally:
            await lookups.close()
            if syncer is not None:
                syncer.stop()
            if owned_sources:
                app.state.sources.close()
            if owned_engine is not None:
                owned_engine.dispose()

    app = FastAPI(
        title="GenAI Portal API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.sync_steps = all_steps()
    # After every pass: the dashboards' reads stored for every worker (portal_api/stored.py).
    app.state.after_sync = after_pass(create_app)
    # What the prompt pages read from evals and usage: prompts imports neither.
    app.state.prompt_readers = PromptReaders(scores=version_scores, usage=priced_usage_reader)
    # A broken scorecard file stops start-up here, with the file, the line and the reason.
    app.state.scorecard = load_scorecard(settings.scorecard_file)
    app.state.tokens = TokenStore(settings.api_tokens)
    if db is not None:
        app.state.db = db
    if sources is not None:
        app.state.sources = sources
    if not settings.api_tokens:
        log.warning("PORTAL_API_TOKENS is empty: every /api/v1 call will be refused")
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    install_error_handlers(app)
    # Innermost: answers served from the cache still pass the input policy and are counted.
    track_writes()
    app.add_middleware(
        ResponseCache,
        max_bytes=settings.response_cache_mb * 1024 * 1024,
        ttl_seconds=settings.response_cache_seconds,
        stored=StoredLevel(
            serve=settings.stored_answers, ttl_seconds=settings.response_cache_seconds
        ),
    )
    # Added first, so it runs inside the metrics middleware: refusals are counted too.
    app.add_middleware(InputPolicyMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(MetricsMiddleware)
    app.include_router(health_router)
    app.include_router(api_router())
    return app


def serve_app() -> FastAPI:
    """The app of one ``serve`` worker process (settings from the environment; the sync runs
    in the supervising process, not in each worker)."""
    return create_app(get_settings())
