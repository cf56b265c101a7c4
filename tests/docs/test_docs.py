"""docs/ (the TechDocs site): the configuration page is the code's current Settings, every CLI
command is documented, every page is in the nav, and the README's links land in docs/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pytest
import typer.main
import yaml
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from portal_api import feature_map
from portal_api.cli import app
from portal_api.config import Settings
from portal_api.kit import config_docs

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_configuration_page_is_current() -> None:
    """docs/configuration.md is generated from Settings: regenerate it with `make docs-config`."""
    assert (DOCS / "configuration.md").read_text() == config_docs.render(), (
        "docs/configuration.md is stale: run `make docs-config` and commit it"
    )


def test_feature_map_is_current() -> None:
    assert (DOCS / "feature-map.md").read_text() == feature_map.render(), (
        "docs/feature-map.md is stale: run `make docs-map`"
    )


def test_feature_map_names_every_route_step_command_extension_and_template() -> None:
    page = feature_map.render()
    for feature in [
        "`POST /api/v1/guard/check` | Scan one text",
        "`prometheus/usage` | `portal_api/usage/sync.py`",
        "`genai-portal report costs`",
        "`EntityGenAiTimelineCard`, `entityGenAiTimelineCard` | entity card: Timeline | "
        "`backstage-plugins/plugins/genai-portal/src/components/TimelineCard/`",
        "`GenAiPortalPage`, `genAiPortalPage` | The org page",
        "`rag-service` | RAG service (LanceDB) | `scaffolder-templates/rag-service/`",
    ]:
        assert feature in page
    for path in re.findall(
        r"`((?:portal_api|backstage-plugins|scaffolder-templates)/[^`]+)`", page
    ):
        assert (ROOT / path).exists(), path


def test_every_setting_is_a_row_with_its_default_and_secrets_are_marked() -> None:
    page = config_docs.render()
    rows = {
        line.split("|")[1].strip(" `"): line
        for line in page.splitlines()
        if line.startswith("| `PORTAL_")
    }
    assert set(rows) == {f"PORTAL_{name.upper()}" for name in Settings.model_fields}
    secret = {name for name, row in rows.items() if "**secret**" in row}
    assert secret == {
        "PORTAL_API_TOKENS",
        "PORTAL_OPENAI_API_KEY",
        "PORTAL_PROMETHEUS_BEARER_TOKEN",
        "PORTAL_GUARD_MODEL_API_KEY",
    }
    # Defaults are the values a person would set, read from the code.
    assert "| `sqlite:///genai-portal.db` |" in rows["PORTAL_DATABASE_URL"]
    assert "| `80,100` |" in rows["PORTAL_BUDGET_THRESHOLDS"]
    assert "| `off` |" in rows["PORTAL_KUBERNETES"]
    assert "| unset |" in rows["PORTAL_PROMETHEUS_URL"]
    assert "integer (>= 1, <= 64)" in rows["PORTAL_WORKERS"]


def test_a_setting_without_a_description_is_refused() -> None:
    class Partial(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="X_")
        described: int = Field(default=1, description="A number.")
        bare: str = "b"

    with pytest.raises(ValueError, match=r"Partial\.bare has no description"):
        config_docs.render(Partial)


def test_a_new_secret_is_marked_and_the_page_changes() -> None:
    class More(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="PORTAL_")
        webhook_secret: Annotated[SecretStr | None, Field(description="Signs webhooks.")] = None

    page = config_docs.render(More)
    assert "| `PORTAL_WEBHOOK_SECRET` | string | unset | **secret**. Signs webhooks. |" in page


def test_every_cli_command_is_in_the_cli_page() -> None:
    commands = [path for path, _ in feature_map.commands(typer.main.get_command(app))]
    assert {"genai-portal serve", "genai-portal report costs", "genai-portal new"} <= set(commands)
    page = (DOCS / "cli.md").read_text()
    missing = [c for c in commands if f"`{c}`" not in page]
    assert missing == [], f"docs/cli.md does not mention {missing}"


def _nav_pages(nav: object) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_pages(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_pages(item)]
    return []


def test_every_page_is_in_the_nav_and_techdocs_core_builds_it() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert "techdocs-core" in config["plugins"]
    pages = _nav_pages(config["nav"])
    assert sorted(pages) == sorted(p.name for p in DOCS.glob("*.md"))
    assert len(pages) == len(set(pages))


def test_readme_is_short_and_links_into_docs() -> None:
    readme = (ROOT / "README.md").read_text()
    first_commands = re.findall(r"^make \w+", readme, flags=re.MULTILINE)[:2]
    assert first_commands == ["make demo", "make test"]
    links = re.findall(r"\]\((docs/[^)#]+)", readme)
    assert links, "README.md links into docs/"
    assert [link for link in links if not (ROOT / link).is_file()] == []
    assert len(readme) < 8000


def test_the_portals_catalog_entities_point_techdocs_at_these_docs() -> None:
    """Backstage resolves `dir:` against the entity file's location (file and url locations)."""
    refs = {}
    for path in (ROOT / "catalog").glob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            annotations = doc.get("metadata", {}).get("annotations") or {}
            if ref := annotations.get("backstage.io/techdocs-ref"):
                refs[(doc["kind"], doc["metadata"]["name"])] = (path, ref)
    assert {("System", "genai-portal"), ("Component", "genai-portal-api")} <= set(refs)
    for path, ref in refs.values():
        kind, _, target = ref.partition(":")
        assert kind == "dir", ref
        assert (path.parent / target / "mkdocs.yml").resolve() == ROOT / "mkdocs.yml"
