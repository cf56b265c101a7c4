"""The usage reader behind per-version prompt usage: hourly rollups of the hours a version ran,
priced at the price of their day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from genai_prices import Usage, calc_price
from sqlmodel import Session

from portal_api.config import Settings
from portal_api.costs.pricing import UsagePricer
from portal_api.db import Database
from portal_api.kit.timeutil import floor_day
from portal_api.prices.book import PriceBook, PriceOverrides, SelfHosted
from portal_api.prompts.usage import version_usage
from portal_api.usage.models import UsageHourly
from portal_api.usage.reader import RollupUsageReader, WindowUsage
from tests.conftest import bearer
from tests.factories import deployed_answer, make_app

T0 = dt.datetime(2026, 10, 31, 22, tzinfo=dt.UTC)  # the window crosses midnight
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


@pytest.fixture
def prices_file(tmp_path: Path) -> Path:
    path = tmp_path / "prices.yaml"
    path.write_text('models:\n  inhouse-ft: {input: "3.00", output: "12.00"}\n')
    return path


@pytest.fixture
def settings(settings: Settings, prices_file: Path) -> Settings:
    return settings.model_copy(update={"prices_file": prices_file})


def hour_row(hour: int, **values: Any) -> UsageHourly:
    at = T0 + hour * H
    fields: dict[str, Any] = {
        "app": "chat",
        "namespace": "support",
        "model": "gpt-4o",
        "provider": "openai",
        "requests": 10,
        "input_tokens": 1_000,
        "output_tokens": 200,
        "cached_input_tokens": 0,
    }
    fields.update(values)
    return UsageHourly(hour=at, day=floor_day(at), **fields)


def read(
    db: Database, app_id: int, model: str | None, *, hours: int, price: UsagePricer | None = None
) -> WindowUsage | None:
    """The reader's totals of the ``hours`` from T0 (priced with genai-prices unless ``price``)."""
    reader = RollupUsageReader(price=price or UsagePricer(book=PriceBook()))
    with db.session() as session:
        return reader.totals(
            session=session, app_id=app_id, model=model, start=T0, end=T0 + hours * H
        )


def list_price(row: UsageHourly) -> Decimal:
    """The row's cost straight from genai-prices at the row's hour."""
    usage = Usage(
        input_tokens=row.input_tokens,
        cache_read_tokens=row.cached_input_tokens,
        output_tokens=row.output_tokens,
    )
    return calc_price(usage, row.model, genai_request_timestamp=row.hour).total_price


def seed(session: Session, rows: list[UsageHourly], *, model: str = "gpt-4o") -> int:
    """App ``chat`` with one version of ``answer`` on ``model`` that ran 22:30 -> 01:00."""
    app = deployed_answer(session, model=model, recorded=T0, started=T0 + 30 * M, ended=T0 + 3 * H)
    assert app.id is not None
    session.add_all(rows)
    return app.id


def test_version_usage_sums_the_hours_it_ran_and_prices_them(
    db: Database, client: TestClient
) -> None:
    counted = [
        hour_row(0, requests=4, input_tokens=4_000, output_tokens=800, cached_input_tokens=1_000),
        hour_row(1, requests=10, input_tokens=12_345, output_tokens=2_001),
        hour_row(1, namespace="staging", requests=3, input_tokens=999, output_tokens=7),
        hour_row(2, requests=7, input_tokens=7_777, output_tokens=333, cached_input_tokens=77),
    ]
    ignored = [
        hour_row(-1, requests=1_000),  # before the hour the version started in
        hour_row(3, requests=1_000),  # the window ends at 01:00: this hour starts there
        hour_row(1, model="gpt-4o-mini", requests=1_000),  # another model
        hour_row(1, app="other", requests=1_000),  # another app
    ]
    with db.session_scope() as session:
        seed(session, counted + ignored)
    requests = sum(r.requests for r in counted)
    cost = sum((list_price(r) for r in counted), Decimal(0))
    assert cost > 0

    body = client.get("/api/v1/apps/chat/prompts/answer/versions/1", headers=bearer("read")).json()
    assert body["usage"] == {
        "requests": requests,
        "input_tokens_per_request": round(sum(r.input_tokens for r in counted) / requests, 2),
        "output_tokens_per_request": round(sum(r.output_tokens for r in counted) / requests, 2),
        "cost_per_request": str((cost / requests).quantize(Decimal("1e-9"))),
    }
    listing = client.get("/api/v1/apps/chat/prompts", headers=bearer("read")).json()
    assert listing["prompts"][0]["latest"]["usage"] == body["usage"]
    versions = client.get(
        "/api/v1/apps/chat/prompts/answer/versions", headers=bearer("read")
    ).json()
    assert versions["items"][0]["usage"] == body["usage"]


def test_reader_totals_every_model_and_exact_cost(db: Database) -> None:
    rows = [hour_row(0), hour_row(0, model="gpt-4o-mini", input_tokens=5_000, output_tokens=9)]
    with db.session_scope() as session:
        app_id = seed(session, rows)
    totals = read(db, app_id, None, hours=1)
    assert totals == WindowUsage(
        requests=20,
        input_tokens=6_000,
        output_tokens=209,
        cost=list_price(rows[0]) + list_price(rows[1]),
    )


def test_unpriced_model_has_tokens_and_null_cost(db: Database, client: TestClient) -> None:
    with db.session_scope() as session:
        seed(session, [hour_row(0, model="mystery-model", provider=None)], model="mystery-model")
    body = client.get("/api/v1/apps/chat/prompts/answer/versions/1", headers=bearer("read")).json()
    assert body["usage"] == {
        "requests": 10,
        "input_tokens_per_request": 100.0,
        "output_tokens_per_request": 20.0,
        "cost_per_request": None,
    }


def test_one_unpriced_hour_makes_the_cost_unknown(db: Database) -> None:
    rows = [hour_row(0), hour_row(1, model="mystery-model")]
    with db.session_scope() as session:
        app_id = seed(session, rows)
    totals = read(db, app_id, None, hours=2)
    assert totals is not None
    assert (totals.requests, totals.cost) == (20, None)


def test_self_hosted_model_is_not_priced_per_token(db: Database) -> None:
    with db.session_scope() as session:
        app_id = seed(session, [hour_row(0, model="llama-3.1-8b-instruct")])
    book = PriceBook(
        PriceOverrides(self_hosted={"llama-3.1-8b-instruct": SelfHosted(gpu_hour=Decimal(2))})
    )
    totals = read(db, app_id, "llama-3.1-8b-instruct", hours=1, price=UsagePricer(book=book))
    assert totals is not None
    assert (totals.requests, totals.cost) == (10, None)


def test_prices_file_overrides_are_used(db: Database, client: TestClient) -> None:
    with db.session_scope() as session:
        seed(session, [hour_row(1, model="inhouse-ft", provider=None)], model="inhouse-ft")
    body = client.get("/api/v1/apps/chat/prompts/answer/versions/1", headers=bearer("read")).json()
    # 100 input tokens at $3/M and 20 output tokens at $12/M per request
    assert body["usage"]["cost_per_request"] == "0.000540000"


def test_broken_prices_file_leaves_the_cost_unknown(db: Database, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("models: [not, a, mapping]\n")
    with db.session_scope() as session:
        app_id = seed(session, [hour_row(0)])
    totals = read(db, app_id, "gpt-4o", hours=1, price=UsagePricer(prices_file=broken))
    assert totals is not None
    assert (totals.requests, totals.cost) == (10, None)


def test_no_rollup_in_the_window_is_null(db: Database, client: TestClient) -> None:
    with db.session_scope() as session:
        app_id = seed(session, [hour_row(5), hour_row(1, app="other")])
    assert read(db, app_id, None, hours=3) is None
    assert read(db, 10**9, None, hours=1) is None
    body = client.get("/api/v1/apps/chat/prompts/answer/versions/1", headers=bearer("read")).json()
    assert body["usage"] is None


# Direct version_usage checks over the rollups (a 10:20 -> 11:40 window).
T9 = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)


def _hour(
    app: str, model: str, hour: dt.datetime, requests: int, tokens_in: int, tokens_out: int
) -> UsageHourly:
    return UsageHourly(
        app=app,
        namespace="support",
        model=model,
        provider="openai" if model.startswith("gpt") else None,
        hour=hour,
        day=hour.replace(hour=0),
        requests=requests,
        input_tokens=tokens_in,
        output_tokens=tokens_out,
    )


def test_version_usage_tokens_and_exact_cost_per_request_while_a_version_ran(db: Database) -> None:
    with db.session_scope() as session:
        app = make_app(session, name="chat")
        assert app.id is not None
        session.add_all(
            [
                _hour("chat", "gpt-4o-mini", T9 - H, 999, 99_999, 9_999),  # before: not counted
                _hour("chat", "gpt-4o-mini", T9, 10, 10_000, 2_000),
                _hour("chat", "gpt-4o-mini", T9 + H, 30, 20_000, 6_000),
                _hour("chat", "gpt-4o-mini", T9 + 2 * H, 999, 99_999, 9_999),  # after
                _hour("chat", "mystery-model-x", T9, 5, 500, 50),  # another model
                _hour("other", "gpt-4o-mini", T9, 999, 99_999, 9_999),  # another app
            ]
        )
        session.flush()
        # Deployed at 10:20, replaced at 11:40: the 10:00 and 11:00 hours overlap.
        usage = version_usage(
            session=session,
            app_id=app.id,
            model="gpt-4o-mini",
            windows=[(T9 + dt.timedelta(minutes=20), T9 + dt.timedelta(minutes=100))],
            reader=RollupUsageReader(price=UsagePricer(book=PriceBook())),
        )
        assert usage is not None
        assert usage.requests == 40
        assert usage.input_tokens_per_request == 750.0
        assert usage.output_tokens_per_request == 200.0
        price = calc_price(
            Usage(input_tokens=30_000, output_tokens=8_000),
            "gpt-4o-mini",
            provider_id="openai",
            genai_request_timestamp=T9,
        )
        expected = (Decimal(price.total_price) / 40).quantize(Decimal("1e-9"))
        assert Decimal(usage.cost_per_request or "nan") == expected


def test_version_usage_unpriced_model_gives_tokens_and_no_cost(db: Database) -> None:
    with db.session_scope() as session:
        app = make_app(session, name="chat")
        assert app.id is not None
        session.add(_hour("chat", "mystery-model-x", T9, 5, 500, 50))
        session.flush()
        usage = version_usage(
            session=session,
            app_id=app.id,
            model=None,
            windows=[(T9, T9 + H)],
            reader=RollupUsageReader(price=UsagePricer(book=PriceBook())),
        )
        assert usage is not None
        assert usage.requests == 5
        assert usage.cost_per_request is None  # unpriced, never 0


def test_version_usage_no_rollups_is_null(db: Database) -> None:
    with db.session_scope() as session:
        app = make_app(session, name="chat")
        assert app.id is not None
        session.add(_hour("chat", "gpt-4o-mini", T9 - 5 * H, 5, 500, 50))
        session.flush()
        assert (
            version_usage(
                session=session,
                app_id=app.id,
                model=None,
                windows=[(T9, T9 + H)],
                reader=RollupUsageReader(price=UsagePricer(book=PriceBook())),
            )
            is None
        )
