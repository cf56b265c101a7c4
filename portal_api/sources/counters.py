"""Exact hourly increases of Prometheus counters: what clients sent, to the unit.

``increase(x[1h])`` extrapolates to the window's edges and cannot see a counter's first value,
so a series that starts, restarts or stops inside an hour is miscounted (a new pod loses its
first calls; fractions appear). This reader counts from the samples themselves:

- the hour (t - 1h, t] gains ``L(t) - L(t - 1h)``, where ``L(t)`` is the series' last sample at
  or before t (``last_over_time``), carried over hours without samples (scrape gaps, a pod
  that ended);
- a series with no sample before the hour started at zero: its first value counts whole;
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
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from portal_api.sources.prometheus import PrometheusSource

HOUR = dt.timedelta(hours=1)
# Hours read before the window to know where each series stood when the window began: a series
# silent for longer than this before reappearing counts as a new series (started at zero).
WARMUP = dt.timedelta(hours=24)
# A range query answers at most 11,000 points per series: stay well below.
MAX_STEPS = 5000

LAST = "last_over_time({selector}[{range}])"
# Series-hours whose counter went down inside the hour or below where it stood before the hour.
RESET_HOURS = (
    "(resets({selector}[{range}]) > 0)"
    " or (min_over_time({selector}[{range}]) < last_over_time({selector}[2h] offset {range}))"
)

Labels = tuple[tuple[str, str], ...]


@dataclass
class CounterRead:
    """Increases per series and hour (the hour's start), and the queries it took."""

    increases: dict[Labels, dict[dt.datetime, float]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    queries: int = 0

    def series(self) -> Iterator[tuple[dict[str, str], dict[dt.datetime, float]]]:
        """Each series' labels and its increases by hour (only hours that gained)."""
        for labels, hours in self.increases.items():
            gained = {hour: value for hour, value in hours.items() if value > 0}
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
        self, selector: str, *, start: dt.datetime, end: dt.datetime, until: dt.datetime | None
    ) -> CounterRead:
        """Increases per series in every hour of [start, end) and in the partial hour
        [end, until) when ``until`` is after ``end`` (the current hour, up to now).

        Args:
            selector: a PromQL series selector (``metric{label="value"}``), trusted.
            start: first hour (aligned, aware).
            end: end of the last full hour (aligned, aware).
            until: now, or None for full hours only.

        Raises:
            SourceError: Prometheus failed or could not be reached.
        """
        read = CounterRead()
        # L(t) per series on the hour grid, from WARMUP before the window to its end.
        last: dict[Labels, dict[dt.datetime, float]] = defaultdict(dict)
        times: dict[float, dt.datetime] = {}  # one datetime per grid step, not per point
        grid_start = start - WARMUP
        cursor = grid_start
        while cursor <= end:
            stop = min(cursor + (MAX_STEPS - 1) * HOUR, end)
            for labels, values in self.prometheus.query_range_raw(
                LAST.format(selector=selector, range="1h"), start=cursor, end=stop, step=HOUR
            ):
                points = last[_key(labels)]
                for ts, value in values:
                    if not math.isnan(value):
                        when = times.get(ts)
                        if when is None:
                            when = times[ts] = dt.datetime.fromtimestamp(ts, tz=dt.UTC)
                        points[when] = value
            read.queries += 1
            cursor = stop + HOUR
        # The partial hour: its L is the last sample up to now.
        partial = until is not None and until > end
        if partial:
            assert until is not None
            for sample in self.prometheus.query(
                LAST.format(selector=selector, range=_seconds(until - end)), at=until
            ):
                last[_key(sample.labels)][until] = sample.value
            read.queries += 1
        flagged = self._reset_hours(
            selector, start=start, end=end, until=until if partial else None, read=read
        )
        ends = [start + HOUR * i for i in range(1, int((end - start) / HOUR) + 1)]
        if partial:
            assert until is not None
            ends.append(until)
        for key, points in last.items():
            previous: float | None = None
            before = sorted(t for t in points if t <= start)
            if before:
                previous = points[before[-1]]
            hour_start = start
            for t in ends:
                current = points.get(t)
                if current is None:
                    hour_start = t
                    continue  # no sample this hour: nothing added, the last value carries
                if previous is not None and current < previous:
                    flagged[hour_start].add(key)  # a reset across the hour's start
                if key not in flagged.get(hour_start, ()):
                    increase = current - (previous or 0.0)
                    if increase:
                        read.increases[key][hour_start] = increase
                previous = current
                hour_start = t
        self._count_reset_hours(selector, flagged, last, start=start, until=until, read=read)
        return read

    def _reset_hours(
        self,
        selector: str,
        *,
        start: dt.datetime,
        end: dt.datetime,
        until: dt.datetime | None,
        read: CounterRead,
    ) -> dict[dt.datetime, set[Labels]]:
        """Series that reset, per hour start."""
        flagged: dict[dt.datetime, set[Labels]] = defaultdict(set)
        cursor = start
        while cursor < end:
            stop = min(cursor + MAX_STEPS * HOUR, end)
            for labels, values in self.prometheus.query_range_raw(
                RESET_HOURS.format(selector=selector, range="1h"),
                start=cursor + HOUR,
                end=stop,
                step=HOUR,
            ):
                for ts, _ in values:
                    flagged[dt.datetime.fromtimestamp(ts, tz=dt.UTC) - HOUR].add(_key(labels))
            read.queries += 1
            cursor = stop
        if until is not None:
            promql = RESET_HOURS.format(selector=selector, range=_seconds(until - end))
            for sample in self.prometheus.query(promql, at=until):
                flagged[end].add(_key(sample.labels))
            read.queries += 1
        return flagged

    def _count_reset_hours(
        self,
        selector: str,
        flagged: dict[dt.datetime, set[Labels]],
        last: dict[Labels, dict[dt.datetime, float]],
        *,
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
            for labels, samples in raw:
                key = _key(labels)
                if key not in keys:
                    continue
                points = last.get(key, {})
                earlier = [t for t in points if t <= hour_start]
                previous = points[max(earlier)] if earlier else 0.0
                increase = 0.0
                for ts, value in samples:
                    if ts <= hour_start.timestamp() or math.isnan(value):
                        continue
                    increase += value - previous if value >= previous else value
                    previous = value
                if increase:
                    read.increases[key][hour_start] = increase
