"""Per-version usage: attribution of an app's usage to the windows a version ran in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlmodel import Session

from portal_api.db import Database
from portal_api.prompts.service import VersionRead, version_detail
from portal_api.prompts.usage import merge_windows, version_usage
from portal_api.sync.models import Freshness
from portal_api.usage.reader import WindowUsage
from tests.factories import deployed_answer

FRESH = Freshness(source="kubernetes", as_of=None, stale=False)
T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


class HourlyUsage:
    """A usage reader over fixed hourly numbers: 10 requests, 1,000 in / 200 out, $0.01 per hour."""

    def __init__(self, *, priced: bool = True, hours: range = range(0, 1000)) -> None:
        self.priced = priced
        self.hours = hours
        self.calls: list[tuple[dt.datetime, dt.datetime]] = []

    def totals(self, *, start: dt.datetime, end: dt.datetime, **_: object) -> WindowUsage | None:
        """The same numbers for every app and model (``session``, ``app_id``, ``model``)."""
        self.calls.append((start, end))
        hours = [h for h in range(int((start - T0) / H), int((end - T0) / H)) if h in self.hours]
        if not hours:
            return None
        n = len(hours)
        return WindowUsage(10 * n, 1000 * n, 200 * n, Decimal("0.01") * n if self.priced else None)


def test_merge_windows() -> None:
    assert merge_windows(
        [(T0 + 2 * H, T0 + 4 * H), (T0, T0 + 3 * H), (T0 + 5 * H, T0 + 6 * H)]
    ) == [
        (T0, T0 + 4 * H),
        (T0 + 5 * H, T0 + 6 * H),
    ]


def test_no_reader_or_no_data_is_null() -> None:
    session = Session()
    assert (
        version_usage(session=session, app_id=1, model=None, windows=[(T0, T0 + H)], reader=None)
        is None
    )
    reader = HourlyUsage(hours=range(0))
    assert (
        version_usage(session=session, app_id=1, model=None, windows=[(T0, T0 + H)], reader=reader)
        is None
    )


def test_per_request_over_overlapping_windows() -> None:
    reader = HourlyUsage()
    usage = version_usage(
        session=Session(),
        app_id=1,
        model="gpt-4o",
        windows=[(T0, T0 + 2 * H), (T0 + H, T0 + 3 * H)],  # two workloads, overlapping
        reader=reader,
    )
    assert reader.calls == [(T0, T0 + 3 * H)]
    assert usage is not None
    assert usage.requests == 30
    assert (usage.input_tokens_per_request, usage.output_tokens_per_request) == (100.0, 20.0)
    assert usage.cost_per_request == "0.001000000"
    unpriced = version_usage(
        session=Session(),
        app_id=1,
        model=None,
        windows=[(T0, T0 + H)],
        reader=HourlyUsage(priced=False),
    )
    assert unpriced is not None
    assert unpriced.cost_per_request is None


def test_passed_reader_reaches_the_version_reads(db: Database) -> None:
    with db.session_scope() as session:
        deployed_answer(session, model="gpt-4o", recorded=T0, started=T0, ended=T0 + 5 * H)
    with db.session() as session:
        read = VersionRead(session, T0 + 9 * H, usage_reader=HourlyUsage())
        detail = version_detail(read, app="chat", name="answer", number=1, freshness=FRESH)
        without = version_detail(
            VersionRead(session, T0 + 9 * H), app="chat", name="answer", number=1, freshness=FRESH
        )
    assert without.usage is None
    assert detail.usage is not None
    assert detail.usage.requests == 50
    assert detail.usage.cost_per_request == "0.001000000"
