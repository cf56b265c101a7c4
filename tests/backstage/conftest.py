"""The workspace's Backstage backend, once with this repository's catalog registered as a `file`
location (as app-config.yaml and `make demo` do) and once as a `url` location on a GitHub
(the GitHub API test server publishing the repository's catalog/ and scaffolder-templates/)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.backstage.backend import REPO, Backend, backstage_backend
from tests.catalog.validator import CATALOG_DIR
from tests.servers.github import TOKEN, GithubServer, github_server

INGEST_TIMEOUT_S = 300  # processing runs in the background: seconds here, more under load
PLUGIN_README = "backstage-plugins/plugins/genai-portal/README.md"  # included by docs/
KINDS = ["Component", "System", "API", "Resource", "Location", "Group", "User", "Template"]


def declared_entities(location: Path = CATALOG_DIR / "all.yaml") -> set[tuple[str, str]]:
    """(kind, name) of every entity a location file brings in, following nested Locations."""
    found: set[tuple[str, str]] = set()
    for doc in yaml.safe_load_all(location.read_text()):
        found.add((doc["kind"], doc["metadata"]["name"]))
        if doc["kind"] == "Location":
            for target in doc["spec"]["targets"]:
                found |= declared_entities((location.parent / target).resolve())
    return found


@dataclass
class Deployment:
    """A running backend, how its catalog was registered, and the GitHub it publishes to."""

    location: str
    backend: Backend
    github: GithubServer
    token: str

    def entities(self) -> list[dict[str, Any]]:
        body = self.backend.get(
            "/api/catalog/entities/by-query",
            self.token,
            limit=500,
            fields="kind,metadata.name,metadata.namespace,metadata.annotations,status",
        )
        items: list[dict[str, Any]] = body["items"]
        return items

    def wait_for_catalog(self) -> None:
        """Until every declared entity is in the catalog (or the time is up)."""
        declared = declared_entities()
        deadline = time.monotonic() + INGEST_TIMEOUT_S
        while time.monotonic() < deadline:
            if declared <= {(e["kind"], e["metadata"]["name"]) for e in self.entities()}:
                return
            time.sleep(2)


@pytest.fixture(scope="session", params=["file", "url"])
def backstage(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    location: str = request.param
    workdir = tmp_path_factory.mktemp(f"backstage-{location}")
    # The catalog, the templates, and the docs the portal's entities point TechDocs at.
    published = ["catalog", "scaffolder-templates", "mkdocs.yml", "docs", PLUGIN_README]
    with github_server(REPO, published) as github:
        config: dict[str, object] = {
            "integrations": {
                "github": [{"host": github.host, "apiBaseUrl": github.api_url, "token": TOKEN}]
            },
        }
        if location == "url":
            config["catalog"] = {
                "rules": [{"allow": KINDS}],
                "locations": [{"type": "url", "target": github.blob_url("catalog/all.yaml")}],
            }
        with backstage_backend(config, workdir) as backend:
            deployment = Deployment(location, backend, github, backend.token())
            deployment.wait_for_catalog()
            yield deployment
