"""Exact hourly increases of Prometheus counters: what clients sent, to the unit.

``increase(x[1h])`` extrapolates to the window's edges and cannot see a counter's first value,
so a series that starts, restarts or stops inside an hour is miscounted (a new pod loses its
first calls; fractions appear). This reader counts from the samples themselves:

- the hour (t - 1h, t] gains ``L(t) - L(t - 1h)``, where ``L(t)`` is the series' last sample at
  or before t (``last_over_time``), carried over hours without samples (scrape gaps, a pod
  that ended);
- a series with no sample before the hour started at zero: its first value counts whole
  (unless it first shows at Prometheus' retention edge, ``prometheus_tsdb_lowest_timestamp_
  seconds``, where it ran before and nothing tells since when: it counts from there);
- an hour in which a series' counter went down (a reset: the process restarted, same labels)
  is counted from that series' raw samples: each rise counts, and after a reset the new value
  counts whole (the new process started from zero).

Every query covers every app at once (the reset reads cover the apps that reset in that hour),
so the query count does not grow with the number of apps. Results stream out per series and
hour; callers sum the series of one app (pods, provider-label flavours) themselves.
"""

from __future__ import annotations

import datetime as dt
import math
from array import array
from collections import defaultdict, deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from math import isnan
from operator import sub

from portal_api.sources.prometheus import PrometheusSource

HOUR = dt.timedelta(hours=1)
# Hours read before the window to know where each series stood when the window began: a series
# silent for longer than this before reappearing counts as a new series (started at zero).
WARMUP = dt.timedelta(hours=24)
# A range query answers at most 11,000 points per series; the hour-end values are read in
# chunks of this many steps (a day and a half) so that one answer, decoded (about 150 bytes a
# point), stays near 50 MB at 10,000 series (1,000 apps; two are held at once, one being
# decoded while the other is counted). The query count grows with the days read, never with
# the apps.
MAX_STEPS = 5000
CHUNK_STEPS = 36
# Chunks asked for ahead of the one being decoded (their answers wait as bytes).
PREFETCH = 1
SECONDS = 3600.0

LAST = "last_over_time({selector}[{range}])"
# The oldest sample Prometheus still holds (its own metric, when it scrapes itself). A series
# whose first sample is in the hour of that retention edge ran before it: it is not new.
LOWEST_TIMESTAMP = "min(last_over_time(prometheus_tsdb_lowest_timestamp_seconds[1h]))"
# Series-hours whose counter went down inside the hour or below where it stood before the hour.
RESET_HOURS = (
    "(resets({selector}[{range}]) > 0)"
    " or (min_over_time({selector}[{range}]) < last_over_time({selector}[2h] offset {range}))"
)

Labels = tuple[tuple[str, str], ...]
Columns = list[tuple[dict[str, str], list[float], list[float]]]


@dataclass
class CounterRead:
    """Increases per series and hour, and the queries it took.

    ``increases`` holds one array per series, aligned with ``hours`` (the hours' starts: the
    window's full hours, then the partial one): a sync reads millions of series-hours, and an
    array of floats costs 8 bytes a value where a dict entry costs a hundred.
    """

    hours: list[dt.datetime] = field(default_factory=list)
    increases: dict[Labels, array[float]] = field(default_factory=dict)
    queries: int = 0
    # Where the next window's read starts from (``hourly(after=...)``): the retention edge
    # found, and each series' last value up to the end of the full hours read (any age: a
    # series silent for days still carries it, as it does inside one read).
    horizon: dt.datetime | None = None
    carry: dict[Labels, float] = field(default_factory=dict)

    def series(self) -> Iterator[tuple[dict[str, str], dict[dt.datetime, float]]]:
        """Each series' labels and its increases by hour (only hours that gained)."""
        for labels, values in self.increases.items():
            gained = {self.hours[j]: value for j, value in enumerate(values) if value > 0}
            if gained:
                yield dict(labels), gained


def _key(labels: dict[str, str]) -> Labels:
    return tuple(sorted((k, v) for k, v in labels.items() if k != "__name__"))


def _promql_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _regex_alternatives(values: set[str]) -> str:
    specials = set(".^$*+?()[]{}|\\")
    escaped = ["".join(f"\\{c}" if c in specials else c for c in v) for v in sorted(values)]
    return _promql_string("|".join(escaped))


def _with_matcher(selector: str, matcher: str) -> str:
    """``metric{a="b"}`` + ``c=~"d"`` -> ``metric{a="b",c=~"d"}``."""
    if selector.endswith("}"):
        return f"{selector[:-1]},{matcher}}}"
    return f"{selector}{{{matcher}}}"


def _seconds(delta: dt.timedelta) -> str:
    return f"{max(int(delta.total_seconds()), 1)}s"


class CounterReader:
    """Reads exact hourly increases of one counter selector."""

    def __init__(self, prometheus: PrometheusSource, *, narrow_label: str | None = None) -> None:
        """Args:
        prometheus: the source.
        narrow_label: a label (the app's) used to restrict the raw reads of reset hours to
            the series that need them.
        """
        self.prometheus = prometheus
        self.narrow_label = narrow_label

    def hourly(
        self,
        selector: str,
        *,
        start: dt.datetime,
        end: dt.datetime,
        until: dt.datetime | None,
        after: CounterRead | None = None,
        whole_until: dt.datetime | None = None,
    ) -> CounterRead:
        """Increases per series in every hour of [start, end) and in the partial hour
        [end, until) when ``until`` is after ``end`` (the current hour, up to now).

        Args:
            selector: a PromQL series selector (``metric{label="value"}``), trusted.
            start: first hour (aligned, aware).
            end: end of the last full hour (aligned, aware).
            until: now, or None for full hours only.
            after: the read of the same selector that ended at ``start`` (a long window read
                in parts): where each series stood is taken from it, so the parts count
                exactly what one read of the whole window would.
            whole_until: the end (or now) of the whole window when this is its first part:
                the retention edge is where it stands then, as for one read of it.

        Raises:
            SourceError: Prometheus failed or could not be reached.
        """
        read = CounterRead()
        if after is None:
            at = whole_until or (until if until is not None and until > end else end)
            horizon = self._horizon(start - WARMUP, at, read)
            warmup = WARMUP
        else:  # the grid starts at ``start`` itself: what came before is in ``after.carry``
            horizon, warmup = after.horizon, dt.timedelta(0)
        read.horizon = horizon
        carried = after.carry if after is not None else {}
        partial = until is not None and until > end
        full = int((end - start) / HOUR)
        read.hours = [start + HOUR * j for j in range(full)] + ([end] if partial else [])
        # L(t) per series on the hour grid, from WARMUP before the window to its end (index
        # ``warm`` is ``start``), then the partial hour's L (the last sample up to now).
        grid_start = start - warmup
        warm = int(warmup / HOUR)
        size = warm + full + 1 + (1 if partial else 0)
        last: dict[Labels, array[float]] = {}
        empty = array("d", [math.nan]) * size
        origin = grid_start.timestamp()
        # The reset hours (one heavy range query per 5,000 hours, about a third of what
        # Prometheus spends on this counter) are asked for beside the hour-end values: it
        # evaluates them while the chunks are decoded and counted here.
        resets = ThreadPoolExecutor(1, thread_name_prefix="prometheus-resets")
        flagged_soon = resets.submit(
            self._reset_hours, selector, start=start, end=end, until=until if partial else None
        )
        try:
            self._read_last(selector, grid_start, end, origin, empty, last, read)
            flagged, reset_queries = flagged_soon.result()
        finally:  # a failed read does not wait for the other query to be answered
            resets.shutdown(wait=False, cancel_futures=True)
        read.queries += reset_queries
        if partial:
            assert until is not None
            for sample in self.prometheus.query(
                LAST.format(selector=selector, range=_seconds(until - end)), at=until
            ):
                key = _key(sample.labels)
                if key not in last:
                    last[key] = array("d", empty)
                last[key][size - 1] = sample.value
            read.queries += 1
        by_key: dict[Labels, set[int]] = defaultdict(set)
        for hour_start, keys in flagged.items():
            for key in keys:
                by_key[key].add(int((hour_start - start) / HOUR))
        times_of = [grid_start + HOUR * i for i in range(warm + full + 1)]
        if partial:
            assert until is not None
            times_of.append(until)
        read.carry = dict(carried)
        for key in list(last):
            points = last[key]
            standing = _last_known(points, warm + full)
            if standing is not None:
                read.carry[key] = standing
            previous = _previous(points, warm, horizon, times_of, carried.get(key))
            hours = points[warm + 1 :]
            marks = by_key.get(key, set())
            increases = None
            if not marks and not any(map(isnan, hours)):  # every hour sampled, none flagged
                gains = array("d", map(sub, hours, chain((previous or 0.0,), hours)))
                if min(gains, default=0.0) >= 0:
                    increases = gains
            if increases is None:
                increases = _increases(hours, previous, marks)
                for j in marks:
                    flagged.setdefault(read.hours[j], set()).add(key)
            read.increases[key] = increases
            if not marks:
                del last[key]  # only the flagged series' values are read again
        self._count_reset_hours(
            selector, flagged, last, carried, warm=warm, start=start, until=until, read=read
        )
        return read

    def _read_last(
        self,
        selector: str,
        grid_start: dt.datetime,
        end: dt.datetime,
        origin: float,
        empty: array[float],
        last: dict[Labels, array[float]],
        read: CounterRead,
    ) -> None:
        """L(t) per series on the hour grid [grid_start, end] into ``last``."""
        for answer in self._prefetched(LAST.format(selector=selector, range="1h"), grid_start, end):
            for labels, times, values in answer:
                if not times:
                    continue
                key = _key(labels)
                points = last.get(key)
                if points is None:
                    points = last[key] = array("d", empty)
                first = round((times[0] - origin) / SECONDS)
                if times[-1] - times[0] == SECONDS * (len(times) - 1):
                    points[first : first + len(times)] = array("d", values)  # no gaps
                else:
                    for ts, value in zip(times, values, strict=True):
                        points[round((ts - origin) / SECONDS)] = value
            read.queries += 1
            del answer  # let it go before the next one is decoded

    def _prefetched(self, promql: str, first: dt.datetime, last: dt.datetime) -> Iterator[Columns]:
        """The answers of ``promql`` on the hour grid [first, last], chunk by chunk. The next
        PREFETCH chunks are asked for while the caller decodes and counts the current one:
        Prometheus evaluates them on the cores Python leaves free, and what waits is their
        bytes (about 10 MB each at 10,000 series), not their decoded points; one answer is
        decoded at a time."""
        chunks = []
        cursor = first
        while cursor <= last:
            stop = min(cursor + (CHUNK_STEPS - 1) * HOUR, last)
            chunks.append((cursor, stop))
            cursor = stop + HOUR

        def fetch(chunk: tuple[dt.datetime, dt.datetime]) -> bytes:
            return self.prometheus.query_range_bytes(
                promql, start=chunk[0], end=chunk[1], step=HOUR
            )

        pool = ThreadPoolExecutor(PREFETCH, thread_name_prefix="prometheus-prefetch")
        try:
            pending = deque(pool.submit(fetch, chunk) for chunk in chunks[:PREFETCH])
            for i in range(len(chunks)):
                body = pending.popleft().result()
                if i + PREFETCH < len(chunks):
                    pending.append(pool.submit(fetch, chunks[i + PREFETCH]))
                answer = self.prometheus.decode_range_columns(body)
                del body
                yield answer
                del answer
        finally:  # a failed read does not wait for the chunks still being answered
            pool.shutdown(wait=False, cancel_futures=True)

    def _horizon(
        self, start: dt.datetime, at: dt.datetime, read: CounterRead
    ) -> dt.datetime | None:
        """The retention edge (as it stands at ``at``) when it lies after ``start``: older
        samples are gone."""
        samples = self.prometheus.query(LOWEST_TIMESTAMP, at=at)
        read.queries += 1
        if not samples or math.isnan(samples[0].value):
            return None
        edge = dt.datetime.fromtimestamp(samples[0].value, tz=dt.UTC)
        return edge if edge > start else None

    def _reset_hours(
        self,
        selector: str,
        *,
        start: dt.datetime,
        end: dt.datetime,
        until: dt.datetime | None,
    ) -> tuple[dict[dt.datetime, set[Labels]], int]:
        """Series that reset, per hour start, and the queries it took."""
        flagged: dict[dt.datetime, set[Labels]] = defaultdict(set)
        queries = 0
        cursor = start
        while cursor < end:
            stop = min(cursor + MAX_STEPS * HOUR, end)
            for labels, times, _ in self.prometheus.query_range_columns(
                RESET_HOURS.format(selector=selector, range="1h"),
                start=cursor + HOUR,
                end=stop,
                step=HOUR,
            ):
                for ts in times:
                    flagged[dt.datetime.fromtimestamp(ts, tz=dt.UTC) - HOUR].add(_key(labels))
            queries += 1
            cursor = stop
        if until is not None:
            promql = RESET_HOURS.format(selector=selector, range=_seconds(until - end))
            for sample in self.prometheus.query(promql, at=until):
                flagged[end].add(_key(sample.labels))
            queries += 1
        return flagged, queries

    def _count_reset_hours(
        self,
        selector: str,
        flagged: dict[dt.datetime, set[Labels]],
        last: dict[Labels, array[float]],
        carried: dict[Labels, float],
        *,
        warm: int,
        start: dt.datetime,
        until: dt.datetime | None,
        read: CounterRead,
    ) -> None:
        """Count the flagged series-hours from their raw samples (one query per such hour)."""
        for hour_start, keys in sorted(flagged.items()):
            if not keys or hour_start < start:
                continue
            at = hour_start + HOUR
            if until is not None and until < at:
                at = until
            narrowed = selector
            if self.narrow_label is not None:
                values = {dict(k).get(self.narrow_label, "") for k in keys}
                if "" not in values:
                    narrowed = _with_matcher(
                        selector, f'{self.narrow_label}=~"{_regex_alternatives(values)}"'
                    )
            raw = self.prometheus.query_raw_range_vector(
                f"{narrowed}[{_seconds(at - hour_start)}]", at=at
            )
            read.queries += 1
            j = int((hour_start - start) / HOUR)
            for labels, samples in raw:
                key = _key(labels)
                if key not in keys:
                    continue
                points = last.get(key)
                # L at the hour's start: the last value on the grid up to it.
                known = _last_known(points, warm + j) if points else None
                previous = known if known is not None else carried.get(key, 0.0)
                increase = 0.0
                for ts, value in samples:
                    if ts <= hour_start.timestamp() or math.isnan(value):
                        continue
                    increase += value - previous if value >= previous else value
                    previous = value
                if increase:
                    if key not in read.increases:
                        read.increases[key] = array("d", bytes(8 * len(read.hours)))
                    read.increases[key][j] = increase


def _last_known(points: array[float], at: int) -> float | None:
    """The last value on the grid at or before index ``at``."""
    for i in range(at, -1, -1):
        if points[i] == points[i]:
            return points[i]
    return None


def _previous(
    points: array[float],
    warm: int,
    horizon: dt.datetime | None,
    times: list[dt.datetime],
    carried: float | None = None,
) -> float | None:
    """Where a series stood when the window began: its last value up to then (on the grid,
    else where the read before this one left it); None for a series that started inside the
    window (its first value counts whole), except at the retention edge, where it ran before
    and counts from its first value."""
    found = _last_known(points, warm)
    if found is not None:
        return found
    if carried is not None:
        return carried
    if horizon is None:
        return None
    first = next((i for i, v in enumerate(points) if v == v), None)
    if first is None:
        return None
    first_seen = times[first]
    if first_seen - HOUR < horizon <= first_seen:
        return points[first]
    return None


def _increases(hours: array[float], previous: float | None, marks: set[int]) -> array[float]:
    """Hour by hour: what an hour gained over the last value before it; hours without a
    sample add nothing (the last value carries); an hour in which the value went down is
    marked (a reset across the hour's start) and left to the raw reads, like marked ones."""
    increases = array("d", bytes(8 * len(hours)))
    for j, current in enumerate(hours):
        if current != current:
            continue  # no sample this hour
        if previous is not None and current < previous:
            marks.add(j)
        if j not in marks:
            increases[j] = current - (previous or 0.0)
        previous = current
    return increases
