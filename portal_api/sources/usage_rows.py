"""The usage a sync read, as it is stored: per app and model one array per field over the
hours read (``UsageReadResult``), handed to the database as hourly rows (runs of values, COPY
lines) and as the daily rows of the days read whole (``DailyFromRead``)."""

from __future__ import annotations

import datetime as dt
import math
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, compress
from operator import add, itemgetter
from typing import Any

from portal_api.kit.timeutil import DAY, HOUR
from portal_api.sources.counters import CounterRead


@dataclass(slots=True)
class UsagePoint:
    """Usage of one app and model in the hour that starts at ``hour`` (a plain dataclass:
    a sync makes hundreds of thousands of them)."""

    hour: dt.datetime
    app: str
    namespace: str
    model: str
    provider: str | None = None
    input_tokens: float = 0
    output_tokens: float = 0
    cached_input_tokens: float = 0
    requests: float = 0
    errors: float = 0
    latency_p50: float | None = None
    latency_p95: float | None = None
    ttft_p50: float | None = None
    ttft_p95: float | None = None


TAB = "\t"
COUNTS = ("input_tokens", "output_tokens", "cached_input_tokens", "requests", "errors")
QUANTILES = ("latency_p50", "latency_p95", "ttft_p50", "ttft_p95")
# What one stored hourly row holds, in this order (``UsageReadResult.rows``).
ROW_COLUMNS = ("hour", "day", "app", "namespace", "model", "provider", *COUNTS, *QUANTILES)


@dataclass
class UsageSeries:
    """One app's usage of one model, hour by hour: one array per field, aligned with the
    read's hours (absent fields: nothing counted / no estimate), and the provider-labelled
    counter series that made it up, in reading order (the provider of an hour is the first
    such series that gained in it)."""

    app: str
    namespace: str
    model: str
    values: dict[str, array[float]] = field(default_factory=dict)
    # Per provider-labelled series: its provider and the hours it gained in (1 byte an hour).
    providers: list[tuple[str | None, bytes]] = field(default_factory=list)

    def add(self, name: str, increases: array[float]) -> None:
        # Never changed in place: the first series' array is kept as it is (no copy).
        found = self.values.get(name)
        self.values[name] = increases if found is None else array("d", map(add, found, increases))

    def provider_of(self) -> Callable[[int], str | None]:
        """The provider of hour j."""
        names = {p for p, _ in self.providers}
        if len(names) == 1 and None not in names:
            (only,) = names
            return lambda _j: only
        return lambda j: next((p for p, gained in self.providers if p and gained[j]), None)

    def provider_plan(self) -> tuple[str | None, Callable[[int], str | None] | None]:
        """(the provider of every hour, None) when the series has one provider label value,
        else (None, ``provider_of()``)."""
        names = {p for p, _ in self.providers}
        if len(names) == 1:
            return next(iter(names)), None
        return None, self.provider_of()

    def stored_hours(self, size: int) -> bytes:
        """Which of the ``size`` hours store a row (any tokens or requests: errors alone store
        none), one byte (0 or 1) an hour."""
        mask = 0
        for name in COUNTS[:4]:
            found = self.values.get(name)
            if found is not None:
                mask |= int.from_bytes(bytes(map(bool, found)), "big")
        return mask.to_bytes(size, "big")

    @property
    def estimated(self) -> bool:
        """Whether the series has any quantile estimate."""
        return any(n in self.values for n in QUANTILES)


@dataclass
class UsageReadResult:
    """Usage per app and model over ``hours`` (the hours' starts), and the queries it took."""

    hours: list[dt.datetime] = field(default_factory=list)
    series: dict[tuple[str, str, str], UsageSeries] = field(default_factory=dict)
    queries: int = 0
    # Each counter's read (its increases taken out): where the read of the next hours starts
    # from (``PrometheusUsageReader.read_hourly(after=...)``).
    counters: dict[str, CounterRead] = field(default_factory=dict)

    def _ordered(self) -> list[UsageSeries]:
        """The series in key order (the unique index's: hour, app, namespace, model)."""
        return sorted(self.series.values(), key=lambda s: (s.app, s.namespace, s.model))

    def _by_hour(self) -> Iterator[tuple[int, dt.datetime, list[tuple[Any, ...]]]]:
        """Per hour (its index and start), the series with any activity in it, in key order
        (the order of the unique index on hour, app, namespace, model: a large load appends
        to it instead of touching it all over): (series, provider of hour j, whether it has
        any quantile, the five counts, the four quantiles)."""
        hours = self.hours
        zeros = array("d", bytes(8 * len(hours)))
        unknown = array("d", [math.nan]) * len(hours)
        ordered = self._ordered()
        stored = [s.stored_hours(len(hours)) for s in ordered]
        columns: list[tuple[Any, ...]] = [
            (
                s,
                s.provider_of(),
                s.estimated,
                *(s.values.get(n, zeros) for n in COUNTS),
                *(s.values.get(n, unknown) for n in QUANTILES),
            )
            for s in ordered
        ]
        for j, hour in enumerate(hours):
            yield j, hour, [c for c, m in zip(columns, stored, strict=True) if m[j]]

    def runs(self) -> Iterator[tuple[tuple[dt.datetime, dt.datetime], int, list[Any]]]:
        """The rows (``ROW_COLUMNS``) of each hour as runs sharing the hour and its day
        (``db.SharedRuns``): the series without any quantile (most) without their four, which
        stay NULL, then the others; each in key order.

        Built a column at a time (an hour's values of every series, taken and interleaved by
        ``map``, ``zip`` and ``chain`` rather than a tuple per row). A count whose series' values
        are all whole stays a float (SQLite stores a whole REAL in an INTEGER column as an
        integer); the others are rounded, as ``rows()`` rounds them all."""
        ordered = self._ordered()
        groups = [
            _RunGroup(members, len(self.hours), estimated)
            for estimated in (False, True)
            if (members := [s for s in ordered if s.estimated == estimated])
        ]
        for j, hour in enumerate(self.hours):
            head = (hour, hour.replace(hour=0))
            for group in groups:
                values = group.values(j)
                if values:
                    yield head, group.width, values

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """One row (``ROW_COLUMNS``) per app, model and hour with any activity, hour by hour,
        in key order within the hour."""
        width = len(ROW_COLUMNS)
        hour: list[tuple[Any, ...]] = []
        last: tuple[dt.datetime, dt.datetime] | None = None
        for head, own, values in self.runs():
            if head != last:
                yield from sorted(hour, key=lambda row: row[2:5])
                hour, last = [], head
            pad = (None,) * (width - 2 - own)
            hour.extend(
                (
                    *head,
                    *values[k : k + 4],
                    *map(round, values[k + 4 : k + 9]),
                    *values[k + 9 : k + own],
                    *pad,
                )
                for k in range(0, len(values), own)
            )
        yield from sorted(hour, key=lambda row: row[2:5])

    def copy_lines(self, field: Callable[[Any], str]) -> Iterator[str]:
        """``rows()`` as lines of PostgreSQL's COPY text format, ``field`` encoding a value:
        what stays the same along a row (the hour, the series' labels, its provider when it
        has one) is encoded once, so a row costs one string format, not 15 values handled one
        by one by the driver."""
        null = field(None)
        unknown = "\t".join([null] * len(QUANTILES))
        # Per series, once: its labels' fields and its provider's when it has only one (most
        # series have no quantile: their tail is a constant).
        labels: dict[int, tuple[str, str | None]] = {}
        for j, hour, active in self._by_hour():
            lead = f"{field(hour)}\t{field(hour.replace(hour=0))}\t"
            for s, provider, estimated, i, o, c, r, e, *quantiles in active:
                found = labels.get(id(s))
                if found is None:
                    fixed, varies = s.provider_plan()
                    only = field(fixed) + "\t" if varies is None else None
                    found = labels[id(s)] = (
                        f"{field(s.app)}\t{field(s.namespace)}\t{field(s.model)}\t",
                        only,
                    )
                key, only = found
                tail = (
                    "\t".join(null if q[j] != q[j] else repr(q[j]) for q in quantiles)
                    if estimated
                    else unknown
                )
                yield (
                    f"{lead}{key}{only or field(provider(j)) + TAB}"
                    f"{round(i[j])}\t{round(o[j])}\t{round(c[j])}\t{round(r[j])}\t{round(e[j])}"
                    f"\t{tail}\n"
                )

    def full_days(self) -> list[dt.datetime]:
        """The days all 24 of whose hours were read (the read's hours are consecutive)."""
        days = []
        if self.hours:
            day = self.hours[0].replace(hour=0)
            if day < self.hours[0]:
                day += DAY
            while day + DAY <= self.hours[-1] + HOUR:
                days.append(day)
                day += DAY
        return days

    def daily(self, days: list[dt.datetime]) -> DailyFromRead:
        """The daily rows of ``days`` (whole days of ``full_days``) from the hours read."""
        return DailyFromRead(self, days)

    @property
    def points(self) -> list[UsagePoint]:
        """The rows as UsagePoints (for small reads; a sync stores ``rows()``)."""
        return [UsagePoint(row[0], *row[2:6], *row[6:]) for row in self.rows()]


@dataclass
class DailyFromRead:
    """The daily rows (``usage.service.DAILY_COLUMNS``) of whole days read, computed from the read's arrays
    exactly as the daily rebuild computes them from the stored hourly rows
    (``usage.service.rebuild_daily``), without reading those rows back: over the hours that
    have a stored row (any tokens or requests), the rounded counts summed, the provider the
    greatest of the hours' providers (code point order), each quantile the mean of the
    hours' estimates weighted by their requests (None without any weight)."""

    read: UsageReadResult
    days: list[dt.datetime]

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Day by day, in key order within the day (the daily unique index's order)."""
        read = self.read
        first = read.hours[0] if read.hours else None
        ordered = [_SeriesDays(s, len(read.hours)) for s in read._ordered()]
        for day in self.days:
            assert first is not None
            a = round((day - first) / HOUR)
            if a < 0 or a + 24 > len(read.hours):
                raise ValueError(f"{day:%Y-%m-%d} was not read whole")
            for days in ordered:
                row = days.row(a, a + 24)
                if row is not None:
                    s = days.series
                    yield (day, s.app, s.namespace, s.model, *row)

    def copy_lines(self, field: Callable[[Any], str]) -> Iterator[str]:
        for row in self.rows():
            yield "\t".join(map(field, row)) + "\n"


_ALL_STORED = b"\x01" * 24


class _SeriesDays:
    """One series' daily rows: which of its hours have a stored row (any tokens or requests)
    as one byte an hour, made once for all its days."""

    def __init__(self, series: UsageSeries, size: int) -> None:
        self.series = series
        values = series.values
        self.counts = [values.get(n) for n in COUNTS]
        self.stored = series.stored_hours(size)
        # Counts that are all whole numbers (nearly all: tokens, requests) sum as floats,
        # exactly, without rounding each hour first.
        self.whole = [
            x is not None and all(map(float.is_integer, x)) and max(x, default=0.0) < 2.0**47
            for x in self.counts
        ]
        self.quantiles = [values.get(n) for n in QUANTILES]
        self.only, self.provider_of = series.provider_plan()

    def row(self, a: int, b: int) -> tuple[Any, ...] | None:
        """Provider, counts and quantiles over hours [a, b), or None when none of them has a
        stored row."""
        stored = self.stored[a:b]
        if stored == _ALL_STORED[: b - a]:
            hours: range | list[int] = range(a, b)
            sums = [
                0 if x is None else int(sum(x[a:b])) if whole else sum(map(round, x[a:b]))
                for x, whole in zip(self.counts, self.whole, strict=True)
            ]
        else:
            hours = [a + k for k, v in enumerate(stored) if v]
            if not hours:
                return None
            sums = [0 if x is None else sum([round(x[j]) for j in hours]) for x in self.counts]
        if self.provider_of is None:
            provider = self.only
        else:
            providers = {p for p in map(self.provider_of, hours) if p is not None}
            provider = max(providers) if providers else None
        requests = self.counts[3]
        quantiles: list[float | None] = []
        for q in self.quantiles:
            if q is None:
                quantiles.append(None)
                continue
            weighted, weight = 0.0, 0
            for j in hours:
                if q[j] == q[j]:
                    r = round(requests[j]) if requests is not None else 0
                    weighted += q[j] * r
                    weight += r
            quantiles.append(weighted / weight if weight else None)
        return (provider, *sums, *quantiles)


def _none_if_nan(value: float) -> float | None:
    return None if value != value else value


class _RunGroup:
    """The series of one run shape (with or without quantiles), in key order, ready to give
    an hour's values column by column."""

    def __init__(self, members: list[UsageSeries], size: int, estimated: bool) -> None:
        zeros = array("d", bytes(8 * size))
        unknown = array("d", [math.nan]) * size
        self.width = len(ROW_COLUMNS) - 2 - (0 if estimated else len(QUANTILES))
        self.labels = [
            [s.app for s in members],
            [s.namespace for s in members],
            [s.model for s in members],
        ]
        self.counts = [[s.values.get(n, zeros) for s in members] for n in COUNTS]
        self.whole = [all(all(map(float.is_integer, x)) for x in field) for field in self.counts]
        self.quantiles = (
            [[s.values.get(n, unknown) for s in members] for n in QUANTILES] if estimated else []
        )
        self.stored = [s.stored_hours(size) for s in members]
        self.providers = [s.provider_plan() for s in members]
        self.one_provider = all(f is None for _, f in self.providers)
        self.constant = [p for p, _ in self.providers]

    def values(self, j: int) -> list[Any]:
        """Hour ``j``'s rows, one after the other (empty when no series stored a row)."""
        at = itemgetter(j)
        selected = bytes(map(at, self.stored))
        every = b"\x00" not in selected
        if not every and not any(selected):
            return []
        providers = (
            self.constant
            if self.one_provider
            else [p if f is None else f(j) for p, f in self.providers]
        )
        columns: list[Iterable[Any]] = [*self.labels, providers]
        for counts, whole in zip(self.counts, self.whole, strict=True):
            taken = map(at, counts)
            columns.append(taken if whole else map(round, taken))
        columns.extend(map(_none_if_nan, map(at, estimates)) for estimates in self.quantiles)
        if not every:
            columns = [compress(column, selected) for column in columns]
        return list(chain.from_iterable(zip(*columns, strict=True)))
