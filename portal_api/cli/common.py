"""What every command shares: the console, logging, settings and `open_database()`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from portal_api.config import Settings, get_settings

if TYPE_CHECKING:
    from portal_api.db import Database

console = Console(stderr=True)


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def load_settings() -> Settings:
    """The settings, or exit 2 with the reason when the environment is invalid."""
    try:
        return get_settings()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        console.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from None


@contextmanager
def open_database(
    url: str, *, migrate: bool, pool_size: int = 10, max_overflow: int = 10
) -> Iterator[Database]:
    """The database at ``url``, migrated first when ``migrate``; its engine is disposed when
    the block ends (the one place a command builds an engine)."""
    from portal_api.db import Database, make_engine
    from portal_api.db import migrate as run_migrations

    engine = make_engine(url, pool_size=pool_size, max_overflow=max_overflow)
    try:
        if migrate:
            run_migrations(engine)
        yield Database(engine)
    finally:
        engine.dispose()
