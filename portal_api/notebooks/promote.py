"""Promote a notebook in the convention (convention.py) to a service rendered from a template.

The template is rendered exactly as ``genai-portal new`` renders it (scaffolder.render), into a
temporary folder; then:

- the ``setup``, ``prompt``, ``assistant`` (and every other) cell become ``src/<package>/<notebook>.py``,
  a Jupytext ``py:percent`` module paired with ``notebooks/<notebook>.ipynb``: the setup's
  ``OpenAI(...)`` client is the service's guarded, measured client (notebook_client.py), prompt
  cells read ``prompts/<name>.yaml``, and untagged cells run in the notebook only;
- ``assistant.py`` (the module the app, the UI and the evaluation call) calls the notebook's
  function;
- ``prompt`` cells become ``prompts/<name>.yaml`` in the portal's prompt format, with their
  ConfigMaps and mounts; ``examples`` become ``evals/dataset.jsonl`` (with the template's attack
  cases, so the guard is evaluated too);
- the module is formatted and linted with ruff under the project's own settings.

Only a project that passes all of this is moved to its place; a refused notebook leaves nothing.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import yaml

from portal_api.errors import InvalidInputError
from portal_api.notebooks.convention import Notebook, NotebookError, Prompt, is_client_call, read
from portal_api.scaffolder import TEMPLATES_DIR, models, render

PROMOTABLE = ("gradio-app", "genai-service", "rag-service")
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


def _file(name: str) -> str:
    return resources.files("portal_api.notebooks").joinpath("files", name).read_text("utf-8")


class _Literal(str):
    pass


def _dump_yaml(content: dict[str, Any]) -> str:
    class Dumper(yaml.SafeDumper):
        pass

    def block(dumper: yaml.SafeDumper, value: _Literal) -> yaml.Node:
        return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")

    Dumper.add_representer(_Literal, block)
    if "\n" in content["template"] and not any(
        line != line.rstrip() for line in content["template"].splitlines()
    ):
        content = {**content, "template": _Literal(content["template"])}
    return yaml.dump(content, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)


# --- the module ------------------------------------------------------------------------------


def _tree(source: str) -> ast.Module:
    return ast.parse(
        "\n".join("" if re.match(r"^\s*[%!]", ln) else ln for ln in source.splitlines())
    )


def _parses(source: str) -> bool:
    try:
        _tree(source)
    except SyntaxError:
        return False
    return True


def _bound(statement: ast.Import | ast.ImportFrom) -> set[str]:
    return {(a.asname or a.name).split(".")[0] for a in statement.names}


def _used(trees: list[ast.Module]) -> set[str]:
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
    for statement in reversed(_tree(source).body):
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
        elif isinstance(statement, ast.Import | ast.ImportFrom) and not _bound(statement) & service:
            moved.insert(0, (_bound(statement), "\n".join(lines[span])))
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
    service = _used([_tree(c.source) for c in (*notebook.setup, *notebook.assistant)])
    # Setup imports only exploration uses move to the first exploration cell that uses them.
    exploring = {
        c.index: _used([_tree(c.source)])
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


def _lint(project: Path, module_path: Path, generated: list[Path], notebook: Notebook) -> None:
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


# --- the project -----------------------------------------------------------------------------


def _prompt_manifests(project: Path, component: str, names: list[tuple[str, str]]) -> None:
    """One ConfigMap per prompt (the portal reads ``prompt.yaml`` keys) and one mount each."""
    generators = []
    for name, filename in names:
        key = "prompt.yaml=" if filename.endswith(".yaml") else ""
        generators.append(
            f"  - name: {component}-prompt-{name}\n"
            f"    files:\n      - {key}{filename}\n"
            f"    options:\n      labels:\n        genai-portal.io/prompt: {name}\n"
        )
    kustomization = project / "prompts" / "kustomization.yaml"
    head = kustomization.read_text().split("configMapGenerator:")[0]
    kustomization.write_text(head + "configMapGenerator:\n" + "".join(generators))
    deployment = project / "deploy" / "base" / "deployment.yaml"
    text = deployment.read_text()
    mount = re.search(
        r"( +)- name: prompt-system\n\1  mountPath: /etc/prompts/system\n\1  readOnly: true\n", text
    )
    volume = re.search(
        r"( +)- name: prompt-system\n\1  configMap:\n\1    name: \S+-prompt-system\n", text
    )
    if mount is None or volume is None:
        raise InvalidInputError(
            "the template's deployment.yaml has no prompt-system mount to extend"
        )
    pad_m, pad_v = mount.group(1), volume.group(1)
    mounts = "".join(
        f"{pad_m}- name: prompt-{n}\n{pad_m}  mountPath: /etc/prompts/{n}\n{pad_m}  readOnly: true\n"
        for n, _ in names
    )
    volumes = "".join(
        f"{pad_v}- name: prompt-{n}\n{pad_v}  configMap:\n{pad_v}    name: {component}-prompt-{n}\n"
        for n, _ in names
    )
    text = text[: volume.start()] + volumes + text[volume.end() :]
    text = text[: mount.start()] + mounts + text[mount.end() :]
    deployment.write_text(text)


def _normal(dist: str) -> str:
    return re.sub(r"[-_.]+", "-", dist).lower()


def _requirements(notebook: Notebook, package: str) -> list[str]:
    """Distributions the service's cells import beyond the standard library, as installed where
    the notebook ran (``>=`` that version); an import not installed here is named as is."""
    installed = importlib.metadata.packages_distributions()
    cells = [_tree(c.source) for c in (*notebook.setup, *notebook.assistant)]
    service = _used(cells)
    found: dict[str, str] = {}
    for tree in cells:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and not _bound(node) & service:
                continue  # not the service's: it moves to the exploration (or goes)
            if isinstance(node, ast.Import):
                tops = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top in sys.stdlib_module_names or top in (package, "openai", "__future__"):
                    continue
                dist = installed.get(top, [top])[0]
                name = _normal(dist)
                try:
                    found[name] = f"{name}>={importlib.metadata.version(dist)}"
                except importlib.metadata.PackageNotFoundError:
                    found[name] = name
    return sorted(found.values())


def _add_requirements(project: Path, requirements: list[str]) -> None:
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    start = text.index("dependencies = [")
    end = text.index("\n]", start)
    have = {
        _normal(re.split(r"[<>=!~\[; ]", line.strip().strip('",'))[0])
        for line in text[start:end].splitlines()[1:]
    }
    extra = "".join(f'\n  "{r}",' for r in requirements if re.split(r"[<>=]", r)[0] not in have)
    pyproject.write_text(text[:end] + extra + text[end:])


def _dataset(project: Path, notebook: Notebook) -> None:
    path = project / "evals" / "dataset.jsonl"
    template_cases = [json.loads(ln) for ln in path.read_text().splitlines() if ln.strip()]
    cases = [
        {
            "id": e.id,
            "input": e.input,
            "expected": e.expected,
            **({"attack": True} if e.attack else {}),
        }
        for e in notebook.examples
    ]
    ids = {c["id"] for c in cases}
    # The template's attack cases stay: the evaluation checks the guard as well.
    cases += [c for c in template_cases if c.get("attack") and c.get("id") not in ids]
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases))


def _write(
    project: Path, notebook: Notebook, *, template: str, source: Path, model: str | None
) -> None:
    package = project.name.replace("-", "_")
    component = project.name
    src = project / "src" / package
    module = module_name(source)
    # Prompts: the notebook's replace the template's (rag keeps `system`, its retrieval reads it).
    if notebook.prompts:
        keep_system = template == "rag-service" and "system" not in {
            p.name for p in notebook.prompts
        }
        if not keep_system:
            (project / "prompts" / "system.md").unlink()
        for prompt in notebook.prompts:
            content = prompt.content()
            if model:
                # The model the service runs (GEN_AI_MODEL) is the one its prompts are versioned with.
                content["model"] = model
            (project / "prompts" / f"{prompt.name}.yaml").write_text(_dump_yaml(content))
        names = [(p.name, f"{p.name}.yaml") for p in notebook.prompts]
        if keep_system:
            names.insert(0, ("system", "system.md"))
        _prompt_manifests(project, component, names)
    if notebook.examples:
        _dataset(project, notebook)
    # The template's starter notebook is this notebook now.
    shutil.rmtree(project / "notebooks", ignore_errors=True)
    (project / "notebooks").mkdir()
    if template == "rag-service":
        (src / "assistant.py").rename(src / "retrieval.py")
    prompt_name = notebook.prompts[0].name if notebook.prompts else "system"
    assistant = _file("rag_assistant.py.txt" if template == "rag-service" else "assistant.py.txt")
    for placeholder, value in (
        ("__PACKAGE__", package),
        ("__MODULE__", module),
        ("__FUNCTION__", notebook.function),
        ("__PROMPT__", prompt_name),
    ):
        assistant = assistant.replace(placeholder, value)
    (src / "assistant.py").write_text(assistant)
    (src / "notebook_client.py").write_text(_file("notebook_client.py.txt"))
    module_path = src / f"{module}.py"
    node = build_module(notebook, package=package, module=module, source=source.name)
    jupytext.write(node, module_path, fmt="py:percent")
    _lint(
        project,
        module_path,
        [module_path, src / "assistant.py", src / "notebook_client.py"],
        notebook,
    )
    # The notebook is the formatted module's twin (Jupytext reads what it pairs).
    paired = jupytext.read(module_path)
    paired.metadata["kernelspec"] = node.metadata["kernelspec"]
    jupytext.write(paired, project / "notebooks" / f"{module}.ipynb", fmt="ipynb")
    _add_requirements(project, _requirements(notebook, package))
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            "[tool.ruff]\n",
            "[tool.ruff]\n# The notebook's code is linted as its pair, src/"
            f"{package}/{module}.py; its exploration cells are not the service's.\n"
            'extend-exclude = ["notebooks"]\n',
            1,
        )
    )
    readme = project / "README.md"
    readme.write_text(
        readme.read_text()
        + f"""
## The notebook
Promoted from `{source.name}`: `notebooks/{module}.ipynb` is paired (Jupytext) with
`src/{package}/{module}.py`, the code the service runs. Open it with Jupytext installed
(`pip install jupytext jupyterlab`, then `jupyter lab notebooks/`) and it runs on the service's
guarded client; edits to either file reach the other. `{notebook.function}` answers, the prompts
are `prompts/*.yaml` and the examples `evals/dataset.jsonl`.
"""
    )


def promote(
    *,
    notebook: Path,
    template: str,
    answers: dict[str, Any],
    output_dir: Path,
    template_dir: Path = TEMPLATES_DIR,
    overwrite: bool = False,
) -> Path:
    """Promote ``notebook`` to a project of ``template`` at ``output_dir``/<component_id>.

    Returns:
        The project's directory.

    Raises:
        NotebookError: the notebook breaks the convention (the message names the cell).
        InvalidInputError: unknown template, bad answers, or the project exists already.
    """
    if template not in PROMOTABLE:
        raise InvalidInputError(
            f"--template must be one of {', '.join(PROMOTABLE)}, not {template!r}"
        )
    parsed = read(str(notebook))
    if template == "rag-service" and parsed.arity < 2:
        last = parsed.assistant[-1]
        raise NotebookError(
            f"{parsed.function}() takes the question only: for rag-service it takes the retrieved "
            "sources as well (def answer(question, sources): ...), numbered [n] for citing",
            cell=last.index,
            tag=last.tag,
        )
    answers = dict(answers)
    prompt_model = next((p.model for p in parsed.prompts if p.model), None)
    if "model" not in answers and prompt_model:
        if prompt_model not in models(template_dir):
            known = ", ".join(models(template_dir))
            raise NotebookError(
                f"the prompt's model {prompt_model!r} is not one the platform offers ({known}): "
                "choose one with --model",
                cell=next(p.cell for p in parsed.prompts if p.model),
                tag="prompt",
            )
        answers["model"] = prompt_model
    target = output_dir / str(answers.get("component_id", ""))
    if target.exists() and not overwrite:
        raise InvalidInputError(f"{target} exists (--force replaces it)")
    with tempfile.TemporaryDirectory(prefix="genai-portal-promote-") as tmp:
        project = render(
            template=template, answers=answers, output_dir=Path(tmp), template_dir=template_dir
        )
        _write(project, parsed, template=template, source=notebook, model=answers.get("model"))
        output_dir.mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        shutil.move(str(project), str(target))
    return target
