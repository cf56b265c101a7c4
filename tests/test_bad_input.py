"""A corpus of bad input applied to every operation and every parameter, on both databases.

NUL bytes and other control characters, invalid UTF-8, 10 MB bodies, deep nesting,
huge and negative numbers, dates out of range, path traversal and SQL-looking strings: never
a 5xx, never a traceback in the log, every 4xx in the error body, and nothing already stored
is lost.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.main import create_app
from portal_api.sources.bundle import Sources
from tests.conftest import bearer

APP = "chat"
# Raw (already percent-encoded) values for path and query parameters.
BAD_PARAMETERS = [
    "a%00b",
    "%00",
    "a%01b",
    "tab%09",
    "%7F",
    "%C2%85",
    "%FF%FE",
    "%C3%28",
    "-1",
    "0",
    "4611686018427387903",
    "99999999999999999999999999999999999999",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "0001-01-01T00:00:00%2B14:00",
    "9999-12-31T23:59:59-14:00",
    "10000-01-01T00:00:00Z",
    "..%2F..%2Fetc%2Fpasswd",
    "..",
    quote("' OR 1=1 --"),
    quote("x'; DROP TABLE app; --"),
    "%E2%80%AE" * 3,
    "a" * 5000,
]
TEN_MB = 10 * 1024 * 1024
BAD_BODIES: list[bytes] = [
    b"",
    b"{",
    b"\xff\xfe{}",
    b'{"a": "\xc3\x28"}',
    b"[" * 200_000,
    b'{"a":' * 100_000,
    b'{"x": NaN}',
    b'{"x": 1e999}',
    b'{"x": ' + b"9" * 5000 + b"}",
    b'"\\u0000"',
    b"null",
    b"[]",
    b'{"\\u0000": 1}',
    b'{"a": "' + b"x" * TEN_MB + b'"}',
]
VALID_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/v1/apps"): {"name": "other", "description": "An app", "team": "care"},
    ("post", "/api/v1/apps/{app}/prompts"): {
        "author": "ci",
        "commit": "abc123",
        "prompts": [{"name": "answer", "template": "Answer {{ q }}", "model": "gpt-4o-mini"}],
    },
    ("post", "/api/v1/apps/{app}/evals"): {
        "prompt": {"name": "answer", "version": 1},
        "dataset": "smoke",
        "started": "2026-11-20T10:00:00Z",
        "finished": "2026-11-20T10:05:00Z",
        "external_id": "ci-1",
        "cases": [{"input": "q", "output": "a", "expected": "a", "passed": True}],
    },
    ("post", "/api/v1/apps/{app}/evals/run"): {
        "prompt": {"name": "answer"},
        "dataset": "smoke",
        "cases": '{"vars": {"q": "x"}}',
        "scorers": [{"type": "exact"}],
    },
    ("put", "/api/v1/apps/{app}/prompts/{name}/labels/{label}"): {"version": 1, "reason": "ok"},
    ("post", "/api/v1/findings/{finding_id}/suppress"): {
        "reason": "accepted risk",
        "until": "2030-01-01T00:00:00Z",
    },
    ("post", "/api/v1/budgets"): {"scope": "team", "name": "care", "amount": "100.00"},
    ("put", "/api/v1/budgets/{budget_id}"): {"amount": "120.00"},
    ("post", "/api/v1/guard/check"): {"text": "hello", "direction": "input"},
    ("post", "/api/v1/guard/check/batch"): {"items": [{"text": "hello", "direction": "input"}]},
}
GOOD_PATH = {
    "app": APP,
    "name": "answer",
    "number": "1",
    "label": "staging",
    "finding_id": "1",
    "budget_id": "1",
    "run_id": "1",
}
LEAF_MUTATIONS: list[Any] = [
    "a\x00b",
    "\x1b[31m",
    "\u202e",
    -1,
    2**63,
    -(2**63) - 1,
    10**40,
    1e308,
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "../../etc/passwd",
    "' OR 1=1 --",
    "",
    None,
    [],
    {},
    True,
]


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    app = create_app(settings, db=db, sources=Sources())
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _seed(client: TestClient) -> None:
    admin = bearer("admin")
    for (method, path), body in VALID_BODIES.items():
        if path.endswith(("/run", "/suppress")) or "{budget_id}" in path:
            continue
        url = path.format(**GOOD_PATH)
        if path == "/api/v1/apps":
            client.post(url, json={"name": APP, "team": "care"}, headers=admin)
        response = client.request(method.upper(), url, json=body, headers=admin)
        assert response.status_code < 300, (path, response.text)


def _operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    spec = client.get("/openapi.json").json()
    return [
        (method, path, operation)
        for path, items in spec["paths"].items()
        for method, operation in items.items()
    ]


def _url(path: str, params: dict[str, str]) -> str:
    return re.sub(
        r"\{(\w+)\}", lambda m: params.get(m.group(1), GOOD_PATH.get(m.group(1), "x")), path
    )


def _mutations(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every leaf path of a JSON value (each leaf gets each mutation)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _mutations(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _mutations(item, (*path, i))
    else:
        yield path, value


def _replace(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    copy = json.loads(json.dumps(document))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return copy


def _counts(client: TestClient) -> tuple[int, int, int]:
    read = bearer("admin")
    apps = client.get("/api/v1/apps", headers=read).json()["total"]
    runs = client.get(f"/api/v1/apps/{APP}/evals", headers=read).json()["total"]
    versions = client.get(f"/api/v1/apps/{APP}/prompts/answer/versions", headers=read).json()
    return apps, runs, versions["total"]


def test_bad_input_never_answers_5xx(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    _seed(client)
    before = _counts(client)
    caplog.set_level(logging.WARNING)
    admin = bearer("admin")
    failures: list[str] = []
    sent = 0

    def check(method: str, url: str, **kwargs: Any) -> None:
        nonlocal sent
        sent += 1
        response = client.request(method.upper(), url, headers=admin, **kwargs)
        what = f"{method.upper()} {url[:120]} {str(kwargs)[:120]}"
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {what}: {response.text[:200]}")
        elif response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                failures.append(f"{response.status_code} without a JSON body: {what}")
                return
            if not (isinstance(body, dict) and {"error", "detail"} <= set(body)):
                failures.append(f"{response.status_code} not in the error body: {what}")

    for method, path, operation in _operations(client):
        if path in ("/metrics",) or path.endswith("/sync"):
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] not in ("path", "query"):
                continue
            for value in BAD_PARAMETERS:
                if parameter["in"] == "path":
                    url = _url(path, {parameter["name"]: value})
                else:
                    url = _url(path, {}) + f"?{parameter['name']}={value}"
                body = VALID_BODIES.get((method, path))
                check(method, url, **({"json": body} if body is not None else {}))
        if "requestBody" not in operation:
            continue
        url = _url(path, {})
        for raw in BAD_BODIES:
            sent += 1
            response = client.request(
                method.upper(),
                url,
                content=raw,
                headers={**admin, "Content-Type": "application/json"},
            )
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {method} {path} body {raw[:40]!r}")
            elif response.status_code >= 400 and "error" not in response.json():
                failures.append(f"{response.status_code} not in the error body: {path}")
        valid = VALID_BODIES.get((method, path))
        if valid is None:
            continue
        for leaf, _ in _mutations(valid):
            for new in LEAF_MUTATIONS:
                check(method, url, json=_replace(valid, leaf, new))

    tracebacks = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert not failures, f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures[:40])
    assert not tracebacks, [r.getMessage() for r in tracebacks[:5]]
    assert sent > 1500
    # Nothing stored was lost (a mutated body may add an app or a run, never remove one).
    after = _counts(client)
    assert all(a >= b for a, b in zip(after, before, strict=True)), (before, after)
