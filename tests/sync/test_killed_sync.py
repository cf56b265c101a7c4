"""A sync killed (SIGKILL) at random moments, then run to the end, stores exactly what one
clean sync stores: no double counting, nothing lost (per-step transactions and watermarks)."""

from __future__ import annotations

import random
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from portal_api.costs.models import CostDaily
from portal_api.db import make_engine
from portal_api.usage.models import UsageHourly
from tests.conftest import fresh_postgres_database
from tests.servers.process import CLI, env_without_portal
from tests.servers.prometheus import PrometheusFactory
from tests.usage.test_sync import otel_series

KILLS = 4


@pytest.fixture(scope="module")
def prometheus_url(prometheus_factory: PrometheusFactory) -> str:
    return prometheus_factory.start(otel_series()).url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases: one for the clean sync, one for the killed ones."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'clean.db'}", f"sqlite:///{tmp_path / 'killed.db'}"
        return
    with (
        fresh_postgres_database("portal_clean") as clean,
        fresh_postgres_database("portal_kill") as killed,
    ):
        yield clean, killed


def _env(database_url: str, prometheus_url: str) -> dict[str, str]:
    return env_without_portal(
        PORTAL_DATABASE_URL=database_url,
        PORTAL_PROMETHEUS_URL=prometheus_url,
        PORTAL_BACKFILL_DAYS="4",
        PORTAL_LEADER_ELECTION="none",
    )


def _sync(env: dict[str, str], cwd: Path) -> float:
    started = time.monotonic()
    done = subprocess.run(
        [*CLI, "sync"], env=env, cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return time.monotonic() - started


def _totals(database_url: str) -> dict[str, object]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            usage = session.exec(
                select(
                    UsageHourly.app,
                    UsageHourly.model,
                    UsageHourly.hour,
                    UsageHourly.input_tokens,
                    UsageHourly.output_tokens,
                    UsageHourly.requests,
                    UsageHourly.errors,
                ).order_by(UsageHourly.app, UsageHourly.model, UsageHourly.hour)
            ).all()
            costs = session.exec(
                select(CostDaily.app, CostDaily.model, func.count()).group_by(
                    CostDaily.app, CostDaily.model
                )
            ).all()
            cost_sum = session.exec(select(func.sum(CostDaily.cost))).one()
    finally:
        engine.dispose()
    return {
        "usage": [tuple(r) for r in usage],
        "costs": sorted(tuple(r) for r in costs),
        "cost": cost_sum,
    }


def test_sync_killed_at_random_ends_with_a_clean_syncs_totals(
    database_urls: tuple[str, str], prometheus_url: str, tmp_path: Path
) -> None:
    clean_url, killed_url = database_urls
    took = _sync(_env(clean_url, prometheus_url), tmp_path)
    clean = _totals(clean_url)
    assert clean["usage"], "the clean sync stored usage"

    rng = random.Random(20261127)
    env = _env(killed_url, prometheus_url)
    for _ in range(KILLS):
        process = subprocess.Popen(
            [*CLI, "sync"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, took))
        process.kill()  # SIGKILL: no clean-up runs
        process.wait(30)
    _sync(env, tmp_path)
    assert _totals(killed_url) == clean
