"""Usage rollups: storing what Prometheus says per hour, rolling it up per day, reading it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from math import copysign
from typing import Any, Protocol

from sqlalchemy import (
    BigInteger,
    String,
    Table,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
)
from sqlmodel import Session, SQLModel, col, select

from portal_api.apps.models import App
from portal_api.db import BulkRows, UTCDateTime, bind_processors, bulk_load, processed
from portal_api.errors import InvalidInputError, NotFoundError
from portal_api.kit.driver import DriverQuery
from portal_api.kit.rollup import rebuild_days, sums
from portal_api.kit.timeutil import (
    DAY,
    HOUR,
    check_range,
    floor_day,
    floor_hour,
    month_start,
    next_month,
)
from portal_api.sources.usage_rows import COUNTS, QUANTILES
from portal_api.sync.models import Freshness, SourceStatus
from portal_api.usage.models import (
    Step,
    UsageDaily,
    UsageHourly,
    UsageMonthly,
)

MAX_RANGE = dt.timedelta(days=800)
MAX_HOURLY_RANGE = dt.timedelta(days=31)


def bucket_start(t: dt.datetime, step: Step) -> dt.datetime:
    if step == "hour":
        return floor_hour(t)
    day = floor_day(t)
    if step == "week":
        return day - dt.timedelta(days=day.weekday())
    if step == "month":
        return day.replace(day=1)
    return day


def table_of(model: type[SQLModel]) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


def bulk_insert(session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows (dicts with the same keys) as ``db.bulk_load`` does: COPY on
    PostgreSQL, multi-row INSERTs on SQLite.

    Rollups insert hundreds of thousands of rows per sync (a month of cost rows at 1,000
    apps: 155,000), and SQLAlchemy's per-row statement handling costs more than the database
    itself. Values still go through each column's bind processing (UTCDateTime, Money).
    """
    if not rows:
        return
    table = table_of(model)
    connection = session.connection()
    names = list(rows[0])
    bulk_load(connection, table, names, _DictRows(rows, names, table, connection.dialect))


class _DictRows:
    """``bulk_insert``'s rows for ``bulk_load``: as tuples (SQLite's load processes them), or
    as COPY lines of the values as stored (bind processing first: money as its integer count
    of units, memoised for the few distinct timestamps)."""

    def __init__(
        self, rows: Sequence[dict[str, Any]], names: list[str], table: Table, dialect: Any
    ) -> None:
        self._rows, self._names = rows, names
        self._processors = bind_processors(table, names, dialect)

    def rows(self) -> Iterable[tuple[Any, ...]]:
        names = self._names
        return (tuple([row[n] for n in names]) for row in self._rows)

    def copy_lines(self, field: Callable[[Any], str]) -> Iterable[str]:
        for row in self.rows():
            values = list(row)
            for i, process, memo in self._processors:
                values[i] = processed(values[i], process, memo)
            yield "\t".join(map(field, values)) + "\n"


def _weighted(column: Any) -> Any:
    """Request-weighted mean of an hourly quantile (quantiles do not add up exactly)."""
    weight = case((column.is_not(None), UsageHourly.requests), else_=0)
    return func.sum(column * UsageHourly.requests) / func.nullif(func.sum(weight), 0)


class ComputedDays(BulkRows, Protocol):
    """Daily rows computed elsewhere, as ``rebuild_daily`` computes them from the hourly rows
    (``DAILY_COLUMNS`` order): the sync's, from the arrays it just stored."""

    days: list[dt.datetime]


def rebuild_daily(
    *,
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    computed: ComputedDays | None = None,
) -> int:
    """Recompute the daily rows of the days that [start, end) touches, from the hourly rows;
    the days of ``computed`` (whole days inside [start, end) whose hourly rows were all just
    written) are written as given instead (a sync's 30 days: 155,000 rows without reading 3.6 M
    back and grouping them)."""
    days = set(computed.days if computed is not None else [])
    written = 0
    day = floor_day(start)
    while day < end:  # the days not given, one by one (a sync's first and last)
        if day not in days:
            written += _rebuild_daily_rows(session, max(day, start), min(day + DAY, end))
        day += DAY
    if computed is not None and computed.days:
        first, last = min(days), max(days) + DAY
        if first < start or last > end:
            raise ValueError("computed days outside the range rebuilt")
        d = UsageDaily
        session.execute(delete(d).where(col(d.day) >= first, col(d.day) < last))
        table = d.__table__  # type: ignore[attr-defined]
        written += bulk_load(session.connection(), table, DAILY_COLUMNS, computed)
    rebuild_monthly(session=session, start=start, end=end)
    return written


def _rebuild_daily_rows(session: Session, start: dt.datetime, end: dt.datetime) -> int:
    h = UsageHourly
    measures = {
        "provider": func.max(h.provider),
        **sums(h, "input_tokens", "output_tokens", "cached_input_tokens", "requests", "errors"),
        **{
            name: _weighted(getattr(h, name))
            for name in ("latency_p50", "latency_p95", "ttft_p50", "ttft_p95")
        },
    }
    keys = ["app", "namespace", "model"]
    return rebuild_days(session, UsageDaily, h, (start, end), keys, measures)


def rebuild_monthly(*, session: Session, start: dt.datetime, end: dt.datetime) -> None:
    """Recompute the monthly requests of the months that [start, end) touches from the daily
    rows (after every rebuild of daily rows: late data, replays, the demo)."""
    d = UsageDaily
    month = month_start(start)
    while month < end:
        after = next_month(month)
        session.execute(delete(UsageMonthly).where(col(UsageMonthly.month) == month))
        query = (
            select(
                literal(month, UTCDateTime()),
                d.app,
                d.model,
                cast(func.sum(d.requests), BigInteger),
            )
            .where(col(d.day) >= month, col(d.day) < after)
            .group_by(col(d.app), col(d.model))
        )
        session.execute(
            insert(UsageMonthly).from_select(["month", "app", "model", "requests"], query)
        )
        month = after


def _check_range(start: dt.datetime, end: dt.datetime, step: Step) -> None:
    check_range(start, end, MAX_RANGE)
    if step == "hour" and end - start > MAX_HOURLY_RANGE:
        raise InvalidInputError(f"step=hour covers at most {MAX_HOURLY_RANGE.days} days")


def _quantile(weighted: float | None, weight: int, total: float | None, known: int) -> float | None:
    """Request-weighted mean of a quantile from its merged parts (see ``_usage_sums``); the
    plain mean where its rows served no requests."""
    if not known:
        return None
    if weight == 0:
        return (total or 0.0) / known
    return (weighted or 0.0) / weight


def _add(a: Any, b: Any) -> Any:
    """Sums as SQL's SUM does: a missing (NULL) part adds nothing."""
    if a is None:
        return b
    return a if b is None else a + b


def merge_buckets(
    rows: Iterable[Sequence[Any]], step: Step, start: dt.datetime
) -> dict[tuple[dt.datetime, str], list[Any]]:
    """Rows of (time, model, *sums) merged per bucket of ``step`` (clamped to ``start``) and
    model, part by part in row order; a part that is None everywhere stays None."""
    merged: dict[tuple[dt.datetime, str], list[Any]] = {}
    starts: dict[dt.datetime, dt.datetime] = {}
    for when, model, *parts in rows:
        first = starts.get(when)
        if first is None:
            first = starts[when] = max(bucket_start(when, step), start)
        have = merged.get((first, model))
        if have is None:
            merged[(first, model)] = parts
        else:
            have[:] = [_add(a, b) for a, b in zip(have, parts, strict=True)]
    return merged


def exact_range(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The hours a range covers: rollups are hourly, so [from, to) is answered for the whole
    hours it touches, and the response says so."""
    first = floor_hour(start)
    last = floor_hour(end)
    return first, last if last == end.astimezone(dt.UTC) else last + HOUR


def day_split(
    start: dt.datetime, end: dt.datetime
) -> tuple[tuple[dt.datetime, dt.datetime] | None, list[tuple[dt.datetime, dt.datetime]]]:
    """[start, end) (whole hours) as whole days (read from daily rows) and the hours around
    them (read from hourly rows)."""
    first_day = floor_day(start)
    if first_day < start:
        first_day += DAY
    last_day = floor_day(end)
    if first_day >= last_day:
        return None, [(start, end)]
    edges = [(a, b) for a, b in ((start, first_day), (last_day, end)) if a < b]
    return (first_day, last_day), edges


def bucket_end(when: dt.datetime, step: Step) -> dt.datetime:
    if step == "hour":
        return when + HOUR
    if step == "day":
        return when + DAY
    if step == "week":
        return when + 7 * DAY
    return (when + 32 * DAY).replace(day=1)


_BUCKET_KEYS = ("start", "model", "partial", *COUNTS, *QUANTILES)
# What one daily row holds, in this order (``ComputedDays``).
DAILY_COLUMNS = ("day", "app", "namespace", "model", "provider", *COUNTS, *QUANTILES)


def _sum_columns(table: type[UsageHourly] | type[UsageDaily]) -> list[Any]:
    """The counts summed, and per quantile what its request-weighted mean merges from (sum of
    value x requests, requests where it is known, sum of the values, how many are known)."""
    columns: list[Any] = [cast(func.sum(getattr(table, c)), BigInteger) for c in COUNTS]
    for name in QUANTILES:
        value = getattr(table, name)
        columns += [
            func.sum(value * table.requests),
            cast(func.sum(case((value.is_not(None), table.requests), else_=0)), BigInteger),
            func.sum(value),
            func.count(value),
        ]
    return columns


def _sums_query(table: type[UsageHourly] | type[UsageDaily]) -> DriverQuery:
    """One app's rows of [first, last) summed per time and model (``_sum_columns``), in time
    order. Summed in SQL: the read returns a row per time and model whatever the namespaces."""
    time = col(table.hour if table is UsageHourly else table.day)
    return DriverQuery(
        select(time, table.model, *_sum_columns(table))
        .where(
            table.app == bindparam("app", type_=String()),
            time >= bindparam("first", type_=UTCDateTime()),
            time < bindparam("last", type_=UTCDateTime()),
        )
        .group_by(time, col(table.model))
        .order_by(time, col(table.model))
    )


def _rows_query(table: type[UsageHourly] | type[UsageDaily]) -> DriverQuery:
    """One app's rows of [first, last) as stored, in time and model order: the counts and the
    quantiles, nothing summed."""
    time = col(table.hour if table is UsageHourly else table.day)
    return DriverQuery(
        select(time, table.model, *(getattr(table, c) for c in (*COUNTS, *QUANTILES)))
        .where(
            table.app == bindparam("app", type_=String()),
            time >= bindparam("first", type_=UTCDateTime()),
            time < bindparam("last", type_=UTCDateTime()),
        )
        .order_by(time, col(table.model))
    )


# Built and compiled once: a read only binds its app and times.
_SUMS = {table: _sums_query(table) for table in (UsageHourly, UsageDaily)}
_ROWS = {table: _rows_query(table) for table in (UsageHourly, UsageDaily)}


def _summed_alone(rows: list[list[Any]]) -> list[list[Any]] | None:
    """The rows of ``_sums_query`` from stored rows that are each alone at their time and model
    (an app in one namespace): the sum of one value is that value, in SQL as here, so the
    parts are exact (value x requests is the same IEEE product). None when two rows share a
    time and model, or a negative quantile: the database sums them (in its own order, with its
    own signed zeros), as it always did."""
    out = []
    seen: set[tuple[Any, Any]] = set()
    for when, model, *counts, p50, p95, t50, t95 in rows:
        if (when, model) in seen:
            return None
        seen.add((when, model))
        requests = counts[3]
        row = [when, model, *counts]
        for value in (p50, p95, t50, t95):
            if value is None:
                row += [None, 0, None, 0]
            elif copysign(1.0, value) < 0:
                # SQLite's SUM of one -0.0 (or of a negative value x 0 requests) is 0.0.
                return None
            else:
                row += [value * requests, requests, value, 1]
        out.append(row)
    return out


def _usage_sums(
    session: Session,
    table: type[UsageHourly] | type[UsageDaily],
    app: str,
    first: dt.datetime,
    last: dt.datetime,
) -> list[Any]:
    """``_sums_query``'s rows. Its 16 sums of the quantiles' parts cost SQLite more than
    reading the rows (1.6 against 0.6 ms for 90 days of 5 models): an app whose rows are one
    per time and model (one namespace) has them computed from its stored rows instead."""
    connection = session.connection()
    found = _summed_alone(_ROWS[table].rows(connection, app=app, first=first, last=last))
    if found is not None:
        return found
    return _SUMS[table].rows(connection, app=app, first=first, last=last)


def partial_buckets(
    starts: Iterable[dt.datetime], step: Step, end: dt.datetime, covered_until: dt.datetime | None
) -> dict[dt.datetime, bool]:
    """Per bucket start, whether the bucket's hours (up to ``end``) are not all synced yet
    (``covered_until``, the usage step's watermark; never without one)."""
    return {
        when: covered_until is not None
        and covered_until < min(bucket_end(bucket_start(when, step), step), end)
        for when in starts
    }


def app_usage(
    *,
    session: Session,
    app: str,
    start: dt.datetime,
    end: dt.datetime,
    step: Step,
    freshness: Freshness,
    covered_until: dt.datetime | None = None,
) -> dict[str, Any]:
    """Usage of one app per model and bucket over the whole hours of [start, end): the
    ``AppUsage`` document (plain values in its fields' order, see ``kit.jsonbody``).

    Days the range covers whole are read from the daily rollup, the hours around them from
    the hourly one; a bucket is ``partial`` while its hours are not all synced yet
    (``covered_until``, the usage step's watermark: the current hour, or a sync that lags).

    Raises:
        InvalidInputError: the range is empty, too long, or not time-zoned.
        NotFoundError: no such app.
    """
    _check_range(start, end, step)
    start, end = exact_range(start, end)
    # Summed per time and model in SQL, merged per bucket in plain lists, written as JSON
    # without a model per bucket (this read is the hot path of every usage chart).
    rows: list[Any] = []
    days, hours = (None, [(start, end)]) if step == "hour" else day_split(start, end)
    for first, last in hours:
        rows.extend(_usage_sums(session, UsageHourly, app, first, last))
    if days is not None:
        rows.extend(_usage_sums(session, UsageDaily, app, *days))
    if not rows:
        ensure_known_app(session=session, app=app)
    merged = sorted(merge_buckets(rows, step, start).items())
    partial = partial_buckets({when for (when, _), _ in merged}, step, end, covered_until)
    counted = len(COUNTS)
    parts_at = range(counted, counted + 4 * len(QUANTILES), 4)
    buckets = []
    counts: dict[str, list[list[int]]] = {}
    for (when, model), parts in merged:
        values = [when, model, partial[when], *parts[:counted]]
        values += [_quantile(*parts[i : i + 4]) for i in parts_at]
        buckets.append(dict(zip(_BUCKET_KEYS, values, strict=True)))
        counts.setdefault(model, []).append(parts[:counted])
    return {
        "app": app,
        "start": start,
        "end": end,
        "step": step,
        "covered_until": covered_until,
        "buckets": buckets,
        "totals": [
            {"model": model, **dict(zip(COUNTS, map(sum, zip(*c, strict=True)), strict=True))}
            for model, c in sorted(counts.items())
        ],
        "freshness": freshness,
    }


def usage_covered_until(rows: Iterable[SourceStatus]) -> dt.datetime | None:
    """Up to when the stored usage is complete: the usage sync's watermark, from Prometheus's
    step rows (None: never synced, e.g. the demo's stored data)."""
    return next((r.watermark for r in rows if r.step == "prometheus/usage"), None)


def ensure_known_app(*, session: Session, app: str) -> None:
    """Raises NotFoundError unless the app is registered or has usage (LiteLLM key aliases
    need not be registered apps). An app read that found rows need not ask: they are usage."""
    if session.exec(select(App.id).where(App.name == app)).first() is not None:
        return
    if session.exec(select(UsageDaily.id).where(UsageDaily.app == app).limit(1)).first():
        return
    raise NotFoundError(f"no app named {app!r} and no usage recorded for it")
