"""One contract between the portal and the services its templates create.

The services' CI script posts what the portal's ingest models accept (a JSON Schema generated
from them ships in every project), names the prompt version by the portal's own content hash
(the same function on both sides), and can say that a case was blocked. End to end: each
template's project runs its own evaluation against the OpenAI-compatible test server, and its
CI script's pushes are accepted by a running portal, the run linked to the pushed version.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import requests

from portal_api import contract
from portal_api.kit import identity
from portal_api.prompts.content import content_hash
from portal_api.prompts.models import PromptContent
from portal_api.scaffolder import GENERATED, TEMPLATES_DIR, list_templates
from tests.servers.process import PortalProcess, env_without_portal, start_portal
from tests.templates.conftest import Install, Project

INGEST_TOKEN = "template-ci-ingest-token-0123"
READ_TOKEN = "template-ci-read-token-0123"
IDENTITY_COPY = "src/{{cookiecutter.package}}/prompt_identity.py"


def test_shipped_schemas_are_generated_from_the_portals_models() -> None:
    for name, schema in contract.schemas().items():
        shipped = contract.CONTRACT_DIR / name
        assert shipped.is_file(), f"{shipped} is missing: run python -m portal_api.contract"
        assert shipped.read_text(encoding="utf-8") == contract.render(schema), (
            f"{shipped} drifted from the portal's models: run python -m portal_api.contract"
        )


def test_templates_ship_the_portals_identity_function() -> None:
    """The skeleton's prompt_identity.py is kit/identity.py under a "generated from" line."""
    copy = TEMPLATES_DIR / "_common" / "skeleton" / IDENTITY_COPY
    source = GENERATED[IDENTITY_COPY]
    assert source == Path(identity.__file__)
    header, _, body = copy.read_text(encoding="utf-8").partition("\n")
    assert header.startswith("# Generated from portal_api/kit/identity.py by `make templates`")
    assert body == source.read_text(encoding="utf-8"), "run `make templates`"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("template", "model", "parameters"),
    [
        ("You are a helpful assistant.\nAnswer concisely.", "gpt-4o-mini", {}),
        ("Ticket: {{ ticket | trim }} from {{ user.name }}", None, {"temperature": 0.2}),
        ("{% for d in docs %}{{ d.title }}{% endfor %} — é ü 漢字", "m", {"top_p": 1}),
    ],
)
def test_both_sides_compute_the_same_prompt_hash(
    projects: dict[tuple[str, str], Project],
    template: str,
    model: str | None,
    parameters: dict[str, Any],
) -> None:
    project = projects[list_templates()[0], "plain"]
    rendered = project.path / "src" / project.package / "prompt_identity.py"
    service_side = _load(rendered, f"identity_{project.package}")
    portal = content_hash(PromptContent(template=template, model=model, parameters=parameters))
    assert service_side.content_hash(template, model=model, parameters=parameters) == portal


def _run(args: list[str], *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Any:
    workdir = tmp_path_factory.mktemp("portal")
    tokens = [
        {"name": "ci", "token": INGEST_TOKEN, "scopes": ["ingest"]},
        {"name": "reader", "token": READ_TOKEN, "scopes": ["read"]},
    ]
    server: PortalProcess = start_portal(
        ["serve"],
        env_without_portal(
            PORTAL_DATABASE_URL=f"sqlite:///{workdir / 'portal.db'}",
            PORTAL_API_TOKENS=json.dumps(tokens),
            PORTAL_SYNC_INTERVAL_SECONDS="0",
        ),
        workdir,
    )
    yield server
    server.stop()


@pytest.mark.parametrize("template", list_templates())
def test_ci_script_pushes_are_accepted_and_linked(
    template: str, install: Install, portal: PortalProcess, tmp_path: Path
) -> None:
    installed = install(template)
    project, python = installed.project, installed.python
    env = installed.env(
        PORTAL_URL=portal.url,
        PORTAL_INGEST_TOKEN=INGEST_TOKEN,
        GITHUB_RUN_ID="4242",
        GITHUB_SHA="0123abc",
    )
    results = tmp_path / "results.json"
    # The project's own evaluation, as its CI runs it, against the test model server.
    _run(
        [python, "-m", f"{project.package}.evaluate", "--output", str(results)],
        cwd=project.path,
        env=env,
    )
    payload = json.loads(results.read_text())
    assert any(c["blocked"] and c["output"] is None for c in payload["cases"])
    # Its CI script: prompts first, then the evaluation run (twice: a retried CI job).
    _run([python, "-m", f"{project.package}.portal", "prompts"], cwd=project.path, env=env)
    for _ in range(2):
        _run(
            [python, "-m", f"{project.package}.portal", "evals", str(results)],
            cwd=project.path,
            env=env,
        )

    app = project.answers["component_id"]
    read = {"Authorization": f"Bearer {READ_TOKEN}"}
    runs = requests.get(f"{portal.url}/api/v1/apps/{app}/evals", headers=read, timeout=30).json()
    assert runs["total"] == 1, "a replayed post is the same run"
    run = runs["items"][0]
    versions = requests.get(
        f"{portal.url}/api/v1/apps/{app}/prompts/system/versions", headers=read, timeout=30
    ).json()
    assert [v["number"] for v in versions["items"]] == [1]
    assert run["prompt"] == "system"
    assert run["version"] == 1
    assert run["content_hash"] == versions["items"][0]["content_hash"] == payload["prompt"]["hash"]
    assert run["cases"] == len(payload["cases"])
    detail = requests.get(
        f"{portal.url}/api/v1/apps/{app}/evals/{run['id']}", headers=read, timeout=30
    ).json()
    blocked = [c for c in detail["case_results"] if c["blocked"]]
    assert blocked
    assert all(c["output"] == "" for c in blocked)
