"""Done when: from the gradio-app template's starter notebook, one command gives a service that
passes its tests and appears in the portal with its prompt versions and first evaluation."""

from __future__ import annotations

from pathlib import Path

import nbformat
import requests

from portal_api.notebooks.promote import promote
from portal_api.scaffolder import ProjectRequest, render
from tests.notebooks.conftest import (
    RUN_EXAMPLES,
    TOKEN,
    chats,
    execute,
    guarded_by,
    own_tests_pass,
    printed,
    run_ci_evaluate,
)
from tests.servers.openai import openai_server
from tests.servers.process import PortalProcess
from tests.templates.conftest import Project, Venvs, run, serve

REPLIES = {"France": "Paris is the capital of France.", "Italy": "Rome is the capital of Italy."}


def test_starter_notebook_to_a_service_in_the_portal(
    tmp_path: Path, venvs: Venvs, portal: PortalProcess
) -> None:
    start = render(
        ProjectRequest(
            template="gradio-app", answers={"component_id": "my-prototype"}, output_dir=tmp_path
        )
    )
    starter = start / "notebooks" / "prototype.ipynb"
    node = nbformat.read(starter, as_version=4)
    assert [c.metadata.get("tags") for c in node.cells if c.cell_type == "code"] == [
        ["setup"],
        ["prompt"],
        ["assistant"],
        ["examples"],
        None,
    ]
    with openai_server() as (base_url, state):
        for when, text in REPLIES.items():
            state.reply(when, text)
        # The data scientist runs it (plus a cell collecting the answers for this test).
        node.cells.append(nbformat.v4.new_code_cell(RUN_EXAMPLES))
        executed = execute(
            node, starter.parent, {"OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": "k"}
        )
        answers, asked = printed(executed), chats(state)
        assert answers == {
            "What is the capital of France?": "Paris is the capital of France.",
            "Which city is the capital of Italy?": "Rome is the capital of Italy.",
        }
        # ... and promotes it: one command.
        path = promote(
            starter,
            ProjectRequest(
                template="gradio-app",
                answers={"component_id": "support-assistant"},
                output_dir=tmp_path / "services",
            ),
        )
        venv = venvs(Project("gradio-app", {"component_id": "support-assistant"}, path))
        run([str(venv / "bin" / "ruff"), "check", "--no-cache", "."], cwd=path, env=venvs.env)
        own_tests_pass(path, venv, venvs)
        state.requests.clear()
        with serve(
            Project("gradio-app", {"component_id": "support-assistant"}, path),
            venv,
            base_url,
            **guarded_by(portal),
        ) as url:
            served = {
                q: requests.post(f"{url}/api/chat", json={"message": q}, timeout=60).json()[
                    "answer"
                ]
                for q in answers
            }
        assert served == answers
        # The notebook asked each question twice (its own loop, then the collecting cell).
        assert chats(state) == asked[-len(answers) :]
        run_ci_evaluate(path, venv, venvs, model_url=base_url, portal=portal)

    headers = {"Authorization": f"Bearer {TOKEN}"}
    api = f"{portal.url}/api/v1/apps/support-assistant"
    prompts = requests.get(f"{api}/prompts", headers=headers, timeout=30).json()
    assert [p["name"] for p in prompts["prompts"]] == ["system"]
    version = requests.get(f"{api}/prompts/system/versions/1", headers=headers, timeout=30).json()
    assert version["template"].startswith("You are my-prototype, a friendly chat assistant.")
    assert (version["model"], version["parameters"]) == ("gpt-4o-mini", {"temperature": 0.2})
    runs = requests.get(f"{api}/evals", headers=headers, timeout=30).json()["items"]
    assert [(r["prompt"], r["version"], r["scores"]["contains"]) for r in runs] == [
        ("system", 1, 1.0)
    ]
