"""Time helpers every domain shares: hour, day and month boundaries in UTC, and the check of a
requested ``[from, to)`` range."""

from __future__ import annotations

import datetime as dt

from portal_api.errors import InvalidInputError

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def floor_hour(t: dt.datetime) -> dt.datetime:
    """The start of ``t``'s hour, in UTC."""
    return t.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def floor_day(t: dt.datetime) -> dt.datetime:
    """Midnight UTC of ``t``'s day."""
    return floor_hour(t).replace(hour=0)


def month_start(t: dt.datetime) -> dt.datetime:
    """Midnight UTC of the first day of ``t``'s month."""
    return floor_day(t).replace(day=1)


def next_month(first: dt.datetime) -> dt.datetime:
    """The first day of the month after the one ``first`` starts."""
    return (first + 32 * DAY).replace(day=1)


def month_split(
    start: dt.datetime, end: dt.datetime
) -> tuple[tuple[dt.datetime, dt.datetime] | None, list[tuple[dt.datetime, dt.datetime]]]:
    """[start, end) (whole days) as whole calendar months (read from monthly rollups) and the
    days around them (read from daily rows)."""
    first = month_start(start)
    if first < start:
        first = next_month(first)
    last = month_start(end)
    if first >= last:
        return None, [(start, end)]
    return (first, last), [(a, b) for a, b in ((start, first), (last, end)) if a < b]


def month_name(t: dt.datetime) -> str:
    """``YYYY-MM`` of ``t``."""
    return t.strftime("%Y-%m")


def parse_month(month: str) -> tuple[dt.datetime, dt.datetime]:
    """[first day, first day of the next month) of ``YYYY-MM``.

    Raises:
        InvalidInputError: not a YYYY-MM month.
    """
    try:
        first = dt.datetime.strptime(month, "%Y-%m").replace(tzinfo=dt.UTC)
    except ValueError:
        raise InvalidInputError(f"month must be YYYY-MM, got {month!r}") from None
    if not 2000 <= first.year <= 2999:
        raise InvalidInputError(f"month {month} is out of range (years 2000..2999)")
    return first, next_month(first)


def check_range(start: dt.datetime, end: dt.datetime, max_range: dt.timedelta) -> None:
    """A requested range must be time-zoned, non-empty and at most ``max_range`` long.

    Raises:
        InvalidInputError: it is not.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInputError("from and to need a time zone (e.g. 2026-01-01T00:00:00Z)")
    if end <= start:
        raise InvalidInputError("to must be after from")
    if end - start > max_range:
        raise InvalidInputError(f"at most {max_range.days} days per request")
