"""The demo shows every readiness level and every kind of change, through the API."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from portal_api.db import Database, utcnow
from portal_api.demo import seed_demo
from portal_api.timeline.models import ChangeKind
from tests.conftest import bearer


def test_demo_has_every_level_and_every_kind_of_change(db: Database, client: TestClient) -> None:
    org = seed_demo(db)
    seed_demo(db)  # idempotent
    read = bearer("read")
    table = client.get("/api/v1/readiness", headers=read).json()
    levels = [(row["app"], row["level"]) for row in table["items"]]
    assert levels[:3] == [
        ("support-assistant", "gold"),
        ("search-rag", "silver"),
        ("ticket-triage", "bronze"),
    ]
    assert {level for _, level in levels[3:]} == {None}
    assert len(levels) == len(org.apps)
    scores = [row["score"] for row in table["items"][3:]]
    assert scores == sorted(scores, reverse=True)
    # Stored data of a synced portal is judged: nothing is unknown for an in-cluster app
    # except what its lifecycle exempts, and the app outside the cluster says why.
    vendor = client.get("/api/v1/apps/marketing-copy/readiness", headers=read).json()
    unknown = [c for c in vendor["checks"] if c["status"] == "unknown"]
    assert unknown
    assert all(c["why"] for c in unknown)

    gold = client.get("/api/v1/apps/support-assistant/readiness", headers=read).json()
    assert len(gold["history"]) == 30
    assert [h["level"] for h in gold["history"]][-6:] == ["gold"] * 6
    assert gold["history"][0]["level"] == "silver"  # pinned its image 6 days ago

    start = (org.end - dt.timedelta(days=90)).isoformat()
    end = (utcnow() + dt.timedelta(hours=1)).isoformat()
    feed = client.get(
        "/api/v1/changes", params={"from": start, "to": end, "limit": 500}, headers=read
    ).json()
    kinds = {item["kind"] for item in feed["items"]}
    assert kinds == set(ChangeKind)
    switches = client.get(
        "/api/v1/apps/catalog-enricher/timeline",
        params={"from": start, "to": end, "kind": "model-switch"},
        headers=read,
    ).json()["items"]
    assert [s["summary"] for s in switches] == [
        "model switch: claude-3-5-haiku-20241022 → claude-sonnet-4-20250514"
    ]
