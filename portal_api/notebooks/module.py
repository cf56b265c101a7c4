"""The service's module made from a promoted notebook: its name, its cells (setup, prompts,
examples rewritten for the service; untagged cells kept for the notebook only), and ruff's
verdict on it. ``promote.py`` writes it into the rendered project."""

from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path

import nbformat

from portal_api.notebooks.convention import Notebook, NotebookError, Prompt, is_client_call

# Modules every template has: the notebook's module gets another name.
_TAKEN = frozenset(
    [
        "app",
        "assistant",
        "chat",
        "config",
        "evaluate",
        "guard",
        "ingest",
        "llm",
        "notebook_client",
        "portal",
        "prompts",
        "retrieval",
        "store",
        "telemetry",
        "ui",
        "web",
    ]
)


_HEADER = """\
# ruff: noqa: E402, E501
# A notebook imports where it needs, and its prose keeps its lines.
from {package}.config import Settings
from {package}.notebook_client import notebook_client
from {package}.prompts import load_prompt

PROMPTS_DIR = Settings().prompts_dir"""


_INTRO = """\
Promoted from `{source}` by `genai-portal promote`. This module and
`notebooks/{module}.ipynb` are one notebook (Jupytext pair): edit either, Jupyter keeps both.
Cells tagged `setup`, `prompt` and `assistant` are the service's code; the prompts are
`prompts/*.yaml` (versioned by the GenAI Portal) and the examples `evals/dataset.jsonl`.
Untagged cells run in the notebook only."""


def module_name(notebook: Path) -> str:
    """A Python module name for the notebook that no template module has."""
    name = re.sub(r"[^0-9a-z_]+", "_", notebook.stem.lower()).strip("_") or "notebook"
    if name[0].isdigit():
        name = f"nb_{name}"
    return f"{name}_notebook" if name in _TAKEN else name


def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin

    return str(find_ruff_bin())


def tree_of(source: str) -> ast.Module:
    return ast.parse(
        "\n".join("" if re.match(r"^\s*[%!]", ln) else ln for ln in source.splitlines())
    )


def _parses(source: str) -> bool:
    try:
        tree_of(source)
    except SyntaxError:
        return False
    return True


def bound_names(statement: ast.Import | ast.ImportFrom) -> set[str]:
    return {(a.asname or a.name).split(".")[0] for a in statement.names}


def used_names(trees: list[ast.Module]) -> set[str]:
    """Names the code reads (imports and the notebook's own client aside)."""
    names: set[str] = set()
    for tree in trees:
        for statement in tree.body:
            if isinstance(statement, ast.Import | ast.ImportFrom):
                continue
            if isinstance(statement, ast.Assign) and is_client_call(statement.value):
                continue  # replaced by the service's client
            names.update(n.id for n in ast.walk(statement) if isinstance(n, ast.Name))
    return names


def _setup_code(
    source: str, clients: list[str], service: set[str]
) -> tuple[str, list[tuple[set[str], str]]]:
    """The setup cell with each ``x = OpenAI(...)`` replaced by the service's client, and the
    imports the service does not use taken out (returned with the names they bind, for the
    exploration cells that use them)."""
    lines = source.splitlines()
    moved: list[tuple[set[str], str]] = []
    for statement in reversed(tree_of(source).body):
        assert statement.end_lineno is not None
        span = slice(statement.lineno - 1, statement.end_lineno)
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in clients for t in statement.targets
        ):
            targets = " = ".join(ast.unparse(t) for t in statement.targets)
            lines[span] = [
                "# The service's client: guarded and measured (notebook_client.py).",
                f"{targets} = notebook_client()",
            ]
        elif (
            isinstance(statement, ast.Import | ast.ImportFrom)
            and not bound_names(statement) & service
        ):
            moved.insert(0, (bound_names(statement), "\n".join(lines[span])))
            lines[span] = []
    return "\n".join(lines).strip("\n"), moved


def _prompt_code(prompts: list[Prompt]) -> str:
    lines = ["# Read from prompts/, which the GenAI Portal versions: edit the prompt there."]
    seen_model: set[str] = set()
    seen: set[str] = set()
    for prompt in prompts:
        var = f"_{prompt.name.replace('-', '_').replace('.', '_')}"
        lines.append(f'{var} = load_prompt(PROMPTS_DIR, "{prompt.name}")')
        lines.append(f"{prompt.variable} = {var}.text")
        if prompt.model_variable and prompt.model_variable not in seen_model:
            lines.append(f"{prompt.model_variable} = {var}.model")
            seen_model.add(prompt.model_variable)
        for variable, key in prompt.parameter_variables.items():
            if variable in seen:
                continue
            seen.add(variable)
            if key is None:
                lines.append(f"{variable} = dict({var}.parameters)")
            else:
                lines.append(f'{variable} = {var}.parameters["{key}"]')
    return "\n".join(lines)


def _examples_code(scalar: bool) -> str:
    expected = 'case["expected"][0] if case["expected"] else ""' if scalar else 'case["expected"]'
    return f"""\
# The examples are the evaluation dataset now (evals/dataset.jsonl): CI scores every change.
import json

EXAMPLES = [
    {{"input": case["input"], "expected": {expected}}}
    for case in map(json.loads, filter(None, (PROMPTS_DIR.parent / "evals" / "dataset.jsonl").read_text().splitlines()))
    if not case.get("attack")
]"""


def build_module(
    notebook: Notebook, *, package: str, module: str, source: str
) -> nbformat.NotebookNode:
    """The service's notebook module: one cell per cell of the notebook, after a header."""
    cells = [
        nbformat.v4.new_markdown_cell(_INTRO.format(source=source, module=module)),
        nbformat.v4.new_code_cell(_HEADER.format(package=package)),
    ]
    prompts_by_cell: dict[int, list[Prompt]] = {}
    for prompt in notebook.prompts:
        prompts_by_cell.setdefault(prompt.cell, []).append(prompt)
    scalar = bool(notebook.examples) and all(len(e.expected) <= 1 for e in notebook.examples)
    examples_done = False
    service = used_names([tree_of(c.source) for c in (*notebook.setup, *notebook.assistant)])
    # Setup imports only exploration uses move to the first exploration cell that uses them.
    exploring = {
        c.index: used_names([tree_of(c.source)])
        for c in notebook.cells
        if c.tag is None and notebook.node.cells[c.index].cell_type == "code" and _parses(c.source)
    }
    setup_code: dict[int, str] = {}
    imports_for: dict[int, list[str]] = {}
    for cell in notebook.setup:
        setup_code[cell.index], moved = _setup_code(cell.source, notebook.clients, service)
        for names, code in moved:
            user = next((i for i, used in exploring.items() if names & used), None)
            if user is not None:
                imports_for.setdefault(user, []).append(code)
    for original, cell in zip(notebook.node.cells, notebook.cells, strict=True):
        metadata = {"tags": [cell.tag]} if cell.tag else {}
        if original.cell_type == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(original.source))
        elif original.cell_type == "raw":
            cells.append(nbformat.v4.new_raw_cell(original.source))
        elif cell.tag == "setup":
            cells.append(nbformat.v4.new_code_cell(setup_code[cell.index], metadata=metadata))
        elif cell.tag == "prompt":
            cells.append(
                nbformat.v4.new_code_cell(
                    _prompt_code(prompts_by_cell[cell.index]), metadata=metadata
                )
            )
        elif cell.tag == "assistant":
            cells.append(nbformat.v4.new_code_cell(cell.source, metadata=metadata))
        elif cell.tag == "examples":
            # The first examples cell reads the dataset; the others were merged into it.
            source = "" if examples_done else _examples_code(scalar)
            examples_done = True
            cells.append(
                nbformat.v4.new_code_cell(source, metadata={**metadata, "active": "ipynb"})
            )
        else:
            # Exploration: runs in the notebook, a comment in the module.
            code = "\n".join([*imports_for.get(cell.index, []), original.source])
            cells.append(nbformat.v4.new_code_cell(code, metadata={"active": "ipynb"}))
    node: nbformat.NotebookNode = nbformat.v4.new_notebook(cells=cells)
    node.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    node.metadata["jupytext"] = {"formats": f"notebooks///ipynb,src/{package}///py:percent"}
    return node


def _cell_of_line(text: str, line: int) -> int | None:
    """The notebook cell index of a module line (the module has two header cells first)."""
    markers = [
        n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith("# %%") and n <= line
    ]
    return len(markers) - 3 if len(markers) >= 3 else None


def lint_module(
    project: Path, module_path: Path, generated: list[Path], notebook: Notebook
) -> None:
    """ruff format and fix the generated files; refuse what the project's lint still rejects."""
    ruff = _ruff()
    files = [str(p.relative_to(project)) for p in generated]
    run = {"cwd": project, "capture_output": True, "text": True, "timeout": 120, "check": False}
    subprocess.run([ruff, "check", "--no-cache", "--fix-only", "--quiet", *files], **run)  # type: ignore[call-overload]
    subprocess.run([ruff, "format", "--no-cache", "--quiet", *files], **run)  # type: ignore[call-overload]
    result = subprocess.run(  # type: ignore[call-overload]
        [ruff, "check", "--no-cache", "--output-format", "json", *files], **run
    )
    problems = [p for p in json.loads(result.stdout or "[]") if p.get("code")]
    if not problems:
        return
    first = problems[0]
    path = (
        project / first["filename"]
        if not Path(first["filename"]).is_absolute()
        else Path(first["filename"])
    )
    index = None
    if path.resolve() == module_path.resolve():
        index = _cell_of_line(module_path.read_text(), first["location"]["row"])
    tag = (
        notebook.cells[index].tag
        if index is not None and 0 <= index < len(notebook.cells)
        else None
    )
    raise NotebookError(
        f"ruff {first['code']}: {first['message']}",
        cell=index if index is not None and index >= 0 else None,
        tag=tag,
    )
