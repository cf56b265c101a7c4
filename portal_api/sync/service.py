"""Reading and writing the health of sync steps; freshness of stored data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlmodel import Session, select

from portal_api.cache import FRESHNESS, WATERMARKS, reads_as, watermark
from portal_api.sync.models import (
    Freshness,
    SourceStatus,
    SourceStatusPublic,
    StepStatusPublic,
)

MIN_STALE_AFTER = dt.timedelta(minutes=15)


def get_status(*, session: Session, source: str, step: str) -> SourceStatus:
    key = f"{source}/{step}"
    row = session.get(SourceStatus, key)
    if row is None:
        row = SourceStatus(step=key, source=source)
        session.add(row)
    return row


def stale_after(interval_seconds: int) -> dt.timedelta:
    return max(MIN_STALE_AFTER, dt.timedelta(seconds=3 * interval_seconds))


def _summarise(
    source: str, configured: bool, rows: list[SourceStatus], now: dt.datetime, after: dt.timedelta
) -> SourceStatusPublic:
    successes = [r.last_success for r in rows if r.last_success]
    # The source is as fresh as its least fresh step.
    last_success = min(successes) if len(successes) == len(rows) and rows else None
    failing = [r for r in rows if r.consecutive_failures > 0]
    if not configured:
        state = "off"
    elif failing:
        state = "failing"
    elif last_success is None:
        state = "never-synced"
    else:
        state = "ok"
    stale = configured and (bool(failing) or last_success is None or now - last_success > after)
    return SourceStatusPublic(
        source=source,
        configured=configured,
        state=state,
        stale=stale,
        last_success=last_success,
        last_error=failing[0].last_error if failing else None,
        steps=[
            StepStatusPublic.model_validate(r, from_attributes=True)
            for r in sorted(rows, key=lambda r: r.step)
        ],
    )


def list_source_status(
    *, session: Session, configured: dict[str, bool], now: dt.datetime, stale_after: dt.timedelta
) -> list[SourceStatusPublic]:
    by_source: dict[str, list[SourceStatus]] = defaultdict(list)
    for row in session.exec(select(SourceStatus)).all():
        by_source[row.source].append(row)
    names = sorted(set(configured) | set(by_source))
    return [
        _summarise(name, configured.get(name, False), by_source.get(name, []), now, stale_after)
        for name in names
    ]


def source_rows(*, session: Session, source: str, step: str) -> list[SourceStatus]:
    """The rows of ``source``'s sync steps, for its freshness and the watermark of its ``step``
    (a cached answer depends on those, not on every write of the rows: ``derived_view``)."""
    with reads_as(FRESHNESS, WATERMARKS, watermark(f"{source}/{step}")):
        return _rows(session, source)


def _rows(session: Session, source: str) -> list[SourceStatus]:
    return list(session.exec(select(SourceStatus).where(SourceStatus.source == source)).all())


def derived_view(session: Session) -> dict[str, object]:
    """What reads derive from the step rows, per response cache version: every source's
    freshness but the clock's part (``FRESHNESS``; a cached answer expires) and each step's
    watermark (``watermark(step)``). A writer of the rows whose write leaves one of them as
    it was need not drop the answers that read it (``cache.unmark``)."""
    by_source: dict[str, list[SourceStatus]] = defaultdict(list)
    for row in session.exec(select(SourceStatus)).all():
        by_source[row.source].append(row)
    now = dt.datetime.now(dt.UTC)  # only for ``stale``, which is left out
    summaries = [
        _summarise(source, True, rows, now, MIN_STALE_AFTER)
        for source, rows in sorted(by_source.items())
    ]
    view: dict[str, object] = {
        watermark(r.step): r.watermark for rows in by_source.values() for r in rows
    }
    view[FRESHNESS] = [(s.source, s.state, s.last_success, s.last_error) for s in summaries]
    return view


def freshness(
    *,
    session: Session,
    source: str,
    now: dt.datetime,
    stale_after: dt.timedelta,
    configured: bool = True,
    rows: list[SourceStatus] | None = None,
) -> Freshness:
    """How fresh the stored data of one source is (for the staleness marker on reads);
    ``rows``: its steps' rows when the caller read them already (``source_rows``).

    A source that is not configured is ``off``: what is stored (e.g. the demo's data, or data
    from before it was switched off) is not stale, nothing is expected to refresh it.
    """
    if rows is None:
        with reads_as(FRESHNESS):
            rows = _rows(session, source)
    summary = _summarise(source, configured, rows, now, stale_after)
    return Freshness(
        source=source,
        as_of=summary.last_success,
        stale=summary.stale,
        last_error=summary.last_error,
        state=summary.state,
    )
