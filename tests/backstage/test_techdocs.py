"""The portal's docs as Backstage TechDocs: the workspace's real backend (techdocs-backend,
`builder: local`, `generator.runIn: local`, `publisher: local`) builds docs/ with mkdocs and
techdocs-core for the portal's catalog entities, from a file and from a url location, and
serves the pages."""

from __future__ import annotations

import json

import pytest
import requests

from tests.backstage.conftest import Deployment

BUILD_TIMEOUT_S = 600  # mkdocs with techdocs-core: seconds here, far more on a busy machine


def _sync(deployment: Deployment, entity: str) -> list[tuple[str, object]]:
    """GET /api/techdocs/sync/...: TechDocs builds and publishes; its events, in order."""
    url = f"{deployment.backend.url}/api/techdocs/sync/{entity}"
    headers = {"Authorization": f"Bearer {deployment.token}", "Accept": "text/event-stream"}
    events: list[tuple[str, object]] = []
    with requests.get(url, headers=headers, stream=True, timeout=BUILD_TIMEOUT_S) as response:
        assert response.status_code == 200, response.text[:2000]
        kind = ""
        for line in response.iter_lines(decode_unicode=True):
            if line.startswith("event:"):
                kind = line.removeprefix("event:").strip()
            elif line.startswith("data:"):
                events.append((kind, json.loads(line.removeprefix("data:"))))
                if kind in ("finish", "error"):
                    break
    return events


def _page(deployment: Deployment, entity: str, path: str) -> str:
    response = requests.get(
        f"{deployment.backend.url}/api/techdocs/static/docs/{entity}/{path}",
        headers={"Authorization": f"Bearer {deployment.token}"},
        timeout=60,
    )
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return response.text


# A file location confines `dir:` refs to the entity file's own folder (techdocs-node's
# transformDirLocation), so `dir:..` from catalog/ builds only from a url location: the way a
# Backstage registers a repository (here the GitHub test server publishing this one).
@pytest.mark.parametrize("backstage", ["url"], indirect=True)
def test_the_portals_docs_are_built_and_served_for_its_entities(backstage: Deployment) -> None:
    entity = "default/component/genai-portal-api"
    events = _sync(backstage, entity)
    kind, data = events[-1]
    log = [str(d) for k, d in events if k == "log"]
    assert kind == "finish", (data, log[-20:], backstage.backend.log()[-3000:])
    assert data == {"updated": True}

    metadata = backstage.backend.get(f"/api/techdocs/metadata/techdocs/{entity}", backstage.token)
    assert metadata["site_name"] == "GenAI Portal"
    assert "configuration/index.html" in metadata["files"]

    index = _page(backstage, entity, "index.html")
    assert "Getting started" in index  # the nav
    assert "Architecture" in index
    configuration = _page(backstage, entity, "configuration/index.html")
    assert "PORTAL_DATABASE_URL" in configuration
    # The plugin's own README, included from backstage-plugins/ (outside docs/).
    assert "@genai-portal/plugin-genai-portal" in _page(
        backstage, entity, "plugin-readme/index.html"
    )
