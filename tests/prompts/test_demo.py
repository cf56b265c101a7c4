"""The demo organisation's prompt histories, label moves, eval runs and its one regression."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import func, select

from portal_api.db import Database
from portal_api.demo import seed_demo
from portal_api.prompts.models import PromptVersion
from tests.conftest import bearer


def test_demo_through_the_api(db: Database, client: TestClient) -> None:
    seed_demo(db)
    seed_demo(db)  # idempotent
    with db.session() as session:
        assert session.exec(select(func.count()).select_from(PromptVersion)).one() == 11

    regressions = []
    for app in ("support-assistant", "ticket-triage", "search-rag", "sql-copilot"):
        runs = client.get(
            f"/api/v1/apps/{app}/evals", params={"regression": True}, headers=bearer("read")
        ).json()
        regressions += [(app, r["prompt"], r["version"]) for r in runs["items"]]
    assert regressions == [("support-assistant", "answer", 3)]
    standing = client.get(
        "/api/v1/apps/support-assistant/evals/regressions", headers=bearer("read")
    ).json()
    assert standing == []  # version 4 recovered

    base = "/api/v1/apps/support-assistant/prompts"
    listing = client.get(base, headers=bearer("read")).json()
    [answer] = listing["prompts"]
    assert listing["cluster"]["source"] == "kubernetes"
    assert answer["versions"] == 4
    assert answer["regression"] is False  # the latest version recovered
    labels = {lb["label"]: lb["version"] for lb in answer["labels"]}
    assert labels == {"production": 4, "staging": 4}
    history = client.get(
        f"{base}/answer/labels/history", params={"label": "production"}, headers=bearer("read")
    ).json()
    assert [(h["from_version"], h["to_version"]) for h in history] == [
        (2, 4),
        (3, 2),  # the rollback
        (2, 3),
        (1, 2),
        (None, 1),
    ]
    v3 = client.get(f"{base}/answer/versions/3", headers=bearer("read")).json()
    assert v3["scores"]["regression"] is True
    assert [d["ended"] is not None for d in v3["deployments"]] == [True]
    diff = client.get(
        f"{base}/answer/versions/3/diff", params={"against": 2}, headers=bearer("read")
    ).json()
    assert diff["changed"] == ["template", "model"]
    assert [(r["namespace"], r["version"]) for r in answer["running"]] == [("support", 4)]
    timeline = client.get(
        f"{base}/answer/timeline", params={"namespace": "support"}, headers=bearer("read")
    ).json()
    assert [(t["version"], t["ended"] is None) for t in timeline] == [
        (4, True),
        (2, False),
        (3, False),
        (2, False),
        (1, False),
    ]
    assert all(a["ended"] == b["started"] for a, b in zip(timeline[1:], timeline, strict=False))
