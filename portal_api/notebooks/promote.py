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
import sys
import tempfile
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import jupytext
import yaml

from portal_api.errors import InvalidInputError
from portal_api.notebooks.convention import Notebook, NotebookError, read
from portal_api.notebooks.module import (
    bound_names,
    build_module,
    lint_module,
    module_name,
    tree_of,
    used_names,
)
from portal_api.scaffolder import ProjectRequest, models, render

PROMOTABLE = ("gradio-app", "genai-service", "rag-service")


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
    cells = [tree_of(c.source) for c in (*notebook.setup, *notebook.assistant)]
    service = used_names(cells)
    found: dict[str, str] = {}
    for tree in cells:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and not bound_names(node) & service:
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
    lint_module(
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


def promote(notebook: Path, request: ProjectRequest) -> Path:
    """Promote ``notebook`` to the requested project at ``output_dir``/<component_id>.

    Returns:
        The project's directory.

    Raises:
        NotebookError: the notebook breaks the convention (the message names the cell).
        InvalidInputError: unknown template, bad answers, or the project exists already.
    """
    template, template_dir = request.template, request.template_dir
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
    answers = dict(request.answers)
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
    target = request.output_dir / str(answers.get("component_id", ""))
    if target.exists() and not request.overwrite:
        raise InvalidInputError(f"{target} exists (--force replaces it)")
    with tempfile.TemporaryDirectory(prefix="genai-portal-promote-") as tmp:
        project = render(replace(request, answers=answers, output_dir=Path(tmp), overwrite=False))
        _write(project, parsed, template=template, source=notebook, model=answers.get("model"))
        request.output_dir.mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        shutil.move(str(project), str(target))
    return target
