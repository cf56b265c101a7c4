"""Every entity of catalog/all.yaml is ingested by the real catalog, with no processing error,
from a file location and from a url location."""

from __future__ import annotations

import yaml

from tests.backstage.conftest import Deployment, declared_entities


def test_every_entity_of_all_yaml_is_ingested_without_errors(backstage: Deployment) -> None:
    declared = declared_entities()
    assert len(declared) > 20
    entities = backstage.entities()
    names = {(e["kind"], e["metadata"]["name"]) for e in entities}
    assert declared - names == set(), backstage.backend.log()[-3000:]
    assert all(e["metadata"].get("namespace", "default") == "default" for e in entities)
    errors = {
        (e["kind"], e["metadata"]["name"]): e["status"]["items"]
        for e in entities
        if e.get("status", {}).get("items")
    }
    assert errors == {}
    # Where each entity came from: the location kind under test.
    origins = {
        e["metadata"]["annotations"]["backstage.io/managed-by-origin-location"]
        for e in entities
        if (e["kind"], e["metadata"]["name"]) in declared
    }
    assert all(o.startswith(f"{backstage.location}:") for o in origins), origins
    # The API entity carries the portal's OpenAPI document inline (no placeholder to resolve).
    api = backstage.backend.get(
        "/api/catalog/entities/by-name/api/default/genai-portal-api", backstage.token
    )
    assert yaml.safe_load(api["spec"]["definition"])["info"]["title"]
    model = backstage.backend.get(
        "/api/catalog/entities/by-name/api/default/model-gpt-4o-mini", backstage.token
    )
    assert model["spec"]["remotes"] == [{"type": "https", "url": "https://api.openai.com/v1"}]
