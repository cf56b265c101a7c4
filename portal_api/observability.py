"""The portal's own Prometheus metrics and the middleware that feeds them."""

from __future__ import annotations

import re
import time

from prometheus_client import Counter, Gauge, Histogram
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUESTS = Counter(
    "genai_portal_http_requests_total",
    "HTTP requests handled, by route template, method and status code.",
    ["method", "route", "status"],
)
REQUEST_SECONDS = Histogram(
    "genai_portal_http_request_duration_seconds",
    "HTTP request latency by route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SYNC_SECONDS = Histogram(
    "genai_portal_sync_step_duration_seconds",
    "Duration of each sync step.",
    ["source", "step"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
SYNC_FAILURES = Counter(
    "genai_portal_sync_step_failures_total", "Sync steps that failed.", ["source", "step"]
)
SYNC_LAST_SUCCESS = Gauge(
    "genai_portal_sync_step_last_success_timestamp_seconds",
    "Unix time of the last successful run of each sync step.",
    ["source", "step"],
)


class MetricsMiddleware:
    """Counts requests by route template (never the raw path, to bound label cardinality)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._templates: list[tuple[re.Pattern[str], str]] | None = None

    def _template(self, scope: Scope) -> str:
        if self._templates is None:
            # The OpenAPI document lists every route with its full template (prefixes included).
            spec = scope["app"].openapi()
            paths = [*spec.get("paths", {}), "/metrics"]
            self._templates = [(compile_path(p)[0], p) for p in paths]
        path = scope.get("path", "")
        return next((t for regex, t in self._templates if regex.match(path)), "unmatched")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def _send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, _send)
        finally:
            template = self._template(scope)
            method = scope.get("method", "GET")
            REQUESTS.labels(method, template, str(status)).inc()
            REQUEST_SECONDS.labels(method, template).observe(time.perf_counter() - start)
