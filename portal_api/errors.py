"""Errors the portal raises on purpose, and the one JSON shape every error takes."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)
T = TypeVar("T")


# The ``error`` field of an error answered with this HTTP status.
_HTTP_KINDS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    422: "ValidationError",
    429: "TooManyRequests",
}


class PortalError(Exception):
    """Base of the errors a service raises; ``kind`` becomes the ``error`` field.

    A subclass names its HTTP status once (``class X(PortalError, status=404)``); its ``kind``
    is that status's name in :data:`_HTTP_KINDS` unless it sets one of its own.
    """

    status_code = 400
    kind = "BadRequest"

    def __init_subclass__(cls, status: int | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status_code, cls.kind = status, _HTTP_KINDS[status]

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code


class NotFoundError(PortalError, status=404):
    """What the request names does not exist."""


def or_not_found(value: T | None, message: str) -> T:
    """``value``, or a 404 with ``message`` when there is none."""
    if value is None:
        raise NotFoundError(message)
    return value


class ConflictError(PortalError, status=409):
    """The request contradicts what is stored (a duplicate, a stale version)."""


class InvalidInputError(PortalError, status=422):
    """The request is well-formed but its values are not acceptable."""


class UnauthorizedError(PortalError, status=401):
    """No valid credentials came with the request."""


class ForbiddenError(PortalError, status=403):
    """The credentials are valid but lack the scope the request needs."""


class SourceError(PortalError):
    """A data source (Kubernetes, Prometheus, OpenAI) failed or could not be reached.

    `status` is the HTTP status the source answered (404: that resource is not served, 409:
    someone else wrote first), or None when no HTTP status came (timeout, connection refused,
    misconfiguration, a body that is not JSON). `status_code` stays 503: what the portal answers its own caller.
    """

    status_code = 503
    kind = "SourceUnavailable"

    def __init__(self, source: str, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.status = status


def error_body(kind: str, detail: Any) -> dict[str, Any]:
    return {"error": kind, "detail": detail}


def _validation_detail(exc: RequestValidationError) -> tuple[str, str]:
    errors = exc.errors()
    if any(err.get("type") == "json_invalid" for err in errors):
        return "MalformedJSON", "request body is not valid JSON"
    parts = []
    for err in errors:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
    return "ValidationError", "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PortalError)
    async def _portal_error(_: Request, exc: PortalError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        body = error_body(exc.kind, exc.message)
        if isinstance(exc, SourceError):
            body["source"] = exc.source
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        kind, detail = _validation_detail(exc)
        status = 400 if kind == "MalformedJSON" else 422
        return JSONResponse(error_body(kind, detail), status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = _HTTP_KINDS.get(exc.status_code, "Error")
        return JSONResponse(
            error_body(kind, exc.detail), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error: %s", type(exc).__name__)
        return JSONResponse(error_body("InternalError", "internal server error"), status_code=500)
