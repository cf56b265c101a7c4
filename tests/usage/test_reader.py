"""Per-version usage from the hourly rollups: the reader behind prompt versions' cost per request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from genai_prices import Usage, calc_price

from portal_api.db import Database
from portal_api.prompts.usage import version_usage
from portal_api.usage.models import UsageHourly
from portal_api.usage.reader import RollupUsageReader
from tests.factories import make_app

T0 = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


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


def test_tokens_and_exact_cost_per_request_while_a_version_ran(db: Database) -> None:
    with db.session_scope() as session:
        app = make_app(session, name="chat")
        assert app.id is not None
        session.add_all(
            [
                _hour("chat", "gpt-4o-mini", T0 - H, 999, 99_999, 9_999),  # before: not counted
                _hour("chat", "gpt-4o-mini", T0, 10, 10_000, 2_000),
                _hour("chat", "gpt-4o-mini", T0 + H, 30, 20_000, 6_000),
                _hour("chat", "gpt-4o-mini", T0 + 2 * H, 999, 99_999, 9_999),  # after
                _hour("chat", "mystery-model-x", T0, 5, 500, 50),  # another model
                _hour("other", "gpt-4o-mini", T0, 999, 99_999, 9_999),  # another app
            ]
        )
        session.flush()
        # Deployed at 10:20, replaced at 11:40: the 10:00 and 11:00 hours overlap.
        usage = version_usage(
            session=session,
            app_id=app.id,
            model="gpt-4o-mini",
            windows=[(T0 + dt.timedelta(minutes=20), T0 + dt.timedelta(minutes=100))],
            reader=RollupUsageReader(),
        )
        assert usage is not None
        assert usage.requests == 40
        assert usage.input_tokens_per_request == 750.0
        assert usage.output_tokens_per_request == 200.0
        price = calc_price(
            Usage(input_tokens=30_000, output_tokens=8_000),
            "gpt-4o-mini",
            provider_id="openai",
            genai_request_timestamp=T0,
        )
        expected = (Decimal(price.total_price) / 40).quantize(Decimal("1e-9"))
        assert Decimal(usage.cost_per_request or "nan") == expected


def test_unpriced_model_gives_tokens_and_no_cost(db: Database) -> None:
    with db.session_scope() as session:
        app = make_app(session, name="chat")
        assert app.id is not None
        session.add(_hour("chat", "mystery-model-x", T0, 5, 500, 50))
        session.flush()
        usage = version_usage(session=session, app_id=app.id, model=None, windows=[(T0, T0 + H)])
        assert usage is not None
        assert usage.requests == 5
        assert usage.cost_per_request is None  # unpriced, never 0


def test_no_rollups_for_the_window_is_null(db: Database) -> None:
    with db.session_scope() as session:
        app = make_app(session, name="chat")
        assert app.id is not None
        session.add(_hour("chat", "gpt-4o-mini", T0 - 5 * H, 5, 500, 50))
        session.flush()
        assert (
            version_usage(session=session, app_id=app.id, model=None, windows=[(T0, T0 + H)])
            is None
        )
