"""Notebooks in the convention, built cell by cell as Jupyter saves them; running them headless
(nbclient); the promoted projects' environments and a running portal."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
import requests
import yaml
from nbclient import NotebookClient

from tests.servers.openai import OpenAIState
from tests.servers.process import PortalProcess, env_without_portal, start_portal
from tests.templates.conftest import Venvs, run

TOKEN = "notebook-test-token-1234567890"


def notebook(
    *cells: tuple[str | None, str], markdown: str = "# Prototype"
) -> nbformat.NotebookNode:
    """A notebook: a markdown title, then ``(tag, source)`` code cells (tag None: untagged)."""
    node: nbformat.NotebookNode = nbformat.v4.new_notebook()
    node.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    node.cells.append(nbformat.v4.new_markdown_cell(markdown))
    for tag, source in cells:
        metadata = {"tags": [tag]} if tag else {}
        node.cells.append(nbformat.v4.new_code_cell(source, metadata=metadata))
    return node


def write(node: nbformat.NotebookNode, path: Path) -> Path:
    nbformat.write(node, str(path))
    return path


SETUP = """\
import os
import textwrap

from openai import OpenAI

client = OpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key=os.environ["OPENAI_API_KEY"])
PRODUCT = "Acme Cloud"
"""
PROMPT = '''\
SYSTEM_PROMPT = """You are the support assistant of {product}.
Answer in one sentence; say so when you do not know."""
MODEL = "gpt-4o-mini"
TEMPERATURE = 0.1
MAX_TOKENS = 200
'''
ASSISTANT = """\
def clean(text):
    return text.strip()


def answer(question):
    response = client.chat.completions.create(
        model=MODEL,
        temperature=TEMPERATURE,
        max_tokens=MAX_TOKENS,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT.format(product=PRODUCT)},
            {"role": "user", "content": question},
        ],
    )
    return clean(response.choices[0].message.content or "")
"""
EXAMPLES = """\
EXAMPLES = [
    {"input": "What is the capital of France?", "expected": "Paris"},
    {"input": "How long does a refund take?", "expected": "5 days"},
]
"""
# Exploration: what the data scientist looked at; it stays in the notebook only.
EXPLORE = "textwrap.shorten(PRODUCT, 8)"
RUN_EXAMPLES = """\
import json

ANSWERS = {example["input"]: answer(example["input"]) for example in EXAMPLES}
print(json.dumps(ANSWERS))
"""
# The support bot of the tests: every tag, exploration in between.
SUPPORT_BOT = (
    ("setup", SETUP),
    (None, EXPLORE),
    ("prompt", PROMPT),
    ("assistant", ASSISTANT),
    ("examples", EXAMPLES),
    (None, RUN_EXAMPLES),
)


def execute(node: nbformat.NotebookNode, cwd: Path, env: dict[str, str]) -> nbformat.NotebookNode:
    """Run every cell headless in a fresh IPython kernel (nbclient), with ``env`` set."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        NotebookClient(
            node,
            timeout=120,
            startup_timeout=120,
            kernel_name="python3",
            resources={"metadata": {"path": str(cwd)}},
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return node


def printed(node: nbformat.NotebookNode) -> dict[str, str]:
    """The JSON the last code cell printed."""
    cell = [c for c in node.cells if c.cell_type == "code"][-1]
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    return dict(json.loads(text))


def chats(state: OpenAIState) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in r.items() if k not in ("stream", "stream_options")}
        for r in state.requests
        if r["path"] == "/v1/chat/completions"
    ]


def own_tests_pass(path: Path, venv: Path, venvs: Venvs) -> None:
    """The project's pytest, in its own environment: all passed, none failed or skipped."""
    result = run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=path,
        env=venvs.env,
    )
    last = result.stdout.strip().splitlines()[-1]
    assert " passed" in last, result.stdout
    assert "failed" not in last, result.stdout
    assert "skipped" not in last, result.stdout


@pytest.fixture(scope="module")
def venvs(tmp_path_factory: pytest.TempPathFactory) -> Venvs:
    return Venvs(tmp_path_factory.mktemp("venvs"))


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[PortalProcess]:
    tokens = [{"name": "ci", "token": TOKEN, "scopes": ["read", "ingest"]}]
    env = env_without_portal(
        PORTAL_DATABASE_URL=f"sqlite:///{tmp_path}/portal.db", PORTAL_API_TOKENS=json.dumps(tokens)
    )
    server = start_portal(["serve"], env, tmp_path)
    try:
        yield server
    finally:
        server.stop()


def guarded_by(portal: PortalProcess) -> dict[str, str]:
    """The settings a generated service needs to be guarded by ``portal``."""
    return {"PORTAL_URL": portal.url, "PORTAL_INGEST_TOKEN": TOKEN}


def run_ci_evaluate(
    path: Path, venv: Path, venvs: Venvs, *, model_url: str, portal: PortalProcess
) -> None:
    """Register the app in the portal (as the cluster or the catalog would), then run the
    project's CI evaluate job, command by command, in its environment."""
    created = requests.post(
        f"{portal.url}/api/v1/apps",
        json={"name": path.name},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    assert created.status_code == 201, created.text
    workflow = yaml.safe_load((path / ".github" / "workflows" / "ci.yaml").read_text())
    commands = [
        s["run"]
        for s in workflow["jobs"]["evaluate"]["steps"]
        if "run" in s and "pip install" not in s["run"]
    ]
    env = {
        **venvs.env,
        "PATH": f"{venv / 'bin'}:{venvs.env['PATH']}",
        "OPENAI_BASE_URL": model_url,
        "OPENAI_API_KEY": "ci-key",
        "PORTAL_URL": portal.url,
        "PORTAL_INGEST_TOKEN": TOKEN,
        "GITHUB_SHA": "0123abcd",
    }
    for command in commands:
        run(["bash", "-ec", command], cwd=path, env=env)
