"""Every template.yaml and every generated catalog-info.yaml passes Backstage's own validators."""

from __future__ import annotations

from portal_api.scaffolder import TEMPLATES_DIR, list_templates
from tests.catalog.validator import invalid, validate
from tests.templates.conftest import Project


def test_template_entities_are_valid() -> None:
    results = validate([TEMPLATES_DIR / t / "template.yaml" for t in list_templates()])
    assert invalid(results) == []
    assert [(r["kind"], r["name"]) for r in results] == [("Template", t) for t in list_templates()]


def test_generated_catalog_info_is_valid(projects: dict[tuple[str, str], Project]) -> None:
    results = validate([p.path / "catalog-info.yaml" for p in projects.values()])
    assert invalid(results) == []
    assert {r["name"] for r in results} == {p.answers["component_id"] for p in projects.values()}
