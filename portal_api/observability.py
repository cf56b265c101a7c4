"""The portal's own Prometheus metrics and the middleware that feeds them."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from prometheus_client import Counter, Gauge, Histogram
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
CACHE_ANSWERS = Counter(
    "genai_portal_response_cache_answers_total",
    "GET /api/v1 reads by where their answer came from: this worker's memory, the answers the "
    "sync stored (stored), another request computing the same answer (waited), or computed.",
    ["answer"],
)
FROM_MEMORY, FROM_STORED, WAITED, COMPUTED = (
    CACHE_ANSWERS.labels(answer) for answer in ("memory", "stored", "waited", "computed")
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


UNMATCHED = "unmatched"  # one label for every path no route serves: bounded cardinality


@dataclass(frozen=True)
class _Template:
    path: str  # the full template, prefixes included: /api/v1/apps/{app}
    regex: re.Pattern[str]
    methods: frozenset[str]

    @property
    def prefix(self) -> str:
        """What every path it matches starts with (the template up to its first parameter)."""
        return self.path.split("{", 1)[0]


class RouteTemplates:
    """The route template of a request, from the route the router matched.

    FastAPI leaves the matched route object in ``scope["route"]``; its own ``path`` lacks the
    prefixes of the routers it was included through, so the full templates are read once from
    FastAPI's route contexts and looked up by route. A request answered before routing (a
    refusal of the input policy) is matched against the same templates, the way the router
    would have matched it; a path no route serves is `UNMATCHED`.
    """

    def __init__(self, app: FastAPI) -> None:
        self._by_route: dict[int, str | None] = {}
        self._all: list[_Template] = []
        for context in iter_route_contexts(app.routes):
            path, regex = context.path_format, getattr(context, "path_regex", None)
            if not isinstance(path, str) or regex is None:
                continue
            key = id(context.original_route)
            # A route included twice has two templates: it is then matched by path instead.
            self._by_route[key] = path if self._by_route.get(key, path) == path else None
            self._all.append(_Template(path, regex, frozenset(context.methods or ())))
        # (prefix, template): a regex is tried only where the path starts with the prefix.
        self._prefixed = [(t.prefix, t) for t in self._all]
        # Paths matched by regex (answers from the response cache never reach the router):
        # the same few thousand are asked again and again; a new one is matched only against
        # the templates whose fixed start it has.
        self._by_path: dict[tuple[str, str], str] = {}

    def of(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is not None and (found := self._by_route.get(id(route))) is not None:
            return found
        key = (scope.get("method", "GET"), scope.get("path", ""))
        found = self._by_path.get(key)
        if found is None:
            method, path = key
            served = [t for p, t in self._prefixed if path.startswith(p) and t.regex.match(path)]
            same_method = [t for t in served if method in t.methods]
            found = (same_method or served)[0].path if served else UNMATCHED
            if len(self._by_path) >= 4096:
                self._by_path.clear()
            self._by_path[key] = found
        return found


class MetricsMiddleware:
    """Counts requests by route template (never the raw path, to bound label cardinality)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._templates: RouteTemplates | None = None

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
            if self._templates is None:  # the app's routes are all included by now
                self._templates = RouteTemplates(scope["app"])
            template = self._templates.of(scope)
            method = scope.get("method", "GET")
            REQUESTS.labels(method, template, str(status)).inc()
            REQUEST_SECONDS.labels(method, template).observe(time.perf_counter() - start)
