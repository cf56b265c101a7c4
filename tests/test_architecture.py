"""The house rules of portal_api/, checked from the source: no package-level import cycle, no
file over 500 lines.

The import graph is read from the AST of every module, so imports inside functions count too (a
function-local import is the usual way a cycle gets hidden). Imports under ``if TYPE_CHECKING:``
are left out: they never run, and a protocol typed against the other side is how a cycle is
legitimately broken.

A "package" is the first name under ``portal_api`` (``portal_api.prompts``,
``portal_api.sync``...); a top-level module (``main.py``, ``deps.py``) is its own node.
"""

from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "portal_api"
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> set[str]:
    """Every portal_api module this file imports, at any depth, except TYPE_CHECKING blocks."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return _imports_in(path.read_text(), package)


def _imports_in(source: str, package: str) -> set[str]:
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return {name for name in found if name == "portal_api" or name.startswith("portal_api.")}


def _package(module: str) -> str | None:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else None


def _files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.relative_to(ROOT).parts)


def package_graph() -> dict[str, dict[str, set[str]]]:
    """package -> imported package -> the files (relative to portal_api/) that make the edge."""
    known = {_module_name(p) for p in _files()}
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in _files():
        source = _package(_module_name(path))
        if source is None:
            continue
        name_of_file = str(path.relative_to(ROOT))
        for name in _imports(path):
            # `from portal_api.x import y` names y, which may be a function rather than a module
            while name not in known and "." in name:
                name = name.rpartition(".")[0]
            target = _package(name)
            if target is None or target == source:
                continue
            graph[source][target].add(name_of_file)
    return graph


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def _short_path(edges: dict[str, set[str]], start: str, members: set[str]) -> list[str]:
    """One concrete cycle through `start` inside a component, for the failure message."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                return [*paths[node], start]
            if nxt in members and nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return [start]


def test_no_package_import_cycle() -> None:
    graph = package_graph()
    edges = {source: set(targets) for source, targets in graph.items()}
    problems = []
    for component in _cycles(edges):
        cycle = _short_path(edges, component[0], set(component))
        steps = [
            f"  {a} -> {b}: {', '.join(sorted(graph[a][b]))}" for a, b in itertools.pairwise(cycle)
        ]
        problems.append(
            f"{' -> '.join(cycle)} (component: {', '.join(component)})\n" + "\n".join(steps)
        )
    assert not problems, "package import cycles:\n" + "\n".join(problems)


def test_no_file_over_500_lines() -> None:
    too_long = {}
    for path in _files():
        name = str(path.relative_to(ROOT))
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            too_long[name] = lines
    assert not too_long, f"files over {MAX_LINES} lines: {too_long}"


def test_the_checker_sees_hidden_imports_and_cycles() -> None:
    """A function-local import is an edge, a TYPE_CHECKING one is not, relative ones resolve;
    a cycle through three packages is found, a package that only points into it is not in it."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from portal_api.usage import models\n"
        "def f():\n"
        "    from portal_api.costs.prices import PriceBook\n"
        "from ..apps import service\n"
    )
    assert _imports_in(source, "portal_api.evals") == {
        "portal_api.costs.prices",
        "portal_api.costs.prices.PriceBook",
        "portal_api.apps",
        "portal_api.apps.service",
    }
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
