"""GET /api/v1/catalog/entities: the discovered apps as Backstage Components, in YAML."""

from __future__ import annotations

from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from portal_api.apps.models import AppOrigin
from portal_api.db import Database
from tests.catalog.validator import invalid, validate
from tests.conftest import bearer
from tests.factories import make_app


def _seed(db: Database) -> None:
    with db.session_scope() as session:
        make_app(
            session,
            name="support-bot",
            team="customer-care",
            namespace="support",
            title="Support Bot",
            description="Answers: tickets, returns.",
            system="care",
            cost_center="CC-1042",
            lifecycle="production",
            links=[{"url": "https://runbooks.example.com/support-bot", "title": "Runbook"}],
        )
        make_app(session, name="no-team", team=None, namespace="lab", lifecycle=None)
        make_app(session, name="vendor-app", team="growth", namespace=None, origin=AppOrigin.API)
        make_app(session, name="old-bot", team="search", namespace="search", status="gone")


def _entities(client: TestClient, query: str = "") -> list[dict]:
    response = client.get(f"/api/v1/catalog/entities{query}", headers=bearer("read"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/yaml")
    return [d for d in yaml.safe_load_all(response.text) if d]


def test_serves_active_apps_as_components(client: TestClient, db: Database, tmp_path: Path) -> None:
    _seed(db)
    entities = _entities(client)
    assert [e["metadata"]["name"] for e in entities] == ["no-team", "support-bot", "vendor-app"]
    support = entities[1]
    assert support["kind"] == "Component"
    assert support["metadata"]["title"] == "Support Bot"
    assert support["metadata"]["annotations"] == {
        "backstage.io/kubernetes-id": "support-bot",
        "backstage.io/kubernetes-namespace": "support",
        "genai-portal.io/origin": "kubernetes",
        "genai-portal.io/team": "customer-care",
        "genai-portal.io/cost-center": "CC-1042",
    }
    assert support["metadata"]["links"] == [
        {"url": "https://runbooks.example.com/support-bot", "title": "Runbook"}
    ]
    assert support["spec"] == {
        "type": "service",
        "lifecycle": "production",
        "owner": "group:default/customer-care",
        "system": "care",
    }
    assert entities[0]["spec"]["owner"] == "group:default/unknown"
    assert entities[2]["metadata"]["annotations"]["genai-portal.io/origin"] == "api"
    # What Backstage would read from this url location passes Backstage's own validators.
    served = tmp_path / "entities.yaml"
    served.write_text(client.get("/api/v1/catalog/entities", headers=bearer("read")).text)
    assert invalid(validate([served])) == []


def test_filters_by_team_and_includes_gone_apps_on_request(
    client: TestClient, db: Database
) -> None:
    _seed(db)
    assert [e["metadata"]["name"] for e in _entities(client, "?team=customer-care")] == [
        "support-bot"
    ]
    everything = {e["metadata"]["name"]: e for e in _entities(client, "?include_gone=true")}
    assert everything["old-bot"]["spec"]["lifecycle"] == "deprecated"


def test_empty_registry_is_an_empty_document(client: TestClient) -> None:
    assert _entities(client) == []


def test_bad_filter_is_a_4xx(client: TestClient) -> None:
    response = client.get("/api/v1/catalog/entities?team=Not%20A%20Team", headers=bearer("read"))
    assert response.status_code == 422
    assert response.json()["error"]


def test_needs_the_read_scope(client: TestClient) -> None:
    assert client.get("/api/v1/catalog/entities").status_code == 401
