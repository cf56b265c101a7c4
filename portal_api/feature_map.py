"""docs/feature-map.md, written from the code: every API route, sync step, CLI command, Backstage
extension and entity card, and scaffolder template, with the file or folder that holds it, so a
newcomer goes from a feature to its code and the page cannot drift (a test compares the
checked-in file).

python -m portal_api.feature_map docs/feature-map.md     (make docs-map)
"""

from __future__ import annotations

import inspect
import itertools
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter
from fastapi.routing import APIRoute
from typer.main import get_command

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = "backstage-plugins/plugins/genai-portal/src"
TEMPLATES = "scaffolder-templates"

HEADER = """\
# Feature map

<!-- Generated from the code by `make docs-map`; do not edit by hand (a test fails when this
     file is stale). -->

Where each feature's code is: every route of the API, every sync step, every CLI command,
every extension and entity card of the Backstage plugin and every scaffolder template, with
the file or folder that holds it. The [architecture](architecture.md) page says how the
folders depend on each other.
"""


def _file(obj: Callable[..., Any]) -> str:
    """The repository path of the module that defines ``obj``."""
    return Path(inspect.getfile(inspect.unwrap(obj))).resolve().relative_to(ROOT).as_posix()


def _code(obj: Callable[..., Any]) -> str:
    """Where ``obj`` is: its file and its name."""
    return f"`{_file(obj)}` `{inspect.unwrap(obj).__name__}`"


def _summary(obj: Any) -> str:
    """The first line of ``obj``'s docstring, or nothing."""
    doc = inspect.getdoc(obj) or ""
    return doc.split("\n\n")[0].replace("\n", " ").replace("|", "\\|")


Row = tuple[str, ...]


def _table(head: str, rows: Sequence[Row]) -> str:
    columns = head.count("|") - 1
    lines = [head, "|" + "---|" * columns]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _routes(prefix: str, routers: tuple[APIRouter, ...]) -> list[Row]:
    rows: list[Row] = []
    for router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute) or not route.include_in_schema:
                continue
            methods = " ".join(sorted((route.methods or set()) - {"HEAD"}))
            route_name = f"`{methods} {prefix}{route.path}`"
            rows.append((route_name, _summary(route.endpoint), _code(route.endpoint)))
    return rows


def commands(command: Any, path: str = "genai-portal") -> Iterator[tuple[str, Any]]:
    """Every runnable command of a (Typer-built) click command tree: its path and callback."""
    subcommands: dict[str, Any] | None = getattr(command, "commands", None)
    if subcommands is None:
        yield path, command.callback
        return
    for name, sub in subcommands.items():
        yield from commands(sub, f"{path} {name}")


def _plugin() -> list[Row]:
    """The plugin's exports (plugin.ts) and the new frontend system's (alpha/plugin.tsx) with
    the component folder each loads; an entity card says its title (its `cards.<id>` row of translation.ts)."""
    source = (ROOT / PLUGIN / "plugin.ts").read_text()
    alpha = (ROOT / PLUGIN / "alpha/plugin.tsx").read_text()
    alpha_names = {
        folder: name
        for name, folder in re.findall(
            r"^export const (\w+) = (?:(?!^export ).)*?import\('\.\./components/(\w+)'\)",
            alpha,
            re.M | re.S,
        )
    }
    texts = (ROOT / PLUGIN / "translation.ts").read_text()
    titles = dict(re.findall(r"^ {6}(\w+): \{ title: '([^']+)'", texts, re.M))
    rows: list[Row] = []
    for before, chunk in itertools.pairwise(source.split("\nexport const ")):
        folder = re.search(r"import\('\./components/(\w+)'\)", chunk)
        if folder is None:  # the plugin object itself
            continue
        card = folder[1].removesuffix("Card")
        what = titles.get(card[0].lower() + card[1:], "")
        if what:
            what = f"entity card: {what}"
        elif doc := re.search(r"/\*\* (.*?) (?:@public )?\*/\s*$", before, re.S):
            what = doc[1]
        names = f"`{chunk.split(' ', 1)[0]}`, `{alpha_names[folder[1]]}`"
        rows.append((names, what, f"`{PLUGIN}/components/{folder[1]}/`"))
    return rows


def _templates() -> list[Row]:
    rows: list[Row] = []
    for path in sorted((ROOT / TEMPLATES).glob("*/template.yaml")):
        meta = yaml.safe_load(path.read_text())["metadata"]
        folder = path.parent.relative_to(ROOT).as_posix()
        rows.append((f"`{meta['name']}`", meta["title"], f"`{folder}/`"))
    return rows


def render() -> str:
    # The composition root: this page lists what it assembles.
    from portal_api.cli import app
    from portal_api.health import router as health_router
    from portal_api.main import API_PREFIX, API_ROUTERS
    from portal_api.steps import all_steps

    steps = [(f"`{s.key}`", _code(s.run)) for s in all_steps()]
    cli = [(f"`{path}`", _summary(run), _code(run)) for path, run in commands(get_command(app))]
    routes = _routes("", (health_router,)) + _routes(API_PREFIX, API_ROUTERS)
    return "\n".join(
        [
            HEADER,
            "## API routes\n",
            "Each handler makes one call to its domain's service; the guard's handlers "
            "(`/api/v1/guard/...`) call the engine in `portal_api/security/guard/`. What each "
            "reads and writes: the domain's page, and [API](api.md).\n",
            _table("| route | what it does | code |", routes),
            "## Sync steps\n",
            "In the order one pass runs them (`portal_api/steps.py`). See "
            "[Architecture](architecture.md#the-sync-pass).\n",
            _table("| step | code |", steps),
            "## CLI commands\n",
            "See [CLI](cli.md).\n",
            _table("| command | what it does | code |", cli),
            "## Backstage plugin\n",
            "The page, the entity tab and the entity cards the plugin exports: for the legacy "
            "frontend system (`plugin.ts`), then for the new one (`alpha/plugin.tsx`, "
            "`/alpha`). See [Backstage plugin](backstage-plugin.md).\n",
            _table("| exports | what it is | code |", _plugin()),
            "## Scaffolder templates\n",
            "Each template's own skeleton, plus `scaffolder-templates/_common/skeleton`, which "
            "`make templates` copies into each as `common-skeleton`. See "
            "[Scaffolder templates](templates.md).\n",
            _table("| template | title | code |", _templates()),
        ]
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        return 2
    Path(argv[0]).write_text(render())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
