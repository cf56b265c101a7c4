"""The notebook-to-app scaffolder template: valid for Backstage, self-contained (it runs from file
and url locations), and its promotion workflow, run step by step on a fetched notebook, makes the
same service as `genai-portal promote`."""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

from portal_api.notebooks.promote import promote
from portal_api.scaffolder import TEMPLATES_DIR, ProjectRequest, list_templates
from tests.catalog.validator import check_github_workflow, invalid, validate
from tests.notebooks.conftest import SUPPORT_BOT, notebook, write
from tests.servers.process import run

TEMPLATE = TEMPLATES_DIR / "notebook-to-app"
VALUES = {
    "component_id": "support-bot",
    "description": 'Answers "support" questions',
    "owner": "group:default/team-support",
    "system": "customer-care",
    "app_template": "gradio-app",
    "model": "",
    "namespace": "genai",
    "notebook_url": "https://github.com/acme/research/blob/main/notebooks/support-bot.ipynb",
    "portal_repository": "platform/genai-portal",
}


def test_template_passes_backstage_validators() -> None:
    results = validate([TEMPLATE / "template.yaml"])
    assert invalid(results) == []
    assert [(r["kind"], r["name"]) for r in results] == [("Template", "notebook-to-app")]


def test_template_is_self_contained() -> None:
    text = (TEMPLATE / "template.yaml").read_text()
    assert not re.search(r"\$(yaml|text|json):", text)
    steps = yaml.safe_load(text)["spec"]["steps"]
    assert [s["action"] for s in steps] == [
        "fetch:plain:file",
        "fetch:template",
        "publish:github",
        "catalog:register",
    ]
    for step in steps:
        url = step["input"].get("url", "")
        if step["action"] == "fetch:template":
            assert url.startswith("./")
            assert (TEMPLATE / url).resolve().is_relative_to(TEMPLATE)
            assert (TEMPLATE / url).is_dir()
    # The first question is the notebook's URL.
    first = yaml.safe_load(text)["spec"]["parameters"][0]
    assert next(iter(first["properties"])) == "notebookUrl"
    # Not a cookiecutter template of `genai-portal new`: it renders no skeleton of its own.
    assert "notebook-to-app" not in list_templates()


def render(text: str, values: dict[str, Any]) -> str:
    """What fetch:template makes of the files: ``${{ values.x }}`` (``| dump``: JSON) and
    ``{% raw %}`` blocks; any other Nunjucks would fail this test."""
    out = []
    for part in re.split(r"(\{% raw %\}.*?\{% endraw %\})", text, flags=re.S):
        if part.startswith("{% raw %}"):
            out.append(part[len("{% raw %}") : -len("{% endraw %}")])
            continue

        def value(match: re.Match[str]) -> str:
            found = values[match.group(1)]
            return json.dumps(found) if match.group(2) else str(found)

        part = re.sub(r"\$\{\{ values\.(\w+)( \| dump)? \}\}", value, part)
        assert "${{" not in part, part
        assert "{%" not in part, part
        out.append(part)
    return "".join(out)


def test_promotion_workflow_makes_the_same_service_as_the_cli(tmp_path: Path) -> None:
    source = write(notebook(*SUPPORT_BOT), tmp_path / "support-bot.ipynb")
    workspace = tmp_path / "workspace"
    # fetch:plain:file, then fetch:template.
    (workspace / "notebooks").mkdir(parents=True)
    shutil.copy(source, workspace / "notebooks" / "prototype.ipynb")
    for path in (TEMPLATE / "content").rglob("*"):
        if path.is_file():
            target = workspace / path.relative_to(TEMPLATE / "content")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render(path.read_text(), VALUES))
    workflow_path = workspace / ".github" / "workflows" / "promote.yaml"
    check_github_workflow(workflow_path)
    job = yaml.safe_load(workflow_path.read_text())["jobs"]["promote"]
    steps = {s.get("name"): s for s in job["steps"]}
    assert job["env"]["DESCRIPTION"] == VALUES["description"]
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
        **{k: str(v or "") for k, v in job["env"].items()},
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "GITHUB_REPOSITORY": "acme/support-bot",
        "GITHUB_OUTPUT": str(tmp_path / "github-output"),
        "PROMOTE_TOKEN": "a-token",
    }
    (workspace / ".genai-portal").mkdir()  # where the workflow checks the portal out
    for name in ("Promote once", "Promote the notebook"):
        run(["bash", "-ec", steps[name]["run"]], cwd=workspace, env=env, timeout=300, check=True)
    assert (tmp_path / "github-output").read_text() == "todo=true\n"

    expected = promote(
        workspace.parent / "support-bot.ipynb",
        ProjectRequest(
            template="gradio-app",
            answers={
                "component_id": "support-bot",
                "description": VALUES["description"],
                "owner": VALUES["owner"],
                "system": VALUES["system"],
                "namespace": "genai",
                "repo_slug": "acme/support-bot",
            },
            output_dir=tmp_path / "cli",
        ),
    )
    # Only the notebook's name differs: the scaffolder fetched it as prototype.ipynb.
    assert not (workspace / ".genai-portal").exists()
    assert not workflow_path.exists()
    made = sorted(str(p.relative_to(workspace)) for p in workspace.rglob("*") if p.is_file())
    want = sorted(
        str(p.relative_to(expected))
        .replace("support_bot.py", "prototype.py")
        .replace("support_bot.ipynb", "prototype.ipynb")
        for p in expected.rglob("*")
        if p.is_file()
    )
    assert made == want
    for same in (
        "catalog-info.yaml",
        "prompts/system.yaml",
        "evals/dataset.jsonl",
        "deploy/base/deployment.yaml",
    ):
        assert filecmp.cmp(workspace / same, expected / same, shallow=False), same
    assert "github.com/acme/support-bot" in (workspace / "catalog-info.yaml").read_text()
