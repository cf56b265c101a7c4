"""The ``genai-portal`` command."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from portal_api import __version__
from portal_api.config import Settings, get_settings

app = typer.Typer(
    name="genai-portal",
    help="GenAI Portal: usage, costs, prompts, evaluations and security findings per GenAI app.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _settings() -> Settings:
    try:
        return get_settings()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        console.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from None


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


@app.command()
def migrate() -> None:
    """Apply database migrations (serve also does this on start-up)."""
    from portal_api.db import make_engine
    from portal_api.db import migrate as run_migrations

    settings = _settings()
    engine = make_engine(settings.database_url)
    run_migrations(engine)
    engine.dispose()
    console.print("database is up to date")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Worker processes [env PORTAL_WORKERS; default: CPUs]"),
    ] = None,
    db_pool_size: Annotated[
        int | None,
        typer.Option(min=1, max=100, help="Pool per worker [env PORTAL_DB_POOL_SIZE; default 8]"),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Serve the API with production settings (one worker per CPU, a pool per worker), and
    sync every PORTAL_SYNC_INTERVAL_SECONDS in the background."""
    import os

    import uvicorn

    from portal_api.config import cpu_count
    from portal_api.main import create_app
    from portal_api.readiness.scorecard import ScorecardError, load_scorecard

    _logging(verbose)
    if db_pool_size is not None:
        # Workers read their settings from the environment they inherit.
        os.environ["PORTAL_DB_POOL_SIZE"] = str(db_pool_size)
        get_settings.cache_clear()
    settings = _settings()
    try:
        # A broken scorecard file stops start-up with the file, the line and the reason.
        load_scorecard(settings.scorecard_file)
    except ScorecardError as exc:
        console.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from None
    count = workers or settings.workers or cpu_count()
    log_level = "debug" if verbose else "info"
    if count == 1:
        uvicorn.run(
            create_app(settings, background_sync=True),
            host=host,
            port=port,
            log_level=log_level,
            proxy_headers=True,
        )
        return
    console.print(
        f"serving on http://{host}:{port} with {count} workers, "
        f"{settings.db_pool_size}+{settings.db_max_overflow} database connections each",
        soft_wrap=True,
    )
    syncer = _supervisor_sync(settings)
    try:
        uvicorn.run(
            "portal_api.main:serve_app",
            factory=True,
            workers=count,
            host=host,
            port=port,
            log_level=log_level,
            proxy_headers=True,
        )
    finally:
        if syncer is not None:
            syncer.stop()


def _supervisor_sync(settings: Settings) -> Any:
    """With several workers, migrations run once before they start (not raced by each), and the
    background sync runs once, in the supervising process (workers are spawned, so they do not
    inherit its thread)."""
    from portal_api.db import Database, make_engine
    from portal_api.db import migrate as run_migrations
    from portal_api.sources.bundle import Sources
    from portal_api.sync.collector import BackgroundSync

    engine = make_engine(settings.database_url, pool_size=2, max_overflow=2)
    if settings.auto_migrate:
        run_migrations(engine)
    if settings.sync_interval_seconds <= 0:
        engine.dispose()
        return None
    syncer = BackgroundSync(
        db=Database(engine), sources=Sources.from_settings(settings), settings=settings
    )
    syncer.start()
    return syncer


@app.command()
def sync(
    source: Annotated[
        list[str] | None, typer.Option(help="Only this source (repeatable): kubernetes, ...")
    ] = None,
    output_json: Annotated[bool, typer.Option("--json", help="Print results as JSON")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Run one pass of every configured source, then exit (non-zero if a step failed)."""
    from portal_api.db import Database, make_engine
    from portal_api.db import migrate as run_migrations
    from portal_api.sources.bundle import Sources
    from portal_api.sync.collector import StepResult, SyncStep, run_sync

    _logging(verbose)
    settings = _settings()
    engine = make_engine(settings.database_url)
    if settings.auto_migrate:
        run_migrations(engine)
    sources = Sources.from_settings(settings)
    results: list[StepResult] = []
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
                db=Database(engine),
                sources=sources,
                settings=settings,
                only=set(source) if source else None,
                progress=on_progress,
                on_step=on_step,
            )
    finally:
        sources.close()
        engine.dispose()
    if output_json:
        typer.echo(json.dumps([r.__dict__ for r in results], default=str, indent=2))
    if any(not r.ok for r in results):
        raise typer.Exit(1)


@app.command()
def demo(
    database: Annotated[
        Path, typer.Option(help="SQLite file of the demo (created or reused)")
    ] = Path("genai-portal-demo.db"),
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    reset: Annotated[bool, typer.Option(help="Start from an empty demo database")] = False,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Only create the demo data, then exit")
    ] = False,
) -> None:
    """Load the sample organisation into a local SQLite database and serve the API on it."""
    import uvicorn

    from portal_api.config import ApiToken
    from portal_api.db import Database, make_engine
    from portal_api.db import migrate as run_migrations
    from portal_api.demo import DEMO_TOKEN, seed_demo
    from portal_api.main import create_app
    from portal_api.sources.bundle import Sources

    _logging(False)
    if reset and database.exists():
        database.unlink()
    url = f"sqlite:///{database.resolve()}"
    engine = make_engine(url)
    run_migrations(engine)
    with console.status("loading the demo organisation (90 days of history)"):
        org = seed_demo(Database(engine))
    engine.dispose()
    console.print(
        f"demo data in [bold]{database}[/bold]: {len(org.apps)} apps, {len(org.teams)} teams"
    )
    if no_serve:
        return
    # PORTAL_API_TOKENS, when set, is what the demo accepts (e.g. a Backstage proxy's token);
    # otherwise a well-known local token, printed below.
    configured = _settings().api_tokens
    tokens = configured or [
        ApiToken(name="demo", token=DEMO_TOKEN, scopes=["read", "ingest", "admin"])
    ]
    settings = Settings(database_url=url, api_tokens=tokens, sync_interval_seconds=0)
    console.print(f"API on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    if configured:
        names = ", ".join(f"{t.name} ({'/'.join(t.scopes)})" for t in configured)
        console.print(f"tokens from PORTAL_API_TOKENS: {names}")
    else:
        console.print(
            f"demo token (admin, local use only): [bold]{DEMO_TOKEN}[/bold]\n"
            f"  curl -H 'Authorization: Bearer {DEMO_TOKEN}' http://{host}:{port}/api/v1/apps"
        )
    uvicorn.run(create_app(settings, sources=Sources()), host=host, port=port, log_level="info")


eval_app = typer.Typer(
    help="Evaluate prompt versions: run datasets through the model endpoint, ingest results.",
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")


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


@eval_app.command("run")
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

    from portal_api.db import Database, make_engine
    from portal_api.db import migrate as run_migrations
    from portal_api.errors import PortalError
    from portal_api.evals.models import EvalRunRequest
    from portal_api.evals.service import load_price_book, run_eval
    from portal_api.sources.openai import OpenAISource

    _logging(False)
    settings = _settings()
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
    engine = make_engine(settings.database_url)
    if settings.auto_migrate:
        run_migrations(engine)
    llm = OpenAISource.from_settings(settings)
    try:
        with Database(engine).session_scope() as session:
            run = run_eval(
                session=session,
                app=app_name,
                request=request,
                llm=llm,
                concurrency=settings.eval_concurrency,
                margin=settings.eval_regression_margin if margin is None else margin,
                book=load_price_book(settings.prices_file),
            )
    except PortalError as exc:
        console.print(f"[red]{exc.kind}:[/red] {exc.message}")
        raise typer.Exit(1) from None
    finally:
        if llm is not None:
            llm.close()
        engine.dispose()
    body = run.model_dump(mode="json")
    if output_json:
        typer.echo(json.dumps(body, indent=2))
    else:
        _print_run(body)
    if fail_on_regression and run.regression:
        raise typer.Exit(3)


@eval_app.command("ingest")
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
    from portal_api.db import Database, make_engine
    from portal_api.db import migrate as run_migrations
    from portal_api.errors import PortalError
    from portal_api.evals.service import ingest_run, load_price_book

    _logging(False)
    settings = _settings()
    engine = make_engine(settings.database_url)
    if settings.auto_migrate:
        run_migrations(engine)
    try:
        with Database(engine).session_scope() as session:
            run, created = ingest_run(
                session=session,
                app=app_name,
                raw=results.read_bytes(),
                margin=settings.eval_regression_margin if margin is None else margin,
                prompt=prompt,
                version=version,
                dataset=dataset_name,
                book=load_price_book(settings.prices_file),
            )
    except PortalError as exc:
        console.print(f"[red]{exc.kind}:[/red] {exc.message}")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    body = run.model_dump(mode="json")
    if output_json:
        typer.echo(json.dumps(body, indent=2))
    else:
        if not created:
            console.print(f"already stored as run {run.id} (a replay stores nothing new)")
        _print_run(body)


def _answers(
    name: str,
    owner: str | None,
    description: str | None,
    system: str | None,
    model: str | None,
    namespace: str | None,
    repo: str | None,
) -> dict[str, Any]:
    """The template answers given on the command line (the template's defaults fill the rest)."""
    given = {
        "component_id": name,
        "owner": owner,
        "description": description,
        "system": system,
        "model": model,
        "namespace": namespace,
        "repo_slug": repo,
    }
    return {k: v for k, v in given.items() if v is not None}


@app.command()
def new(
    template: Annotated[str, typer.Argument(help="genai-service, gradio-app or rag-service")],
    name: Annotated[str, typer.Option(help="Component name (lowercase, digits, dashes)")],
    owner: Annotated[str | None, typer.Option(help="Owning team (a Backstage Group)")] = None,
    description: Annotated[str | None, typer.Option(help="One sentence")] = None,
    system: Annotated[str | None, typer.Option(help="Backstage System")] = None,
    model: Annotated[str | None, typer.Option(help="Model endpoint the service calls")] = None,
    namespace: Annotated[str | None, typer.Option(help="Kubernetes namespace")] = None,
    serverless: Annotated[
        bool, typer.Option(help="Knative Service overlay instead of a Deployment")
    ] = False,
    repo: Annotated[str | None, typer.Option(help="GitHub owner/name of the new repo")] = None,
    output_dir: Annotated[Path, typer.Option(help="Where the project folder is created")] = Path(
        "."
    ),
    template_dir: Annotated[
        Path | None, typer.Option(help="Templates folder (default: the portal's own)")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing project folder")] = False,
) -> None:
    """Create a GenAI service from a scaffolder template, without Backstage."""
    from portal_api.errors import InvalidInputError
    from portal_api.scaffolder import TEMPLATES_DIR, render

    given = _answers(name, owner, description, system, model, namespace, repo)
    try:
        project = render(
            template=template,
            answers={**given, "serverless": serverless},
            output_dir=output_dir,
            template_dir=template_dir or TEMPLATES_DIR,
            overwrite=force,
        )
    except InvalidInputError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from None
    console.print(f"created [bold]{project}[/bold] from {template}; next: see its README.md")


@app.command()
def promote(
    notebook: Annotated[
        Path, typer.Argument(help="The notebook (cells tagged setup, prompt, assistant, examples)")
    ],
    template: Annotated[str, typer.Option(help="gradio-app, genai-service or rag-service")],
    name: Annotated[str, typer.Option(help="Component name (lowercase, digits, dashes)")],
    owner: Annotated[str | None, typer.Option(help="Owning team (a Backstage Group)")] = None,
    description: Annotated[str | None, typer.Option(help="One sentence")] = None,
    system: Annotated[str | None, typer.Option(help="Backstage System")] = None,
    model: Annotated[
        str | None, typer.Option(help="Model endpoint (default: the prompt cell's MODEL)")
    ] = None,
    namespace: Annotated[str | None, typer.Option(help="Kubernetes namespace")] = None,
    repo: Annotated[str | None, typer.Option(help="GitHub owner/name of the new repo")] = None,
    output_dir: Annotated[Path, typer.Option(help="Where the project folder is created")] = Path(
        "."
    ),
    force: Annotated[bool, typer.Option(help="Replace an existing project folder")] = False,
) -> None:
    """Turn a notebook into a service: its assistant, prompts and examples, guarded and measured."""
    from portal_api.errors import InvalidInputError
    from portal_api.notebooks.promote import promote as run_promote

    try:
        project = run_promote(
            notebook=notebook,
            template=template,
            answers=_answers(name, owner, description, system, model, namespace, repo),
            output_dir=output_dir,
            overwrite=force,
        )
    except InvalidInputError as exc:
        console.print(f"[red]error:[/red] {exc.message}", highlight=False)
        raise typer.Exit(2) from None
    console.print(f"promoted {notebook} to [bold]{project}[/bold] ({template}); see its README.md")


report_app = typer.Typer(help="Reports for managers.", no_args_is_help=True)
app.add_typer(report_app, name="report")


@report_app.command("costs")
def report_costs(
    month: Annotated[str, typer.Option(help="Month, YYYY-MM (default: the current month)")] = "",
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="json, csv or html")
    ] = "html",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout)")
    ] = None,
) -> None:
    """Write the monthly cost report (the same as GET /api/v1/reports/costs)."""
    from portal_api.costs.report import cost_report, render
    from portal_api.db import Database, make_engine, utcnow
    from portal_api.db import migrate as run_migrations
    from portal_api.errors import PortalError
    from portal_api.sync.service import freshness, stale_after

    if output_format not in ("json", "csv", "html"):
        console.print(f"[red]--format must be json, csv or html, not {output_format!r}[/red]")
        raise typer.Exit(2)
    settings = _settings()
    engine = make_engine(settings.database_url)
    if settings.auto_migrate:
        run_migrations(engine)
    now = utcnow()
    try:
        with Database(engine).session() as session:
            report = cost_report(
                session=session,
                month=month or now.strftime("%Y-%m"),
                now=now,
                thresholds=settings.budget_thresholds,
                freshness=freshness(
                    session=session,
                    source="prometheus",
                    now=now,
                    stale_after=stale_after(settings.sync_interval_seconds),
                    configured=bool(settings.prometheus_url),
                ),
            )
    except PortalError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    text = render(report, output_format)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text)
        console.print(f"cost report for {report.month} written to {output}")


if __name__ == "__main__":
    app()
