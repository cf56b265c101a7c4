"""Commands that write the portal's database directly: ``migrate`` and ``eval run|ingest``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from portal_api.cli.common import console, load_settings, open_database, setup_logging


def migrate() -> None:
    """Apply database migrations (serve also does this on start-up)."""
    with open_database(load_settings().database_url, migrate=True):
        pass
    console.print("database is up to date")


def _scorer(spec: str, judge_model: str | None, rubric: Path | None) -> dict[str, object]:
    """``exact``, ``exact:i``, ``contains[:text]``, ``regex:PATTERN``, ``json[:schema.json]``, ``judge``."""
    kind, _, arg = spec.partition(":")
    if kind in ("exact", "contains") and arg == "i":
        return {"type": kind, "ignore_case": True}
    if kind == "exact":
        return {"type": "exact"}
    if kind == "contains":
        return {"type": "contains", "value": arg or None}
    if kind == "regex":
        return {"type": "regex", "pattern": arg}
    if kind == "json":
        if not arg:
            return {"type": "json"}
        return {"type": "json", "schema": json.loads(Path(arg).read_text())}
    if kind == "judge":
        text = rubric.read_text() if rubric else arg
        return {"type": "judge", "rubric": text, "model": judge_model}
    raise typer.BadParameter(f"unknown scorer {spec!r}", param_hint="--scorer")


def _print_run(run: dict[str, object]) -> None:
    table = Table(title=f"eval run {run['id']}: {run['app']} / {run['prompt']} v{run['version']}")
    table.add_column("field")
    table.add_column("value")
    scores = run["scores"] if isinstance(run["scores"], dict) else {}
    for key in ("dataset", "model", "cases", "passed", "errors", "aggregate_score"):
        table.add_row(key, str(run[key]))
    for name, value in scores.items():
        table.add_row(f"score: {name}", f"{value:.3f}")
    table.add_row("tokens in / out", f"{run['input_tokens']} / {run['output_tokens']}")
    table.add_row("cost (USD)", str(run["cost"]) if run["cost"] is not None else "unknown")
    flag = "[red]REGRESSION[/red]" if run["regression"] else "no"
    table.add_row("regression", f"{flag} (baseline {run['baseline_score']})")
    console.print(table)


def eval_run(
    app_name: Annotated[str, typer.Option("--app", help="App (Component) name")],
    prompt: Annotated[str, typer.Option(help="Prompt name")],
    dataset: Annotated[
        Path, typer.Option(exists=True, dir_okay=False, help="JSONL of {vars, expected}")
    ],
    scorer: Annotated[
        list[str],
        typer.Option(
            help="exact, contains[:text], regex:PATTERN, json[:schema.json], judge (repeatable)"
        ),
    ],
    version: Annotated[int | None, typer.Option(help="Version number (default: latest)")] = None,
    dataset_name: Annotated[
        str | None, typer.Option(help="Dataset name (default: the file name)")
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model (default: the version's)")] = None,
    judge_model: Annotated[str | None, typer.Option(help="Model of judge scorers")] = None,
    rubric: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Rubric file of the judge")
    ] = None,
    concurrency: Annotated[int | None, typer.Option(min=1, max=64)] = None,
    margin: Annotated[float | None, typer.Option(min=0.0, max=1.0)] = None,
    fail_on_regression: Annotated[
        bool, typer.Option("--fail-on-regression", help="Exit 3 when the run is flagged")
    ] = False,
    output_json: Annotated[bool, typer.Option("--json", help="Print the run as JSON")] = False,
) -> None:
    """Run a dataset through a prompt version on PORTAL_OPENAI_BASE_URL and store the scores."""
    from pydantic import ValidationError

    from portal_api.errors import PortalError
    from portal_api.evals.models import EvalRunRequest
    from portal_api.evals.runner import run_eval
    from portal_api.evals.store import Judging
    from portal_api.sources.openai import OpenAISource

    setup_logging(False)
    settings = load_settings()
    try:
        request = EvalRunRequest.model_validate(
            {
                "prompt": {"name": prompt, "version": version},
                "dataset": dataset_name or dataset.stem,
                "cases": dataset.read_text(),
                "scorers": [_scorer(s, judge_model, rubric) for s in scorer],
                "model": model,
                "concurrency": concurrency,
            }
        )
    except (ValidationError, ValueError, OSError) as exc:
        console.print(f"[red]invalid input:[/red] {exc}")
        raise typer.Exit(2) from None
    with open_database(settings.database_url, migrate=settings.auto_migrate) as db:
        llm = OpenAISource.from_settings(settings)
        try:
            with db.session_scope() as session:
                run = run_eval(
                    session=session,
                    app=app_name,
                    request=request,
                    llm=llm,
                    concurrency=settings.eval_concurrency,
                    judging=Judging.from_settings(settings, margin),
                )
        except PortalError as exc:
            console.print(f"[red]{exc.kind}:[/red] {exc.message}")
            raise typer.Exit(1) from None
        finally:
            if llm is not None:
                llm.close()
    body = run.model_dump(mode="json")
    if output_json:
        typer.echo(json.dumps(body, indent=2))
    else:
        _print_run(body)
    if fail_on_regression and run.regression:
        raise typer.Exit(3)


def eval_ingest(
    app_name: Annotated[str, typer.Option("--app", help="App (Component) name")],
    results: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Portal JSON or promptfoo file")
    ],
    prompt: Annotated[str | None, typer.Option(help="Prompt name (promptfoo files)")] = None,
    version: Annotated[int | None, typer.Option(help="Version number (promptfoo files)")] = None,
    dataset_name: Annotated[str | None, typer.Option(help="Dataset name (promptfoo)")] = None,
    margin: Annotated[float | None, typer.Option(min=0.0, max=1.0)] = None,
    output_json: Annotated[bool, typer.Option("--json", help="Print the run as JSON")] = False,
) -> None:
    """Store an evaluation run from a file (the portal's JSON or promptfoo's results.json)."""
    from portal_api.errors import PortalError
    from portal_api.evals.ingest import IngestQuery, ingest_run
    from portal_api.evals.store import Judging

    setup_logging(False)
    settings = load_settings()
    with open_database(settings.database_url, migrate=settings.auto_migrate) as db:
        try:
            with db.session_scope() as session:
                run, created = ingest_run(
                    session=session,
                    app=app_name,
                    raw=results.read_bytes(),
                    query=IngestQuery(
                        prompt=prompt, version=version, hash=None, dataset=dataset_name
                    ),
                    judging=Judging.from_settings(settings, margin),
                )
        except PortalError as exc:
            console.print(f"[red]{exc.kind}:[/red] {exc.message}")
            raise typer.Exit(1) from None
    body = run.model_dump(mode="json")
    if output_json:
        typer.echo(json.dumps(body, indent=2))
    else:
        if not created:
            console.print(f"already stored as run {run.id} (a replay stores nothing new)")
        _print_run(body)
