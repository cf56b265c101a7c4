"""Migrations build the schema from empty on both databases, and match the models."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal
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


def test_report_rollups_filled_from_stored_rows(empty_engine: Engine) -> None:
    """0850 fills the monthly requests and the org's daily priced cost from the rows already
    stored: the same rows the usage and costs steps write from then on."""
    from alembic import command
    from sqlalchemy import insert, select
    from sqlmodel import Session

    from portal_api.costs.models import CostDaily, CostDailyTotal
    from portal_api.costs.pricing import refresh_aggregates
    from portal_api.usage.models import UsageDaily, UsageMonthly
    from portal_api.usage.service import rebuild_monthly

    jan, feb = dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    day = dt.timedelta(days=1)
    key = {"app": "chat", "namespace": "team-a", "input_tokens": 10}
    usage = [
        {**key, "day": jan + 2 * day, "model": "gpt-4o", "requests": 2},
        {**key, "day": jan + 30 * day, "model": "gpt-4o", "requests": 3},
        {**key, "day": feb, "model": "gpt-4o", "requests": 5},
        {**key, "day": jan + 2 * day, "model": "in-house", "requests": 7},
    ]
    costs = [
        {**key, "day": jan + 2 * day, "model": "gpt-4o", "cost": Decimal("1.5")},
        {**key, "day": jan + 2 * day, "model": "in-house", "cost": None},
        {**key, "day": jan + 3 * day, "model": "in-house", "cost": None},
        {**key, "day": feb, "model": "gpt-4o", "cost": Decimal("0.25")},
    ]

    def stored(conn: Any) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
        m = UsageMonthly
        monthly = conn.execute(select(m.month, m.app, m.model, m.requests)).all()  # type: ignore[call-overload]
        daily = conn.execute(select(CostDailyTotal.day, CostDailyTotal.cost)).all()  # type: ignore[call-overload]
        return {tuple(r) for r in monthly}, {tuple(r) for r in daily}

    with empty_engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0840")
        conn.execute(insert(UsageDaily.__table__), usage)  # type: ignore[attr-defined]
        conn.execute(insert(CostDaily.__table__), costs)  # type: ignore[attr-defined]
    with empty_engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0850")
        filled = stored(conn)
    assert filled == (
        {(jan, "chat", "gpt-4o", 5), (jan, "chat", "in-house", 7), (feb, "chat", "gpt-4o", 5)},
        {(jan + 2 * day, Decimal("1.5")), (feb, Decimal("0.25"))},
    )
    with Session(empty_engine) as session:
        rebuild_monthly(session=session, start=jan, end=feb + day)
        refresh_aggregates(session=session, start=jan, end=feb + day)
        session.commit()
    with empty_engine.connect() as conn:
        assert stored(conn) == filled
