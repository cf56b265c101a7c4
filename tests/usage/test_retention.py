"""Hourly retention: a sync pass removes hourly rows older than the setting (whole monthly
partitions on PostgreSQL), keeps the daily rows made from them, and the newest hours."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from portal_api.config import Settings
from portal_api.db import Database, ensure_month_partitions
from portal_api.sources.prometheus import PrometheusSource
from portal_api.usage.models import UsageDaily, UsageHourly
from tests.servers.prometheus import PrometheusFactory, PromSeries
from tests.sync.helpers import sync_pass
from tests.usage.test_sync import CHAT, HOUR, MINUTE, T0

NOW = T0 + 2 * HOUR + 10 * MINUTE
OLD = (T0 - dt.timedelta(days=120)).replace(day=15)  # mid-month, four months back
LABELS = {**CHAT, "gen_ai_request_model": "gpt-4o", "gen_ai_token_type": "input"}


@pytest.fixture(scope="module")
def prom(prometheus_factory: PrometheusFactory) -> PrometheusSource:
    tokens = PromSeries(
        "gen_ai_client_token_usage_sum",
        LABELS,
        [(T0 + m * MINUTE, 10.0 * m) for m in range(121)],
    )
    return PrometheusSource(prometheus_factory.start([tokens]).url, timeout=30)


def old_usage(db: Database) -> None:
    """Hourly and daily rows of a day four months back, as an earlier sync left them."""
    common: dict[str, Any] = {"app": "chat", "namespace": "team-a", "model": "gpt-4o"}
    common |= {"output_tokens": 0, "cached_input_tokens": 0, "requests": 1, "errors": 0}
    with db.session_scope() as session:
        if session.connection().dialect.name == "postgresql":
            ensure_month_partitions(session.connection(), "usage_hourly", OLD, OLD)
        day = OLD.replace(hour=0)
        for h in range(3):
            session.add(UsageHourly(hour=day + h * HOUR, day=day, input_tokens=5, **common))
        session.add(UsageDaily(day=day, input_tokens=15, **common))


def test_sync_expires_old_hourly_rows_and_keeps_the_daily_ones(
    db: Database, prom: PrometheusSource, settings: Settings
) -> None:
    old_usage(db)
    settings = settings.model_copy(
        update={"prometheus_url": "http://unused", "backfill_days": 1, "hourly_retention_days": 30}
    )
    results = sync_pass(db, settings, NOW, prometheus=prom)
    usage = next(r for r in results if r.step == "prometheus/usage")
    assert usage.ok, usage.error
    assert usage.stats["hourly_rows_expired"] == (0 if db.dialect == "postgresql" else 3)
    assert usage.stats["hourly_partitions_dropped"] == (1 if db.dialect == "postgresql" else 0)
    with db.session() as session:
        hours = sorted(session.exec(select(UsageHourly.hour)).all())
        days = {d.day: d.input_tokens for d in session.exec(select(UsageDaily)).all()}
    assert hours == [T0, T0 + HOUR]  # the synced hours, none of the old ones
    assert days[OLD.replace(hour=0)] == 15  # the old day's total stays
    assert sum(days.values()) == 15 + 1200


def test_without_retention_hourly_rows_stay(
    db: Database, prom: PrometheusSource, settings: Settings
) -> None:
    old_usage(db)
    settings = settings.model_copy(update={"prometheus_url": "http://unused", "backfill_days": 1})
    results = sync_pass(db, settings, NOW, prometheus=prom)
    assert all(r.ok for r in results)
    with db.session() as session:
        old = session.exec(select(UsageHourly).where(UsageHourly.hour < T0)).all()
        if db.dialect == "postgresql":
            # The old rows sit in their month's partition, the synced ones in theirs.
            partitions = session.execute(
                text(
                    "SELECT count(*) FROM pg_inherits"
                    " WHERE inhparent = CAST('usage_hourly' AS regclass)"
                )
            ).scalar()
            assert (partitions or 0) >= 3  # default + two months
    assert len(old) == 3
