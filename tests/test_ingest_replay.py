"""Every ingest route is idempotent: posted twice, or ten times at once, it stores one thing.

Against a real server process on each database (so concurrent posts really race in separate
transactions): app registration, prompt pushes, evaluation runs (native JSON with and without
an external id, a promptfoo file with its evalId) and budgets.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import TOKENS, fresh_postgres_database
from tests.servers.process import PortalProcess, env_without_portal, start_portal

PROMPTFOO = Path(__file__).parent / "fixtures" / "promptfoo" / "results.json"
CONCURRENT = 10


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def portal(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PortalProcess]:
    workdir = tmp_path_factory.mktemp("replay")
    with ExitStack() as stack:
        url = (
            f"sqlite:///{workdir / 'portal.db'}"
            if request.param == "sqlite"
            else stack.enter_context(fresh_postgres_database("portal_replay"))
        )
        yield from _serve(url, workdir)


def _serve(url: str, workdir: Path) -> Iterator[PortalProcess]:
    tokens = [
        {"name": f"{scope}-client", "token": token, "scopes": [scope]}
        for scope, token in TOKENS.items()
    ]
    server = start_portal(
        ["serve"],
        env_without_portal(
            PORTAL_DATABASE_URL=url,
            PORTAL_API_TOKENS=json.dumps(tokens),
            PORTAL_SYNC_INTERVAL_SECONDS="0",
        ),
        workdir,
    )
    yield server
    server.stop()


def _headers(scope: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[scope]}"}


def _post(portal: PortalProcess, path: str, body: Any, scope: str = "ingest") -> requests.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(
        f"{portal.url}/api/v1{path}",
        data=data,
        headers={**_headers(scope), "Content-Type": "application/json"},
        timeout=120,
    )


def _total(portal: PortalProcess, path: str) -> int:
    response = requests.get(f"{portal.url}/api/v1{path}", headers=_headers("admin"), timeout=60)
    assert response.status_code == 200, response.text
    body = response.json()
    if isinstance(body, list):
        return len(body)
    if "total" in body:
        return int(body["total"])
    return len(body.get("items", body.get("prompts", [])))


def _replays(
    portal: PortalProcess,
    path: str,
    make: Callable[[str], Any],
    count: str,
    identity: Callable[[dict[str, Any]], Any],
    scope: str = "ingest",
) -> None:
    """Posted twice, then ten identical posts at once: one thing stored each time."""
    before = _total(portal, count)
    first = _post(portal, path, make("a"), scope)
    assert first.status_code in (200, 201), first.text
    again = _post(portal, path, make("a"), scope)
    assert again.status_code == 200, again.text
    assert identity(again.json()) == identity(first.json())
    assert _total(portal, count) == before + 1

    body = make("b")
    with ThreadPoolExecutor(CONCURRENT) as pool:
        answers = list(pool.map(lambda _: _post(portal, path, body, scope), range(CONCURRENT)))
    assert all(a.status_code in (200, 201) for a in answers), [a.text for a in answers]
    assert sorted(a.status_code for a in answers).count(201) <= 1
    assert len({json.dumps(identity(a.json())) for a in answers}) == 1
    assert _total(portal, count) == before + 2


def _app(portal: PortalProcess) -> str:
    name = f"app-{uuid.uuid4().hex[:8]}"
    assert _post(portal, "/apps", {"name": name, "team": "care"}).status_code == 201
    prompt = {"prompts": [{"name": "answer", "template": "Answer {{ q }}", "model": "gpt-4o"}]}
    assert _post(portal, f"/apps/{name}/prompts", prompt).status_code == 200
    return name


def test_app_registration(portal: PortalProcess) -> None:
    tag = uuid.uuid4().hex[:6]
    _replays(
        portal,
        "/apps",
        lambda k: {"name": f"reg-{tag}-{k}", "team": "care", "description": "tab\tand\nlines"},
        "/apps",
        lambda body: body["name"],
    )


def test_prompt_push(portal: PortalProcess) -> None:
    app = _app(portal)
    _replays(
        portal,
        f"/apps/{app}/prompts",
        lambda k: {"prompts": [{"name": f"p-{k}", "template": f"{k}: {{{{ q | trim }}}}"}]},
        f"/apps/{app}/prompts",
        lambda body: body["versions"][0]["content_hash"],
    )
    assert _total(portal, f"/apps/{app}/prompts/p-b/versions") == 1


def _native(external_id: str | None) -> Callable[[str], dict[str, Any]]:
    def make(key: str) -> dict[str, Any]:
        return {
            "prompt": {"name": "answer", "version": 1},
            "dataset": f"smoke-{key}",
            "model": "gpt-4o",
            "started": "2026-11-20T10:00:00Z",
            "finished": "2026-11-20T10:05:00Z",
            "external_id": None if external_id is None else f"{external_id}-{key}",
            "cases": [
                {"input": "q", "output": "a", "expected": "a", "passed": True},
                {"input": "attack", "output": None, "blocked": True, "passed": True},
            ],
        }

    return make


@pytest.mark.parametrize("external_id", ["ci-run-17", None], ids=["external_id", "content"])
def test_eval_run_native(portal: PortalProcess, external_id: str | None) -> None:
    app = _app(portal)
    _replays(
        portal, f"/apps/{app}/evals", _native(external_id), f"/apps/{app}/evals", lambda b: b["id"]
    )


def test_eval_run_promptfoo(portal: PortalProcess) -> None:
    app = _app(portal)
    original = json.loads(PROMPTFOO.read_text())

    def make(key: str) -> bytes:
        return json.dumps({**original, "evalId": f"{original.get('evalId')}-{key}"}).encode()

    _replays(
        portal,
        f"/apps/{app}/evals?prompt=answer&version=1",
        make,
        f"/apps/{app}/evals",
        lambda b: b["id"],
    )


def test_eval_run_same_id_other_content_is_a_conflict(portal: PortalProcess) -> None:
    app = _app(portal)
    body = _native("ci-run-9")("x")
    assert _post(portal, f"/apps/{app}/evals", body).status_code == 201
    other = _post(portal, f"/apps/{app}/evals", {**body, "dataset": "another"})
    assert other.status_code == 409
    assert other.json()["error"] == "Conflict"
    assert _total(portal, f"/apps/{app}/evals") == 1


def test_budget(portal: PortalProcess) -> None:
    tag = uuid.uuid4().hex[:6]
    _replays(
        portal,
        "/budgets",
        lambda k: {"scope": "app", "name": f"b-{tag}-{k}", "amount": "250.00"},
        "/budgets",
        lambda body: body["id"],
        scope="admin",
    )
