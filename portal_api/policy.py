"""What every request passes before a handler sees it, in this order:

1. Authentication and scope (``/api/v1``): a caller without a valid token, or without the
   operation's scope, is answered 401/403 before anything it sent is read.
2. Path and query parameters: UTF-8 (else 400) without control characters (else 422 naming
   the parameter).
3. The body: at most ``PORTAL_MAX_BODY_BYTES`` (ingest routes: 50 MiB), else 413 before it is
   read further; UTF-8; JSON nested at most ``MAX_JSON_DEPTH`` levels (checked before parsing);
   no NaN/Infinity; no control characters in any string (422 naming the field).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_api.auth import TokenStore
from portal_api.errors import error_body
from portal_api.kit.strings import (
    control_character,
    json_depth,
    refused_string,
    timestamp_out_of_range,
)

MAX_JSON_DEPTH = 64
INGEST_BODY_BYTES = 50 * 1024 * 1024
# Routes whose bodies are whole result files or prompt sets.
INGEST_ROUTES = frozenset(
    {
        ("POST", "/api/v1/apps/{app}/evals"),
        ("POST", "/api/v1/apps/{app}/evals/run"),
        ("POST", "/api/v1/apps/{app}/prompts"),
    }
)
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Refused(Exception):
    def __init__(self, status: int, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.kind, self.detail = status, kind, detail

    def response(self) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return JSONResponse(
            error_body(self.kind, self.detail), status_code=self.status, headers=headers
        )


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # the template, e.g. /api/v1/apps/{app}
    regex: re.Pattern[str]
    scopes: frozenset[str] | None  # None: no authorization


def operations(api: FastAPI) -> list[Operation]:
    """Every operation with the scopes its security requirement names, from the OpenAPI
    document (the one description of the API that clients see too)."""
    found = []
    for path, items in api.openapi().get("paths", {}).items():
        regex = compile_path(path)[0]
        for method, operation in items.items():
            requirement = operation.get("security")
            scopes = (
                frozenset(s for entry in requirement for names in entry.values() for s in names)
                if requirement
                else None
            )
            found.append(Operation(method.upper(), path, regex, scopes))
    return found


def _match(
    table: list[Operation], method: str, path: str
) -> tuple[Operation, dict[str, str]] | None:
    for op in table:
        if op.method == method and (m := op.regex.match(path)):
            return op, m.groupdict()
    return None


def _authenticate(app: FastAPI, headers: Headers, scopes: frozenset[str]) -> None:
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Refused(401, "Unauthorized", "missing bearer token")
    store: TokenStore = app.state.tokens
    caller = store.identify(token.strip())
    if caller is None:
        raise Refused(401, "Unauthorized", "invalid token")
    for needed in sorted(scopes):
        if not caller.allows(needed):
            raise Refused(403, "Forbidden", f"token {caller.name!r} lacks the {needed!r} scope")


def _decoded(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "BadRequest", f"{what} is not UTF-8") from None


def _check_parameters(scope: Scope, path_params: dict[str, Any]) -> None:
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    _decoded(unquote_to_bytes(raw_path.split(b"?", 1)[0]), "the path")
    for name, value in path_params.items():
        if isinstance(value, str) and (found := control_character(value, free_text=False)):
            raise Refused(
                422,
                "ValidationError",
                f"path parameter {name}: control character {found} is not allowed",
            )
    query: bytes = scope.get("query_string", b"")
    for pair in query.split(b"&"):
        if not pair:
            continue
        raw_name, _, raw_value = pair.partition(b"=")
        name = _decoded(unquote_to_bytes(raw_name.replace(b"+", b" ")), "a query parameter name")
        if control_character(name, free_text=False):
            raise Refused(
                422, "ValidationError", "a query parameter name holds a control character"
            )
        value = _decoded(unquote_to_bytes(raw_value.replace(b"+", b" ")), f"query parameter {name}")
        if timestamp_out_of_range(value):
            raise Refused(
                422,
                "ValidationError",
                f"query parameter {name}: timestamp out of range (1900-01-01 to 9000-01-01 UTC)",
            )
        if found := control_character(value, free_text=False):
            raise Refused(
                422,
                "ValidationError",
                f"query parameter {name}: control character {found} is not allowed",
            )


def _not_a_number(token: str) -> float:
    raise Refused(422, "ValidationError", f"body: {token} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise Refused(422, "ValidationError", f"body: number {text[:40]} is out of range")
    return value


def check_body(body: bytes) -> None:
    """Raises Refused when the body breaks the policy; a body that is not JSON at all is left
    to the operation (it answers MalformedJSON with its own detail)."""
    if not body.strip():
        return
    text = _decoded(body, "the body")
    if json_depth(text) > MAX_JSON_DEPTH:
        raise Refused(400, "MalformedJSON", f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        document = json.loads(text, parse_constant=_not_a_number, parse_float=_finite)
    except json.JSONDecodeError:
        return  # not JSON: the operation answers MalformedJSON, naming line and column
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise Refused(422, "ValidationError", f"body: {exc}") from None
    problem = refused_string(document)
    if problem is not None:
        raise Refused(422, "ValidationError", problem)


class InputPolicyMiddleware:
    """Applies the policy above; handlers and their validation see only what passed."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int | Callable[[], int]) -> None:
        self.app = app
        self._max_body_bytes = max_body_bytes
        self._operations: list[Operation] | None = None

    def _limit(self, op: Operation) -> int:
        if (op.method, op.path) in INGEST_ROUTES:
            return INGEST_BODY_BYTES
        limit = self._max_body_bytes
        return limit() if callable(limit) else limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api: FastAPI = scope["app"]
        if self._operations is None:
            built = api.openapi_schema is not None
            self._operations = operations(api)
            if not built:  # rebuilt when /openapi.json is asked: a worker keeps no 6 MB copy
                api.openapi_schema = None
        method = scope.get("method", "GET")
        try:
            found = _match(self._operations, method, scope.get("path", ""))
            op, path_params = found if found is not None else (None, {})
            headers = Headers(scope=scope)
            if op is not None and op.scopes is not None:
                _authenticate(api, headers, op.scopes)
            _check_parameters(scope, path_params)
            if method not in _BODY_METHODS or op is None:
                await self.app(scope, receive, send)
                return
            body = await self._read_body(receive, headers, self._limit(op))
            check_body(body)
        except Refused as refused:
            await refused.response()(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    @staticmethod
    async def _read_body(receive: Receive, headers: Headers, limit: int) -> bytes:
        declared = headers.get("content-length")
        too_large = Refused(413, "PayloadTooLarge", f"body larger than {limit} bytes")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, original: Receive) -> Receive:
    """The body already read, then the server's own messages (e.g. the disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive
