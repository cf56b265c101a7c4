"""Notebooks that cannot become a service are refused with a message naming the cell, and
nothing is left on disk: neither the project nor the temporary render."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from portal_api.notebooks.convention import NotebookError
from portal_api.notebooks.promote import promote
from portal_api.scaffolder import ProjectRequest
from tests.notebooks.conftest import ASSISTANT, EXAMPLES, PROMPT, SETUP, notebook, write

KEY = "sk-proj-" + "Q7xv2LmN9pR4sT6wY8zA1bC3dE5fG7hJ9kL2mN4pQ6rS8tU0vW"

REFUSALS: dict[str, tuple[list[tuple[str | None, str]], str]] = {
    "no assistant cell": (
        [("setup", SETUP), ("prompt", PROMPT)],
        "no cell tagged 'assistant'",
    ),
    "syntax error": (
        [
            ("setup", SETUP),
            ("prompt", PROMPT),
            ("assistant", "def answer(question):\n    return ("),
        ],
        "cell 3 (assistant): syntax error at line 2",
    ),
    "prompt without a template": (
        [
            ("setup", SETUP),
            ("prompt", 'MODEL = "gpt-4o-mini"\nTEMPERATURE = 0.2'),
            ("assistant", ASSISTANT),
        ],
        "cell 2 (prompt): a prompt without a template",
    ),
    "secret in a cell": (
        [
            ("setup", f'client = OpenAI(api_key="{KEY}")'),
            ("prompt", PROMPT),
            ("assistant", ASSISTANT),
        ],
        "cell 1 (setup): a secret (openai-api-key) in the source, line 1",
    ),
    "secret in an untagged cell": (
        [
            ("setup", SETUP),
            (None, f'OPENAI_API_KEY = "{KEY}"'),
            ("prompt", PROMPT),
            ("assistant", ASSISTANT),
        ],
        "cell 2: a secret (openai-api-key) in the source, line 1",
    ),
    "call at import": (
        [("setup", SETUP), ("prompt", PROMPT), ("assistant", ASSISTANT + '\nanswer("hi")\n')],
        "cell 3 (assistant): line 17: `answer('hi')` would run when the service starts",
    ),
    "client made by the assistant": (
        [
            ("prompt", PROMPT),
            (
                "assistant",
                "def answer(q):\n    return OpenAI().chat.completions.create(messages=[])\n",
            ),
        ],
        "cell 2 (assistant): line 2: create the openai client in a setup cell",
    ),
    "prompt that is not literal": (
        [
            ("setup", SETUP),
            ("prompt", 'SYSTEM_PROMPT = "You help " + PRODUCT'),
            ("assistant", ASSISTANT),
        ],
        "cell 2 (prompt): line 1: SYSTEM_PROMPT is not a literal",
    ),
    "assistant without a function": (
        [("setup", SETUP), ("prompt", PROMPT), ("assistant", "import json")],
        "cell 3 (assistant): the assistant cells define no function",
    ),
    "undefined name": (
        [
            ("setup", SETUP),
            ("prompt", PROMPT),
            ("assistant", "def answer(q):\n    return q + SUFFIX\n"),
        ],
        "cell 3 (assistant): ruff F821: Undefined name `SUFFIX`",
    ),
    "model the platform does not offer": (
        [
            ("setup", SETUP),
            ("prompt", PROMPT.replace("gpt-4o-mini", "gpt-9")),
            ("assistant", ASSISTANT),
        ],
        "cell 2 (prompt): the prompt's model 'gpt-9' is not one the platform offers",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS), ids=list(REFUSALS))
def test_refused_with_the_cell_named_and_nothing_left(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cells, message = REFUSALS[case]
    source = write(notebook(*cells), tmp_path / "proto.ipynb")
    out = tmp_path / "out"
    # The promotion's scratch directory in a folder of this test's own: the machine's temp
    # folder is shared with the other workers, which promote notebooks at the same time.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(NotebookError) as refused:
        promote(
            source,
            ProjectRequest(template="gradio-app", answers={"component_id": "bot"}, output_dir=out),
        )
    assert message in refused.value.message
    # The secret itself is never repeated.
    assert KEY not in refused.value.message
    assert not out.exists()
    # its scratch directory went with it (cookiecutter's hook scripts stay: not ours)
    assert not list(scratch.glob("genai-portal-promote-*"))


def test_secret_in_an_output_is_refused(tmp_path: Path) -> None:
    node = notebook(
        ("setup", SETUP), ("prompt", PROMPT), ("assistant", ASSISTANT), (None, "os.environ")
    )
    node.cells[-1].outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={"text/plain": f"{{'OPENAI_API_KEY': '{KEY}'}}"},
            execution_count=1,
        )
    ]
    source = write(node, tmp_path / "proto.ipynb")
    with pytest.raises(NotebookError) as refused:
        promote(
            source,
            ProjectRequest(
                template="gradio-app", answers={"component_id": "bot"}, output_dir=tmp_path / "out"
            ),
        )
    assert "cell 4: a secret (openai-api-key) in the output" in refused.value.message
    assert not (tmp_path / "out").exists()


def test_rag_service_needs_the_sources_parameter(tmp_path: Path) -> None:
    source = write(
        notebook(("setup", SETUP), ("prompt", PROMPT), ("assistant", ASSISTANT)),
        tmp_path / "p.ipynb",
    )
    with pytest.raises(NotebookError) as refused:
        promote(
            source,
            ProjectRequest(
                template="rag-service", answers={"component_id": "bot"}, output_dir=tmp_path
            ),
        )
    assert "cell 3 (assistant): answer() takes the question only" in refused.value.message
    assert not (tmp_path / "bot").exists()


def test_an_existing_project_is_not_overwritten(tmp_path: Path) -> None:
    source = write(
        notebook(
            ("setup", SETUP), ("prompt", PROMPT), ("assistant", ASSISTANT), ("examples", EXAMPLES)
        ),
        tmp_path / "p.ipynb",
    )
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "mine.txt").write_text("keep")
    with pytest.raises(Exception, match="exists"):
        promote(
            source,
            ProjectRequest(
                template="gradio-app", answers={"component_id": "bot"}, output_dir=tmp_path
            ),
        )
    assert [p.name for p in (tmp_path / "bot").iterdir()] == ["mine.txt"]


def test_cli_refusal_exits_2_with_the_message(tmp_path: Path) -> None:
    source = write(notebook(("setup", SETUP), ("prompt", PROMPT)), tmp_path / "proto.ipynb")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "portal_api.cli",
            "promote",
            str(source),
            "--template",
            "gradio-app",
            "--name",
            "bot",
            "--output-dir",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert "error: no cell tagged 'assistant'" in result.stderr + result.stdout
    assert not (tmp_path / "out").exists()
