"""The ``genai-portal`` command: the commands live in modules grouped by what they do
(serve, sync, data, report, templates); this module assembles them in their help order."""

from __future__ import annotations

import typer

from portal_api import __version__
from portal_api.cli.data import eval_ingest, eval_run, migrate
from portal_api.cli.report import report_app
from portal_api.cli.serve import demo, serve
from portal_api.cli.sync import sync
from portal_api.cli.templates import new, promote

app = typer.Typer(
    name="genai-portal",
    help="GenAI Portal: usage, costs, prompts, evaluations and security findings per GenAI app.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


app.command()(migrate)
app.command()(serve)
app.command()(sync)
app.command()(demo)

eval_app = typer.Typer(
    help="Evaluate prompt versions: run datasets through the model endpoint, ingest results.",
    no_args_is_help=True,
)
eval_app.command("run")(eval_run)
eval_app.command("ingest")(eval_ingest)
app.add_typer(eval_app, name="eval")

app.command()(new)
app.command()(promote)
app.add_typer(report_app, name="report")

__all__ = ["app"]
