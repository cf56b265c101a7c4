"""``sync``: one pass of every configured source, with progress on the terminal."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from portal_api.cli.common import console, load_settings, open_database, setup_logging


def sync(
    source: Annotated[
        list[str] | None, typer.Option(help="Only this source (repeatable): kubernetes, ...")
    ] = None,
    output_json: Annotated[bool, typer.Option("--json", help="Print results as JSON")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Run one pass of every configured source, then exit (non-zero if a step failed)."""
    from portal_api.main import create_app
    from portal_api.precompute import after_pass
    from portal_api.sources.bundle import Sources
    from portal_api.steps import all_steps
    from portal_api.sync.collector import StepResult, SyncStep, run_sync

    setup_logging(verbose)
    settings = load_settings()
    results: list[StepResult] = []
    with open_database(settings.database_url, migrate=settings.auto_migrate) as db:
        sources = Sources.from_settings(settings)
        try:
            with Progress(
                SpinnerColumn(),
                TextColumn("[bold]{task.fields[step]}[/bold] {task.description}"),
                BarColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
                disable=output_json,
            ) as progress:
                task = progress.add_task("starting", total=None, step="sync")

                def on_progress(message: str, done: int, total: int) -> None:
                    progress.update(task, description=message, completed=done, total=total or None)

                def on_step(step: SyncStep, result: StepResult) -> None:
                    progress.update(task, step=step.key, description="", completed=0, total=None)
                    if output_json:
                        return
                    if result.skipped:
                        console.print(f"  [dim]- {step.key}: source not configured[/dim]")
                    elif result.ok:
                        console.print(f"  [green]✓[/green] {step.key} ({result.seconds:.2f}s)")
                    else:
                        console.print(f"  [red]✗ {step.key}[/red]: {result.error}")

                results = run_sync(
                    db=db,
                    sources=sources,
                    settings=settings,
                    steps=all_steps(),
                    only=set(source) if source else None,
                    progress=on_progress,
                    on_step=on_step,
                    after=after_pass(create_app),
                )
        finally:
            sources.close()
    if output_json:
        typer.echo(json.dumps([r.__dict__ for r in results], default=str, indent=2))
    if any(not r.ok for r in results):
        raise typer.Exit(1)
