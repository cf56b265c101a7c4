"""Prompt versions through the API: CI pushes, reads, diffs, labels."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from portal_api.db import Database
from portal_api.prompts.models import PromptVersion
from tests.conftest import bearer
from tests.factories import make_app


@pytest.fixture
def app_name(db: Database) -> str:
    with db.session_scope() as session:
        make_app(session, name="support-bot")
    return "support-bot"


def push(client: TestClient, app: str, *prompts: dict[str, Any], **extra: Any) -> Any:
    return client.post(
        f"/api/v1/apps/{app}/prompts",
        json={"prompts": list(prompts), "author": "ci@example.com", "commit": "abc123", **extra},
        headers=bearer("ingest"),
    )


ANSWER = {
    "name": "answer",
    "template": "You are helpful.\nAnswer {{ question }} using {{context}}.\n",
    "model": "gpt-4o",
    "parameters": {"temperature": 0.2},
    "path": "prompts/answer.yaml",
}


def test_ci_push_is_idempotent(client: TestClient, app_name: str, db: Database) -> None:
    first = push(client, app_name, ANSWER, {"name": "title", "template": "Title for {{q}}"})
    assert first.status_code == 200, first.text
    assert [(v["name"], v["number"], v["created"]) for v in first.json()["versions"]] == [
        ("answer", 1, True),
        ("title", 1, True),
    ]
    # Same content again, variables listed in another order: still version 1.
    again = push(client, app_name, {**ANSWER, "variables": ["question", "context"]})
    assert again.json()["versions"] == [
        {
            "name": "answer",
            "number": 1,
            "content_hash": first.json()["versions"][0]["content_hash"],
            "created": False,
        }
    ]
    changed = push(client, app_name, {**ANSWER, "parameters": {"temperature": 0.7}})
    assert changed.json()["versions"][0]["number"] == 2
    with db.session() as session:
        assert session.exec(select(func.count()).select_from(PromptVersion)).one() == 3

    listing = client.get(f"/api/v1/apps/{app_name}/prompts", headers=bearer("read")).json()[
        "prompts"
    ]
    assert [(p["name"], p["versions"], p["latest"]["number"]) for p in listing] == [
        ("answer", 2, 2),
        ("title", 1, 1),
    ]
    versions = client.get(
        f"/api/v1/apps/{app_name}/prompts/answer/versions", headers=bearer("read")
    ).json()
    assert [v["number"] for v in versions["items"]] == [2, 1]
    detail = client.get(
        f"/api/v1/apps/{app_name}/prompts/answer/versions/1", headers=bearer("read")
    ).json()
    assert detail["variables"] == ["context", "question"]
    assert detail["author"] == "ci@example.com"
    assert detail["source"] == "ci"
    assert detail["source_ref"] == "prompts/answer.yaml@abc123"
    assert detail["usage"] is None
    assert detail["scores"]["runs"] == 0


def test_bad_batch_stores_nothing(client: TestClient, app_name: str, db: Database) -> None:
    bad = push(client, app_name, ANSWER, {"name": "bad name!", "template": "x"})
    assert bad.status_code == 422
    assert "prompts.1.name" in bad.json()["detail"]
    empty = push(client, app_name, ANSWER, {"name": "title", "template": ""})
    assert empty.status_code == 422
    twice = push(client, app_name, ANSWER, ANSWER)
    assert twice.status_code == 422
    assert "repeat" in twice.json()["detail"]
    with db.session() as session:
        assert session.exec(select(func.count()).select_from(PromptVersion)).one() == 0
    assert push(client, "no-such-app", ANSWER).status_code == 404


def test_diff(client: TestClient, app_name: str) -> None:
    push(client, app_name, ANSWER)
    push(
        client,
        app_name,
        {
            **ANSWER,
            "template": ANSWER["template"].replace("helpful", "concise"),
            "model": "gpt-4o-mini",
        },
    )
    diff = client.get(
        f"/api/v1/apps/{app_name}/prompts/answer/versions/2/diff",
        params={"against": 1},
        headers=bearer("read"),
    ).json()
    assert diff["changed"] == ["template", "model"]
    assert "-You are helpful.\n+You are concise.\n" in diff["template_diff"]
    assert diff["template_diff"].startswith("--- answer@v1/template\n+++ answer@v2/template\n")
    assert '-  "model": "gpt-4o",\n+  "model": "gpt-4o-mini",' in diff["parameters_diff"]
    missing = client.get(
        f"/api/v1/apps/{app_name}/prompts/answer/versions/2/diff",
        params={"against": 7},
        headers=bearer("read"),
    )
    assert missing.status_code == 404
    assert "no version 7" in missing.json()["detail"]


def test_label_moves_and_rollback(client: TestClient, app_name: str) -> None:
    push(client, app_name, ANSWER)
    push(client, app_name, {**ANSWER, "template": "v2 {{question}}"})
    url = f"/api/v1/apps/{app_name}/prompts/answer/labels/production"
    assert client.put(url, json={"version": 1}, headers=bearer("ingest")).status_code == 403
    assert client.put(url, json={"version": 1}, headers=bearer("admin")).json()["version"] == 1
    client.put(url, json={"version": 2, "reason": "release 2"}, headers=bearer("admin"))
    again = client.put(url, json={"version": 2}, headers=bearer("admin"))  # no move: no history
    assert again.status_code == 200
    client.put(url, json={"version": 1, "reason": "rollback"}, headers=bearer("admin"))
    assert client.put(url, json={"version": 9}, headers=bearer("admin")).status_code == 404

    history = client.get(
        f"/api/v1/apps/{app_name}/prompts/answer/labels/history", headers=bearer("read")
    ).json()
    assert [(h["from_version"], h["to_version"], h["reason"]) for h in history] == [
        (2, 1, "rollback"),
        (1, 2, "release 2"),
        (None, 1, None),
    ]
    assert history[0]["moved_by"] == "admin-client"
    listing = client.get(f"/api/v1/apps/{app_name}/prompts", headers=bearer("read")).json()[
        "prompts"
    ]
    assert [(lb["label"], lb["version"]) for lb in listing[0]["labels"]] == [("production", 1)]
    versions = client.get(
        f"/api/v1/apps/{app_name}/prompts/answer/versions", headers=bearer("read")
    ).json()
    assert [(v["number"], v["labels"]) for v in versions["items"]] == [(2, []), (1, ["production"])]


def test_unknown_prompt_and_version(client: TestClient, app_name: str) -> None:
    push(client, app_name, ANSWER)
    base = f"/api/v1/apps/{app_name}/prompts"
    assert client.get(f"{base}/nope/versions", headers=bearer("read")).status_code == 404
    assert client.get(f"{base}/answer/versions/3", headers=bearer("read")).status_code == 404
    assert client.get(f"{base}/answer/versions/0", headers=bearer("read")).status_code == 422
