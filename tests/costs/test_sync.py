"""Pricing the synced usage: genai-prices, overrides, GPU-hours, unpriced models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from portal_api.config import Settings
from portal_api.costs.models import CostDaily
from portal_api.db import Database
from portal_api.sources.prometheus import PrometheusSource
from tests.conftest import bearer
from tests.servers.prometheus import PrometheusFactory
from tests.usage.test_sync import HOUR, NOW, T0, otel_series, sync

# List prices of gpt-4o (USD per million tokens), written down here rather than read from
# genai-prices, so the test checks the lookup instead of repeating it.
GPT4O_INPUT, GPT4O_OUTPUT = Decimal("2.50"), Decimal("10.00")
MILLION = Decimal(1_000_000)


@pytest.fixture(scope="module")
def prom(prometheus_factory: PrometheusFactory) -> PrometheusSource:
    return PrometheusSource(prometheus_factory.start(otel_series()).url, timeout=10)


def costs(db: Database) -> dict[tuple[str, str], list[CostDaily]]:
    out: dict[tuple[str, str], list[CostDaily]] = {}
    with db.session() as session:
        for row in session.exec(select(CostDaily)).all():
            out.setdefault((row.app, row.model), []).append(row)
    return out


def total(rows: list[CostDaily]) -> Decimal:
    return sum((r.cost for r in rows if r.cost is not None), Decimal(0))


def test_list_prices_and_unpriced_models(
    db: Database, prom: PrometheusSource, prom_settings: Settings
) -> None:
    sync(db, prom, prom_settings)
    got = costs(db)
    expected = (1800 * GPT4O_INPUT + 720 * GPT4O_OUTPUT) / MILLION
    assert total(got[("chat", "gpt-4o")]) == expected
    assert {r.price_source for r in got[("chat", "gpt-4o")]} == {"genai-prices"}
    # Nobody knows this model's price: its tokens are kept, its cost is not 0 but unknown.
    mystery = got[("late", "mystery-model")]
    assert all(r.cost is None and r.price_source == "unpriced" for r in mystery)
    assert sum(r.input_tokens for r in mystery) == 525
    # Without an override, the self-hosted model is unpriced too.
    assert all(r.cost is None for r in got[("chat", "llama-3.1-8b-instruct")])


def test_overrides_discounts_and_gpu_hours(
    db: Database, prom: PrometheusSource, prom_settings: Settings, tmp_path: Path
) -> None:
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "models:\n"
        '  mystery-model: {input: "1.00", output: "4.00"}\n'
        "discounts:\n"
        "  openai: 10\n"
        "self_hosted:\n"
        '  llama-3.1-8b-instruct: {gpu_hour: "2.40", serving_app: llama-serve}\n'
    )
    sync(db, prom, prom_settings.model_copy(update={"prices_file": prices}))
    got = costs(db)
    list_price = (1800 * GPT4O_INPUT + 720 * GPT4O_OUTPUT) / MILLION
    assert total(got[("chat", "gpt-4o")]) == list_price * Decimal("0.9")
    assert total(got[("late", "mystery-model")]) == 525 * Decimal("1.00") / MILLION
    assert {r.price_source for r in got[("late", "mystery-model")]} == {"override"}
    # The serving pods request 2 GPUs for 3 hours; chat is the only user of the model.
    llama = got[("chat", "llama-3.1-8b-instruct")]
    assert sum(r.gpu_hours for r in llama) == pytest.approx(6.0)
    assert total(llama) == Decimal("14.40")
    assert {r.price_source for r in llama} == {"gpu"}


def test_resync_keeps_costs(db: Database, prom: PrometheusSource, prom_settings: Settings) -> None:
    sync(db, prom, prom_settings)
    sync(db, prom, prom_settings, now=NOW + HOUR)
    expected = (1800 * GPT4O_INPUT + 720 * GPT4O_OUTPUT) / MILLION
    assert total(costs(db)[("chat", "gpt-4o")]) == expected


def test_app_costs_endpoint(
    db: Database, prom: PrometheusSource, prom_settings: Settings, client: TestClient
) -> None:
    sync(db, prom, prom_settings)
    params = {"from": (T0 - 24 * HOUR).isoformat(), "to": (T0 + 48 * HOUR).isoformat()}
    body = client.get("/api/v1/apps/chat/costs", params=params, headers=bearer("read")).json()
    assert (
        Decimal(body["by_model"]["gpt-4o"]) == (1800 * GPT4O_INPUT + 720 * GPT4O_OUTPUT) / MILLION
    )
    assert "llama-3.1-8b-instruct" not in body["by_model"]
    assert {u["model"] for u in body["unpriced"]} == {"llama-3.1-8b-instruct"}
    # Synced "two days ago" (the test's clock): the data is marked stale, but has no error.
    assert dt.datetime.fromisoformat(body["freshness"]["as_of"]) == NOW
    assert body["freshness"]["last_error"] is None
    late = client.get("/api/v1/apps/late/costs", params=params, headers=bearer("read")).json()
    assert Decimal(late["total"]) == 0
    assert late["unpriced"] == [
        {
            "app": "late",
            "model": "mystery-model",
            "input_tokens": 525,
            "output_tokens": 0,
            "cached_input_tokens": 0,
        }
    ]


def test_bad_prices_file_fails_the_step_clearly(
    db: Database, prom: PrometheusSource, prom_settings: Settings, tmp_path: Path
) -> None:
    from tests.sync.helpers import sync_pass

    prices = tmp_path / "prices.yaml"
    prices.write_text("discounts:\n  openai: 150\n")
    results = sync_pass(
        db, prom_settings.model_copy(update={"prices_file": prices}), NOW, prometheus=prom
    )
    by_step = {r.step: r for r in results}
    assert by_step["prometheus/usage"].ok
    assert not by_step["prometheus/costs"].ok
    assert "0..100 percent" in (by_step["prometheus/costs"].error or "")
