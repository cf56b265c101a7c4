"""The notebook convention: a normal Jupyter notebook whose cells carry tags.

- ``setup``: imports and constants, and the ``openai`` client (``client = OpenAI(...)``).
- ``prompt``: literal assignments only: each string is a prompt template (``SYSTEM_PROMPT``
  becomes the prompt ``system``), ``MODEL`` its model, every other literal (``TEMPERATURE``, a
  ``PARAMETERS`` dict) its parameters.
- ``assistant``: the function the app calls (the last function defined in these cells): the
  user's input in, the answer out, through the client of the setup cells.
- ``examples``: a list of ``{"input": ..., "expected": ...}`` (``expected``: a phrase or a list
  of phrases the answer must contain; ``attack: true`` for inputs that must be refused).

Untagged cells are exploration: they stay in the notebook and out of the service.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass, field
from typing import Any

import nbformat

from portal_api.errors import InvalidInputError
from portal_api.kit.mapping import compact
from portal_api.security.guard import secrets

TAGS = ("setup", "prompt", "assistant", "examples")
# Client classes of the openai package: the service replaces them with its guarded client.
CLIENT_CLASSES = frozenset({"OpenAI", "AzureOpenAI", "AsyncOpenAI", "AsyncAzureOpenAI"})
PROMPT_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,61}[a-z0-9])?$")
_JINJA_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)")
_MAGIC = re.compile(r"^\s*[%!]")
_REFERENCE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")


class NotebookError(InvalidInputError):
    """A notebook that cannot be promoted; the message names the cell (index and tag)."""

    def __init__(self, message: str, *, cell: int | None = None, tag: str | None = None) -> None:
        where = "" if cell is None else f"cell {cell}" + (f" ({tag})" if tag else "") + ": "
        super().__init__(where + message)
        self.cell = cell
        self.tag = tag


@dataclass(frozen=True)
class Prompt:
    """One prompt of a ``prompt`` cell, in the portal's prompt format."""

    name: str
    variable: str
    template: str
    model: str | None
    parameters: dict[str, Any]
    # Notebook variable -> the parameter it holds (None: the whole parameters dict).
    parameter_variables: dict[str, str | None]
    model_variable: str | None
    cell: int

    @property
    def variables(self) -> list[str]:
        """Placeholders: ``{{ name }}`` (the portal's syntax), else ``str.format`` fields."""
        jinja = list(dict.fromkeys(_JINJA_VARIABLE.findall(self.template)))
        if jinja:
            return jinja
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(self.template) if f]
        except ValueError:
            return []
        return list(dict.fromkeys(re.split(r"[.\[]", f)[0] for f in fields))

    def content(self) -> dict[str, Any]:
        """The file ``prompts/<name>.yaml``: the portal's prompt content."""
        return {"template": self.template} | compact(
            {"variables": self.variables, "model": self.model, "parameters": self.parameters}
        )


@dataclass(frozen=True)
class Cell:
    index: int
    tag: str | None
    source: str


@dataclass(frozen=True)
class Example:
    input: str
    expected: list[str]
    attack: bool
    id: str


@dataclass
class Notebook:
    """What a notebook holds in the convention."""

    node: nbformat.NotebookNode
    cells: list[Cell]
    setup: list[Cell] = field(default_factory=list)
    prompts: list[Prompt] = field(default_factory=list)
    assistant: list[Cell] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    function: str = ""
    # How many positional parameters the function takes.
    arity: int = 0
    # The names the setup cells bind to an openai client.
    clients: list[str] = field(default_factory=list)


def _tag(cell: nbformat.NotebookNode, index: int) -> str | None:
    tags = [t for t in cell.get("metadata", {}).get("tags", []) if t in TAGS]
    if len(tags) > 1:
        raise NotebookError(f"one convention tag per cell, not {', '.join(tags)}", cell=index)
    return tags[0] if tags else None


def _code(source: str) -> str:
    """The cell's Python: IPython magics and shell escapes are notebook-only."""
    return "\n".join("" if _MAGIC.match(line) else line for line in source.splitlines())


def _parse(cell: Cell) -> ast.Module:
    try:
        return ast.parse(_code(cell.source))
    except SyntaxError as exc:
        raise NotebookError(
            f"syntax error at line {exc.lineno}: {exc.msg}", cell=cell.index, tag=cell.tag
        ) from None


def _outputs_text(cell: nbformat.NotebookNode) -> str:
    parts: list[str] = []
    for output in cell.get("outputs", []):
        if "text" in output:
            parts.append(str(output["text"]))
        for value in output.get("data", {}).values():
            if isinstance(value, str):
                parts.append(value)
    return "\n".join(parts)


def _code_value(text: str, hit: secrets.SecretHit) -> bool:
    """A ``key = <expression>`` in code (``os.environ[...]``, a name) holds no secret."""
    value = text[hit.start : hit.end]
    return hit.label == "credential-assignment" and (
        any(c in value for c in "()[]") or _REFERENCE.match(value) is not None
    )


def check_secrets(node: nbformat.NotebookNode) -> None:
    """Refuse a notebook with a credential in any cell or output (it would be committed)."""
    for index, cell in enumerate(node.cells):
        for where, text in (("source", cell.source), ("output", _outputs_text(cell))):
            hits = [h for h in secrets.scan(text) if h.known and not _code_value(text, h)]
            if hits:
                line = text.count("\n", 0, hits[0].start) + 1
                raise NotebookError(
                    f"a secret ({hits[0].label}) in the {where}, line {line}: read it from the "
                    "environment (os.environ) and clear the output before promoting",
                    cell=index,
                    tag=_tag(cell, index),
                )


def is_client_call(value: ast.expr) -> bool:
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in CLIENT_CLASSES


def _prompt_name(variable: str) -> str:
    name = variable.lower()
    for suffix in ("_prompt", "_template"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    return name.replace("_", "-")


def _prompts(cell: Cell) -> list[Prompt]:
    templates: dict[str, str] = {}
    model: str | None = None
    model_variable: str | None = None
    parameters: dict[str, Any] = {}
    parameter_variables: dict[str, str | None] = {}
    for statement in _parse(cell).body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring or a displayed literal
        target: ast.expr | None = None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target = statement.target
        if not isinstance(target, ast.Name):
            raise NotebookError(
                f"line {statement.lineno}: a prompt cell holds assignments of literals only "
                "(NAME = value)",
                cell=cell.index,
                tag=cell.tag,
            )
        assert isinstance(statement, ast.Assign | ast.AnnAssign)
        assert statement.value is not None
        try:
            value = ast.literal_eval(statement.value)
        except ValueError:
            raise NotebookError(
                f"line {statement.lineno}: {target.id} is not a literal (a prompt cell is "
                "read without running it: strings, numbers, lists and dicts only)",
                cell=cell.index,
                tag=cell.tag,
            ) from None
        name = target.id
        if name.lower() == "model":
            if not isinstance(value, str):
                raise NotebookError(f"{name} must be a string", cell=cell.index, tag=cell.tag)
            model, model_variable = value, name
        elif isinstance(value, str):
            templates[name] = value
        elif name.lower() in ("parameters", "params"):
            if not isinstance(value, dict):
                raise NotebookError(f"{name} must be a dict", cell=cell.index, tag=cell.tag)
            parameters.update(value)
            parameter_variables[name] = None
        else:
            parameters[name.lower()] = value
            parameter_variables[name] = name.lower()
    if not templates:
        raise NotebookError(
            "a prompt without a template: assign the prompt text to a name "
            '(SYSTEM_PROMPT = """...""")',
            cell=cell.index,
            tag=cell.tag,
        )
    out = []
    for variable, template in templates.items():
        if not template.strip():
            raise NotebookError(f"{variable} is an empty prompt", cell=cell.index, tag=cell.tag)
        name = _prompt_name(variable)
        if not PROMPT_NAME.match(name):
            raise NotebookError(
                f"{variable} gives no valid prompt name ({name!r})", cell=cell.index, tag=cell.tag
            )
        out.append(
            Prompt(
                name=name,
                variable=variable,
                template=template,
                model=model,
                parameters=parameters,
                parameter_variables=parameter_variables,
                model_variable=model_variable,
                cell=cell.index,
            )
        )
    return out


def _examples(cell: Cell) -> list[Example]:
    value: Any = None
    for statement in _parse(cell).body:
        node = statement.value if isinstance(statement, ast.Assign | ast.Expr) else None
        if isinstance(node, ast.List):
            try:
                value = ast.literal_eval(node)
            except ValueError:
                raise NotebookError(
                    f"line {statement.lineno}: examples are a literal list of dicts",
                    cell=cell.index,
                    tag=cell.tag,
                ) from None
    if not isinstance(value, list) or not value:
        raise NotebookError(
            'no examples: EXAMPLES = [{"input": "...", "expected": "..."}, ...]',
            cell=cell.index,
            tag=cell.tag,
        )
    out = []
    for n, item in enumerate(value, 1):
        if not isinstance(item, dict) or not isinstance(item.get("input"), str):
            raise NotebookError(f"example {n} has no 'input' string", cell=cell.index, tag=cell.tag)
        expected = item.get("expected", [])
        expected = [expected] if isinstance(expected, str) else expected
        if not isinstance(expected, list) or not all(isinstance(e, str) for e in expected):
            raise NotebookError(
                f"example {n}: 'expected' is a phrase or a list of phrases",
                cell=cell.index,
                tag=cell.tag,
            )
        out.append(
            Example(
                input=item["input"],
                expected=expected,
                attack=bool(item.get("attack", False)),
                id=str(item.get("id") or f"notebook-{n}"),
            )
        )
    return out


def _check_assistant(cell: Cell, tree: ast.Module) -> list[tuple[str, int]]:
    """The functions the cell defines (name, positional parameters); refuses code that would
    run when the service starts."""
    functions = []
    for statement in tree.body:
        if isinstance(statement, ast.AsyncFunctionDef):
            raise NotebookError(
                f"line {statement.lineno}: {statement.name} is async; the service calls a plain "
                "function",
                cell=cell.index,
                tag=cell.tag,
            )
        if isinstance(statement, ast.FunctionDef):
            args = statement.args
            functions.append((statement.name, len(args.posonlyargs) + len(args.args)))
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue
        elif not isinstance(
            statement,
            ast.Import | ast.ImportFrom | ast.ClassDef | ast.Assign | ast.AnnAssign,
        ):
            code = ast.unparse(statement).splitlines()[0][:60]
            raise NotebookError(
                f"line {statement.lineno}: `{code}` would run when the service starts; "
                "keep definitions in assistant cells and try them in an untagged cell",
                cell=cell.index,
                tag=cell.tag,
            )
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and is_client_call(node):
                raise NotebookError(
                    f"line {node.lineno}: create the openai client in a setup cell, where the "
                    "service replaces it with its guarded, measured client",
                    cell=cell.index,
                    tag=cell.tag,
                )
    return functions


def parse(node: nbformat.NotebookNode) -> Notebook:
    """The notebook in the convention.

    Raises:
        NotebookError: a cell breaks the convention (the message names it).
    """
    check_secrets(node)
    cells = [Cell(i, _tag(c, i), c.source) for i, c in enumerate(node.cells)]
    for cell in cells:
        if cell.tag and node.cells[cell.index].cell_type != "code":
            raise NotebookError(
                f"a {node.cells[cell.index].cell_type} cell cannot be tagged",
                cell=cell.index,
                tag=cell.tag,
            )
    notebook = Notebook(node=node, cells=cells)
    for cell in cells:
        if cell.tag == "setup":
            tree = _parse(cell)
            for statement in tree.body:
                if isinstance(statement, ast.Assign) and is_client_call(statement.value):
                    notebook.clients.extend(
                        t.id for t in statement.targets if isinstance(t, ast.Name)
                    )
            notebook.setup.append(cell)
        elif cell.tag == "prompt":
            notebook.prompts.extend(_prompts(cell))
        elif cell.tag == "assistant":
            functions = _check_assistant(cell, _parse(cell))
            if functions:
                notebook.function, notebook.arity = functions[-1]
            notebook.assistant.append(cell)
        elif cell.tag == "examples":
            notebook.examples.extend(_examples(cell))
    if not notebook.assistant:
        raise NotebookError(
            "no cell tagged 'assistant': tag the cell that defines the function the app calls "
            "(View > Cell toolbar > Tags)"
        )
    if not notebook.function:
        last = notebook.assistant[-1]
        raise NotebookError(
            "the assistant cells define no function (def answer(question): ...)",
            cell=last.index,
            tag=last.tag,
        )
    names = [p.name for p in notebook.prompts]
    for prompt in notebook.prompts:
        if names.count(prompt.name) > 1:
            raise NotebookError(
                f"the prompt name {prompt.name!r} ({prompt.variable}) is used twice",
                cell=prompt.cell,
                tag="prompt",
            )
    return notebook


def read(path: str) -> Notebook:
    """Read and parse a notebook file.

    Raises:
        NotebookError: not a notebook, or one that breaks the convention.
    """
    try:
        node = nbformat.read(path, as_version=4)
    except (OSError, ValueError) as exc:
        raise NotebookError(f"{path} is not a readable Jupyter notebook: {exc}") from None
    return parse(node)
