"""The app registry over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import select

from portal_api.apps.models import App
from portal_api.db import Database
from tests.conftest import bearer
from tests.factories import make_app


def _seed(db: Database) -> None:
    with db.session_scope() as session:
        make_app(session, name="chat", team="care", namespace="support")
        make_app(session, name="triage", team="care", namespace="support")
        make_app(session, name="search-rag", team="search", namespace="search")
        make_app(session, name="old-bot", team="search", namespace="search", status="gone")


def test_lists_apps_with_filters_and_pages(client: TestClient, db: Database) -> None:
    _seed(db)
    body = client.get("/api/v1/apps", headers=bearer("read")).json()
    assert body["total"] == 4
    assert [a["name"] for a in body["items"]] == ["chat", "old-bot", "search-rag", "triage"]
    assert body["items"][0]["owner"] == "group:default/care"

    care = client.get("/api/v1/apps?team=care", headers=bearer("read")).json()
    assert [a["name"] for a in care["items"]] == ["chat", "triage"]

    active = client.get("/api/v1/apps?team=search&status=active", headers=bearer("read")).json()
    assert [a["name"] for a in active["items"]] == ["search-rag"]

    page = client.get("/api/v1/apps?limit=2&offset=2", headers=bearer("read")).json()
    assert page["total"] == 4
    assert [a["name"] for a in page["items"]] == ["search-rag", "triage"]


def test_get_one_app(client: TestClient, db: Database) -> None:
    _seed(db)
    response = client.get("/api/v1/apps/chat", headers=bearer("read"))
    assert response.status_code == 200
    assert response.json()["team"] == "care"
    assert response.json()["workloads"] == []


def test_unknown_app_is_404_with_the_error_body(client: TestClient) -> None:
    response = client.get("/api/v1/apps/nope", headers=bearer("read"))
    assert response.status_code == 404
    assert response.json() == {"error": "NotFound", "detail": "no app named 'nope'"}


def test_register_an_app_outside_the_cluster(client: TestClient) -> None:
    response = client.post(
        "/api/v1/apps",
        headers=bearer("ingest"),
        json={
            "name": "vendor-bot",
            "team": "growth",
            "lifecycle": "production",
            "links": [{"url": "https://vendor.example.com/bot", "title": "Console"}],
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["origin"] == "api"
    got = client.get("/api/v1/apps/vendor-bot", headers=bearer("read")).json()
    assert got["links"] == [{"url": "https://vendor.example.com/bot", "title": "Console"}]


def test_bad_input_is_4xx_and_changes_nothing(client: TestClient, db: Database) -> None:
    _seed(db)
    cases = [
        ({"name": "Bad Name!"}, 422),
        ({"name": "-leading-dash"}, 422),
        ({"name": "x" * 64}, 422),
        ({"name": "ok-name", "lifecycle": "forever"}, 422),
        ({"name": "ok-name", "links": [{"url": "not a url"}]}, 422),
        ({"team": "care"}, 422),
        ({"name": "chat"}, 409),  # exists already
    ]
    for payload, status in cases:
        response = client.post("/api/v1/apps", headers=bearer("ingest"), json=payload)
        assert response.status_code == status, (payload, response.text)
        assert set(response.json()) == {"error", "detail"}
        assert response.json()["detail"]

    malformed = client.post(
        "/api/v1/apps",
        headers={**bearer("ingest"), "Content-Type": "application/json"},
        content=b'{"name": "broken"',
    )
    assert malformed.status_code == 400
    assert malformed.json()["error"] == "MalformedJSON"

    bad_filter = client.get("/api/v1/apps?limit=0", headers=bearer("read"))
    assert bad_filter.status_code == 422
    assert client.get("/api/v1/apps/bad%20name", headers=bearer("read")).status_code == 422

    with db.session() as session:
        names = sorted(a.name for a in session.exec(select(App)).all())
    assert names == ["chat", "old-bot", "search-rag", "triage"]
