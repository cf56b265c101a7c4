"""Model switches from active hours: overlaps, gaps, quiet apps, partial evidence."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from portal_api.db import Database
from portal_api.timeline.detect import MODEL_GAP, model_switches
from portal_api.timeline.models import ChangeEvent
from portal_api.timeline.service import record_model_switches
from portal_api.usage.models import UsageHourly
from tests.factories import make_app

H = dt.timedelta(hours=1)
T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def active(app: str, model: str, first: int, last: int) -> list[tuple[str, str, dt.datetime]]:
    return [(app, model, T0 + h * H) for h in range(first, last + 1)]


def summaries(rows: list[tuple[str, str, dt.datetime]], end: int) -> list[tuple[int, str]]:
    found = model_switches(rows, start=T0, end=T0 + end * H)
    return [(int((c.at - T0) / H), c.summary) for _, c in found]


def test_an_overlapping_rollout_is_one_switch() -> None:
    rows = active("chat", "old", 0, 25) + active("chat", "new", 24, 60)
    assert summaries(rows, 60) == [(24, "model switch: old → new")]


def test_a_removal_is_only_reported_once_its_absence_is_certain() -> None:
    rows = active("chat", "old", 0, 25) + active("chat", "new", 24, 30)
    # Only five hours without the old model so far: the addition alone.
    assert summaries(rows, 31) == [(24, "model added: new")]


def test_an_idle_app_and_a_short_gap_are_no_change() -> None:
    # The app stops overnight (nothing else ran): no removal; a model back after 5 h: no change.
    quiet = active("batch", "m", 0, 5) + active("batch", "m", 20, 30)
    flap = active("chat", "a", 0, 60) + active("chat", "b", 0, 10) + active("chat", "b", 16, 60)
    assert summaries(quiet + flap, 60) == []


def test_a_model_added_beside_another() -> None:
    rows = active("rag", "gpt-4o-mini", 0, 60) + active("rag", "embed", 30, 60)
    assert summaries(rows, 61) == [(30, "model added: embed")]


def test_a_later_pass_replaces_what_less_evidence_showed(db: Database) -> None:
    with db.session_scope() as session:
        make_app(session, name="chat")
        for _, model, hour in active("chat", "old", 0, 25) + active("chat", "new", 23, 60):
            session.add(
                UsageHourly(
                    app="chat", model=model, hour=hour, day=hour.replace(hour=0), requests=5
                )
            )
    with db.session_scope() as session:
        # The first pass ends before the old model's absence is certain.
        record_model_switches(session=session, start=T0, end=T0 + 30 * H, gap=MODEL_GAP)
    with db.session_scope() as session:
        record_model_switches(session=session, start=T0, end=T0 + 61 * H, gap=MODEL_GAP)
    with db.session() as session:
        rows = session.exec(select(ChangeEvent)).all()
    assert [(r.at, r.summary) for r in rows] == [(T0 + 23 * H, "model switch: old → new")]
