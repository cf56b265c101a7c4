"""Daily rollups rebuilt from hourly rows, the one way every domain does it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert
from sqlmodel import Session, col, select

from portal_api.kit.timeutil import DAY, floor_day


def sums(hourly: Any, *names: str) -> dict[str, Any]:
    """``{name: SUM(hourly.name)}``: the measures that add up over a day."""
    return {name: func.sum(getattr(hourly, name)) for name in names}


def rebuild_days(
    session: Session,
    daily: Any,
    hourly: Any,
    span: tuple[dt.datetime, dt.datetime],
    keys: Sequence[str],
    measures: Mapping[str, Any],
) -> int:
    """Replace the ``daily`` rows of every day that ``span`` touches with ``hourly``'s rows of
    those days grouped by day and ``keys`` (column names of both tables), each of ``measures``
    (daily column -> aggregate of hourly columns) computed in the database.

    Returns:
        How many daily rows were written.
    """
    start, end = span
    first, last = floor_day(start), floor_day(end - dt.timedelta(microseconds=1)) + DAY
    session.execute(delete(daily).where(col(daily.day) >= first, col(daily.day) < last))
    grouped = [hourly.day, *(getattr(hourly, k) for k in keys)]
    query = (
        select(*grouped, *measures.values())
        .where(col(hourly.hour) >= first, col(hourly.hour) < last)  # hourly indexes lead with hour
        .group_by(*grouped)
    )
    columns = ["day", *keys, *measures]
    result = session.execute(insert(daily).from_select(columns, query))
    written = int(getattr(result, "rowcount", -1))
    if written < 0:  # a driver that does not count INSERT ... SELECT (-1): count what is there
        days = (col(daily.day) >= first, col(daily.day) < last)
        written = int(session.exec(select(func.count()).select_from(daily).where(*days)).one())
    return written


def sum_per_day(daily: Any, measure: Any, start: dt.datetime, end: dt.datetime, *where: Any) -> Any:
    """``SELECT day, SUM(measure)`` of a daily table for the days in [start, end) (and
    ``where``), oldest first."""
    return (
        select(daily.day, func.sum(measure))
        .where(col(daily.day) >= start, col(daily.day) < end, *where)
        .group_by(col(daily.day))
        .order_by(col(daily.day))
    )
