"""catalog/ and the templates against Backstage's published JSON schemas (copied into
catalog/tests/schemas/, see SOURCE.md there), including the ``ai-model-server`` API schema whose
``spec.remotes`` Backstage requires of model endpoints."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from portal_api.scaffolder import TEMPLATES_DIR
from tests.catalog.validator import CATALOG_DIR

SCHEMAS = CATALOG_DIR / "tests" / "schemas"
KINDS = {
    ("API", None): "API.v1alpha1",
    ("API", "ai-model-server"): "API.v1alpha1.ai-model-server",
    ("Component", None): "Component.v1alpha1",
    ("Domain", None): "Domain.v1alpha1",
    ("Group", None): "Group.v1alpha1",
    ("Location", None): "Location.v1alpha1",
    ("Resource", None): "Resource.v1alpha1",
    ("System", None): "System.v1alpha1",
    ("Template", None): "Template.v1beta3",
    ("User", None): "User.v1alpha1",
}


def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    return loaded


def _registry() -> Registry:
    resources = [
        (schema["$id"], Resource.from_contents(schema))
        for schema in (_schema(p.name.removesuffix(".schema.json")) for p in SCHEMAS.glob("*.json"))
    ]
    registry: Registry = Registry().with_resources(resources)
    return registry


def _errors(entity: dict[str, Any]) -> list[str]:
    """What Backstage's schemas say is wrong with ``entity`` (envelope, kind, spec type)."""
    registry = _registry()
    names = ["EntityEnvelope", KINDS[(entity["kind"], None)]]
    typed = (entity["kind"], entity.get("spec", {}).get("type"))
    if typed in KINDS:
        names.append(KINDS[typed])
    found = []
    for name in dict.fromkeys(names):
        validator = Draft7Validator(_schema(name), registry=registry)
        found += [f"{name}: {e.json_path}: {e.message}" for e in validator.iter_errors(entity)]
    return found


def _entities() -> list[tuple[str, dict[str, Any]]]:
    files = [*sorted(CATALOG_DIR.glob("*.yaml")), *sorted(TEMPLATES_DIR.glob("*/template.yaml"))]
    return [
        (f"{path.relative_to(CATALOG_DIR.parent)}#{doc['metadata']['name']}", doc)
        for path in files
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    ]


@pytest.mark.parametrize(("where", "entity"), _entities(), ids=[w for w, _ in _entities()])
def test_entity_matches_backstage_schemas(where: str, entity: dict[str, Any]) -> None:
    assert _errors(entity) == [], where


def test_model_endpoints_name_their_inference_url() -> None:
    models = [e for _, e in _entities() if e.get("spec", {}).get("type") == "ai-model-server"]
    assert len(models) >= 3
    for entity in models:
        remotes = entity["spec"]["remotes"]
        base = entity["metadata"]["annotations"]["genai-portal.io/base-url"]
        assert {"type": "https" if base.startswith("https:") else "http", "url": base} in remotes


def test_schemas_reject_a_model_endpoint_without_remotes() -> None:
    entity = next(e for _, e in _entities() if e.get("spec", {}).get("type") == "ai-model-server")
    broken = {**entity, "spec": {k: v for k, v in entity["spec"].items() if k != "remotes"}}
    assert any("'remotes' is a required property" in e for e in _errors(broken))
    assert _errors({**entity, "spec": {**entity["spec"], "remotes": [{"type": "https"}]}}) != []
