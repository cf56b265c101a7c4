"""Commands that serve the API: ``serve`` (production) and ``demo`` (the sample organisation)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from portal_api.cli.common import console, load_settings, open_database, setup_logging
from portal_api.config import Settings, get_settings


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
    from portal_api.readiness.scorecard import ScorecardError, load_scorecard

    setup_logging(verbose)
    if db_pool_size is not None:
        # Workers read their settings from the environment they inherit.
        os.environ["PORTAL_DB_POOL_SIZE"] = str(db_pool_size)
        get_settings.cache_clear()
    settings = load_settings()
    try:
        # A broken scorecard file stops start-up with the file, the line and the reason.
        load_scorecard(settings.scorecard_file)
    except ScorecardError as exc:
        console.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from None
    count = workers or settings.workers or cpu_count()
    log_level = "debug" if verbose else "info"
    if count == 1:
        from portal_api.main import create_app

        uvicorn.run(
            create_app(settings, background_sync=True),
            host=host,
            port=port,
            log_level=log_level,
            access_log=settings.access_log,
            proxy_headers=True,
        )
        return
    console.print(
        f"serving on http://{host}:{port} with {count} workers, "
        f"{settings.db_pool_size}+{settings.db_max_overflow} database connections each",
        soft_wrap=True,
    )
    # Migrations run once, here, before the workers start (not raced by each); then this
    # process becomes the small supervisor (portal_api.launch): the workers, spawned, and the
    # background sync, in a process of its own, hold the application, the supervisor does not.
    with open_database(settings.database_url, migrate=settings.auto_migrate, pool_size=1):
        pass
    options = {
        "workers": count,
        "host": host,
        "port": port,
        "log_level": log_level,
        "access_log": settings.access_log,
        "sync": settings.sync_interval_seconds > 0,
    }
    # glibc gives each thread that allocates its own arena (up to 8 per CPU): a worker's
    # threadpool would keep up to 16 of them, each holding what its reads freed. Two arenas
    # keep a loaded worker ~10 MB smaller (glibc reads this when a process starts).
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "portal_api.launch", json.dumps(options)])


def background_sync() -> None:
    """The background sync of a ``serve`` with several workers, in a process of its own (the
    workers are spawned: they do not inherit a thread); it runs until its stdin closes, i.e.
    until the supervisor that started it goes away."""
    from portal_api.main import create_app
    from portal_api.precompute import after_pass
    from portal_api.sources.bundle import Sources
    from portal_api.steps import all_steps
    from portal_api.sync.collector import BackgroundSync

    settings = load_settings()
    setup_logging(False)
    with open_database(settings.database_url, migrate=False, pool_size=2, max_overflow=2) as db:
        syncer = BackgroundSync(
            db=db,
            sources=Sources.from_settings(settings),
            settings=settings,
            steps=all_steps(),
            after=after_pass(create_app),  # the stored answers, for every worker
        )
        syncer.start()
        try:
            sys.stdin.buffer.read()  # returns at end of file: the supervisor went away
        except KeyboardInterrupt:
            pass
        finally:
            syncer.stop()


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
    from portal_api.demo import DEMO_TOKEN, seed_demo
    from portal_api.main import create_app
    from portal_api.sources.bundle import Sources

    setup_logging(False)
    if reset and database.exists():
        database.unlink()
    url = f"sqlite:///{database.resolve()}"
    with (
        open_database(url, migrate=True) as db,
        console.status("loading the demo organisation (90 days of history)"),
    ):
        org = seed_demo(db)
    console.print(
        f"demo data in [bold]{database}[/bold]: {len(org.apps)} apps, {len(org.teams)} teams"
    )
    if no_serve:
        return
    # PORTAL_API_TOKENS, when set, is what the demo accepts (e.g. a Backstage proxy's token);
    # otherwise a well-known local token, printed below.
    configured = load_settings().api_tokens
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
