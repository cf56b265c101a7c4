"""Migrations build the schema from empty on both databases, and match the models."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import portal_api.models  # noqa: F401
from portal_api.db import alembic_config, make_engine, migrate
from tests.conftest import POSTGRES_ADMIN_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('mig') / 'm.db'}")
        yield engine
        engine.dispose()
        return
    name = f"portal_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_from_empty_match_the_models(empty_engine: Engine) -> None:
    migrate(empty_engine)
    migrate(empty_engine)  # a second run is a no-op
    with empty_engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
        heads = set(MigrationContext.configure(conn).get_current_heads())
    assert diff == [], f"models and migrations differ: {diff}"
    script = ScriptDirectory.from_config(alembic_config(empty_engine))
    assert heads == set(script.get_heads())
    tables = set(inspect(empty_engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables


def test_every_migration_downgrades(empty_engine: Engine) -> None:
    from alembic import command

    migrate(empty_engine)
    with empty_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}


def test_hourly_usage_survives_partitioning(empty_engine: Engine) -> None:
    """0810 partitions usage_hourly by month on PostgreSQL: rows and ids survive the way up
    and the way down, and new rows still get fresh ids."""
    from alembic import command

    def rows(conn: Any) -> list[tuple[Any, ...]]:
        return [
            tuple(r)
            for r in conn.execute(
                text("SELECT id, hour, app, input_tokens FROM usage_hourly ORDER BY id")
            )
        ]

    def partitioned(conn: Any) -> bool:
        if conn.dialect.name != "postgresql":
            return False
        found = conn.execute(
            text(
                "SELECT count(*) FROM pg_partitioned_table"
                " WHERE partrelid = CAST('usage_hourly' AS regclass)"
            )
        ).scalar()
        return bool(found)

    insert = text(
        "INSERT INTO usage_hourly (hour, day, app, namespace, model, input_tokens, output_tokens,"
        " cached_input_tokens, requests, errors) VALUES (:h, :d, 'chat', 'team-a', 'gpt-4o',"
        " :n, 0, 0, 1, 0)"
    )
    hours = [dt.datetime(2026, m, 3, 7, tzinfo=dt.UTC) for m in (1, 1, 2, 5)]
    with empty_engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0800")
        for n, hour in enumerate(hours):
            conn.execute(insert, {"h": hour + n * dt.timedelta(hours=1), "d": hour, "n": n})
        before = rows(conn)
    with empty_engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0810")
        assert rows(conn) == before
        assert partitioned(conn) == (conn.dialect.name == "postgresql")
        conn.execute(insert, {"h": hours[0] + dt.timedelta(days=1), "d": hours[0], "n": 9})
        after = rows(conn)
        assert after[:-1] == before
        assert after[-1][0] > before[-1][0]
    with empty_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0800")
        assert rows(conn) == after
        assert not partitioned(conn)
