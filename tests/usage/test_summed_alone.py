"""One app's rows that are alone at their time and model (one namespace) are summed in Python
instead of SQL (``usage.service._usage_sums``, ``costs.service._app_days``): the rows must be
the very values the database's sums give, floats to the bit, money to the nano-dollar; rows
that share a time and model (two namespaces) are still summed by the database."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from sqlmodel import select

from portal_api.costs import service as costs
from portal_api.costs.models import CostDaily
from portal_api.db import Database
from portal_api.usage import service as usage
from portal_api.usage.models import UsageDaily, UsageHourly

START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
DAYS = 12
MODELS = ("gpt-4o", "claude-sonnet", "llama-70b")


def _bits(rows: list[list[Any]]) -> list[list[str]]:
    """Values with their types, floats exactly (``float.hex``): 1 and 1.0, 0.1+0.2 and 0.3
    differ."""
    return [
        [v.hex() if isinstance(v, float) else f"{type(v).__name__}:{v}" for v in r] for r in rows
    ]


def _quantile(rng: random.Random) -> float | None:
    return rng.choice([None, 0.0, rng.uniform(0.01, 9.0), rng.random() / 3, 1e-7 * rng.random()])


def _fill(db: Database, app: str, namespaces: tuple[str, ...], seed: int) -> None:
    rng = random.Random(seed)
    with db.session_scope() as session:
        for d in range(DAYS):
            day = START + dt.timedelta(days=d)
            for model in MODELS:
                for namespace in namespaces:
                    tokens = rng.randrange(0, 5_000_000)
                    common = {
                        "app": app,
                        "namespace": namespace,
                        "model": model,
                        "input_tokens": tokens,
                        "output_tokens": tokens // 3,
                        "cached_input_tokens": rng.choice([0, tokens // 7]),
                    }
                    quantiles = {
                        q: _quantile(rng)
                        for q in ("latency_p50", "latency_p95", "ttft_p50", "ttft_p95")
                    }
                    requests = rng.choice([0, 1, rng.randrange(2, 90_000)])
                    session.add(
                        UsageDaily(
                            day=day, requests=requests, errors=requests // 50, **common, **quantiles
                        )
                    )
                    for h in (0, 13):
                        hour = day + dt.timedelta(hours=h)
                        session.add(
                            UsageHourly(
                                hour=hour, day=day, requests=requests // 24, **common, **quantiles
                            )
                        )
                    priced = rng.random() < 0.8
                    nano = Decimal(rng.randrange(0, 10**12)).scaleb(-9)
                    session.add(
                        CostDaily(
                            day=day,
                            **common,
                            cost=nano * 3 if priced else None,
                            input_cost=nano if priced else None,
                            cached_input_cost=Decimal(0) if priced else None,
                            output_cost=nano * 2 if priced else None,
                            gpu_cost=None,
                        )
                    )


def _both(db: Database, app: str) -> list[tuple[list[list[str]], list[list[str]]]]:
    """(Python's rows, the database's sums) of every read the fast paths replace."""
    end = START + dt.timedelta(days=DAYS)
    out = []
    with db.session_scope(read_only=True) as session:
        connection = session.connection()
        for table in (UsageDaily, UsageHourly):
            fast = usage._usage_sums(session, table, app, START, end)
            summed = usage._SUMS[table].rows(connection, app=app, first=START, last=end)
            out.append((_bits(fast), _bits(summed)))
        fast = costs._app_days(session, app, START, end)
        summed = costs._APP_DAYS.rows(connection, app=app, first=START, last=end)
        out.append((_bits(fast), _bits(summed)))
    return out


def test_rows_alone_are_summed_as_the_database_sums_them(db: Database) -> None:
    _fill(db, "solo", ("prod",), seed=1)
    for fast, summed in _both(db, "solo"):
        assert len(fast) == DAYS * len(MODELS) or len(fast) == 2 * DAYS * len(MODELS)
        assert fast == summed


def test_negative_zeros_are_summed_by_the_database(db: Database) -> None:
    """SQLite's SUM of one -0.0 is 0.0 (PostgreSQL's is -0.0): a row whose quantile is negative
    (or -0.0) leaves the sums to the database."""
    _fill(db, "zeros", ("prod",), seed=3)
    with db.session_scope() as session:
        row = session.exec(select(UsageDaily).where(UsageDaily.app == "zeros")).first()
        assert row is not None
        row.latency_p50, row.ttft_p95, row.requests = -0.0, -0.25, 0
        session.add(row)
    for fast, summed in _both(db, "zeros"):
        assert fast == summed


def test_rows_of_two_namespaces_are_summed_by_the_database(db: Database) -> None:
    _fill(db, "split", ("prod", "canary"), seed=2)
    with db.session_scope(read_only=True) as session:
        stored = usage._ROWS[UsageDaily].rows(
            session.connection(), app="split", first=START, last=START + dt.timedelta(days=DAYS)
        )
    alone = usage._summed_alone(stored)
    assert alone is None  # two rows per day and model: not summed here
    for fast, summed in _both(db, "split"):
        assert fast == summed
