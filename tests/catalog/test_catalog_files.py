"""catalog/: every entity passes Backstage's validators, all.yaml reaches every file, and the
checked-in OpenAPI document is the app's current one."""

from __future__ import annotations

from pathlib import Path

import yaml

from portal_api import openapi
from portal_api.catalog.service import UNKNOWN_OWNER
from portal_api.scaffolder import TEMPLATES_DIR, models
from tests.catalog.validator import CATALOG_DIR, invalid, validate


def test_every_catalog_entity_is_valid() -> None:
    results = validate(sorted(CATALOG_DIR.glob("*.yaml")))
    assert invalid(results) == []
    kinds = {(r["kind"], r["name"]) for r in results}
    assert {
        ("System", "genai-portal"),
        ("Component", "genai-portal-api"),
        ("API", "genai-portal-api"),
    } <= kinds
    assert sum(kind == "Group" for kind, _ in kinds) >= 2
    # Every owner the catalog and the served app entities name is a Group here.
    groups = {f"group:default/{name}" for kind, name in kinds if kind == "Group"}
    assert UNKNOWN_OWNER in groups
    for path in CATALOG_DIR.glob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            if owner := doc.get("spec", {}).get("owner"):
                assert owner in groups, (path.name, owner)


def test_validator_rejects_a_broken_entity(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Not Valid!\n"
        "spec:\n  type: service\n  lifecycle: production\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: no-owner\n"
        "spec:\n  type: service\n  lifecycle: production\n"
    )
    results = validate([broken])
    assert [r["ok"] for r in results] == [False, False]


def _targets(location: Path) -> list[Path]:
    doc = yaml.safe_load(location.read_text())
    return [(location.parent / t).resolve() for t in doc["spec"]["targets"]]


def test_all_yaml_registers_every_catalog_file_and_template() -> None:
    reached = set(_targets(CATALOG_DIR / "all.yaml"))
    assert reached == {p.resolve() for p in CATALOG_DIR.glob("*.yaml")} - {
        (CATALOG_DIR / "all.yaml").resolve()
    }
    templates = set(_targets(CATALOG_DIR / "templates.yaml"))
    assert templates == {
        p.resolve() for p in (CATALOG_DIR.parent / "scaffolder-templates").glob("*/template.yaml")
    }
    assert all(p.is_file() for p in reached | templates)


def test_model_endpoints_cover_every_template_model() -> None:
    apis = {
        d["metadata"]["name"]: d
        for d in yaml.safe_load_all((CATALOG_DIR / "models.yaml").read_text())
        if d["kind"] == "API"
    }
    for model, info in models().items():
        api = apis[info["api"]]
        assert api["spec"]["type"] == "ai-model-server"
        assert api["metadata"]["annotations"]["genai-portal.io/model"] == model
        assert api["metadata"]["annotations"]["genai-portal.io/provider"] == info["provider"]
        assert api["metadata"]["annotations"]["genai-portal.io/base-url"] == info["base_url"]


def test_checked_in_openapi_document_is_current() -> None:
    """catalog/openapi.json is the API entity's definition: regenerate it with `make openapi`."""
    checked_in = (CATALOG_DIR / "openapi.json").read_text()
    assert checked_in == openapi.render(), "catalog/openapi.json is stale: run `make openapi`"
    entity = (CATALOG_DIR / openapi.ENTITY_FILE).read_text()
    assert entity == openapi.render_entity(checked_in), "run `make openapi`"
    api = yaml.safe_load(entity)
    assert yaml.safe_load(api["spec"]["definition"]) == yaml.safe_load(checked_in)


def test_no_placeholder_a_file_location_cannot_resolve() -> None:
    """Backstage resolves relative $yaml/$json/$text only for url locations: the catalog and the
    templates are registered from file locations too, so none may use them."""
    files = [*CATALOG_DIR.glob("*.yaml"), *TEMPLATES_DIR.glob("*/template.yaml")]
    for path in files:
        text = path.read_text()
        for key in ("$yaml:", "$json:", "$text:"):
            assert key not in text, (path, key)
