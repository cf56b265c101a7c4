"""Usage read from Prometheus: tokens, requests, errors, latency and GPUs per app and model.

Two dialects: OpenTelemetry GenAI semantic conventions (the default) and a LiteLLM proxy's
metrics. Counters (tokens, requests, errors) are counted exactly per series and hour by
``CounterReader`` (series that start, restart or stop inside an hour; both provider labels
and every pod of an app summed); latency quantiles are estimated from histogram buckets.
Every query covers all apps at once, so the number of queries per sync does not depend on
the number of apps.
"""

from __future__ import annotations

import datetime as dt
import math
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import add
from typing import Any

from pydantic import BaseModel

from portal_api.config import Settings
from portal_api.kit.memory import release_freed_memory
from portal_api.sources.counters import CounterReader
from portal_api.sources.prometheus import PrometheusSource

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
# A range query returns at most 11,000 points per series: stay well below with 10-day chunks.
CHUNK = dt.timedelta(days=10)

OTEL_METRICS = {
    "token_usage": "gen_ai_client_token_usage_sum",
    "operation_count": "gen_ai_client_operation_duration_seconds_count",
    "operation_bucket": "gen_ai_client_operation_duration_seconds_bucket",
    "ttft_bucket": "gen_ai_server_time_to_first_token_seconds_bucket",
}
LITELLM_METRICS = {
    "input_tokens": "litellm_input_tokens_metric_total",
    "output_tokens": "litellm_output_tokens_metric_total",
    "cached_input_tokens": "litellm_input_cached_tokens_metric_total",
    "requests": "litellm_proxy_total_requests_metric_total",
    "failed_requests": "litellm_proxy_failed_requests_metric_total",
    "latency_bucket": "litellm_request_total_latency_metric_bucket",
    "ttft_bucket": "litellm_llm_api_time_to_first_token_metric_bucket",
}
GPU_REQUESTS_METRIC = "kube_pod_container_resource_requests"
POD_LABELS_METRIC = "kube_pod_labels"

# --- OpenTelemetry GenAI (semconv 1.41). `gen_ai_system` is the pre-1.37 provider label.
OTEL_MODEL = "gen_ai_request_model"
# Counters (token sums, operation counts) are read exactly by CounterReader; quantiles are
# estimates from histogram buckets.
OTEL_QUANTILE = (
    "histogram_quantile({q}, sum by (namespace, {app}, gen_ai_request_model, le)"
    " (increase({bucket}[{window}])))"
)

# --- LiteLLM proxy: `model` names the model, the app is a configurable label (key alias).
LITELLM_MODEL = "model"
LITELLM_APP_LABEL = "api_key_alias"
LITELLM_QUANTILE = (
    "histogram_quantile({q}, sum by (namespace, {app}, model, le) (increase({bucket}[{window}])))"
)

# GPU-hours per hour: the GPUs each pod requests, joined to the pod's app label from
# kube_pod_labels (kube-state-metrics prefixes pod labels with `label_`), sampled every minute
# of the hour: a pod that runs for 20 minutes of an hour counts for a third of it. The range
# is 3599 s so that it holds 60 minute-points whether range selectors are left-closed
# (Prometheus 2) or left-open (Prometheus 3).
GPU_HOURS = (
    "sum by (namespace, {pod_app}) (sum_over_time(("
    '{requests}{{resource="nvidia_com_gpu"}}'
    " * on (namespace, pod) group_left ({pod_app})"
    " max by (namespace, pod, {pod_app}) ({labels}))[3599s:1m])) / 60"
)

TOKEN_TYPES = {
    "input": "input",
    "output": "output",
    "cached_input": "cached_input",
    "cache_read": "cached_input",
}


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


class GpuPoint(BaseModel):
    """GPU-hours requested by an app's pods in the hour that starts at ``hour``."""

    hour: dt.datetime
    app: str
    namespace: str
    gpu_hours: float


_ZERO = 0.0
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


@dataclass
class UsageReadResult:
    """Usage per app and model over ``hours`` (the hours' starts), and the queries it took."""

    hours: list[dt.datetime] = field(default_factory=list)
    series: dict[tuple[str, str, str], UsageSeries] = field(default_factory=dict)
    queries: int = 0

    def _by_hour(self) -> Iterator[tuple[int, dt.datetime, list[tuple[Any, ...]]]]:
        """Per hour (its index and start), the series with any activity in it, in key order
        (the order of the unique index on hour, app, namespace, model: a large load appends
        to it instead of touching it all over): (series, provider of hour j, whether it has
        any quantile, the five counts, the four quantiles)."""
        hours = self.hours
        zeros = array("d", bytes(8 * len(hours)))
        unknown = array("d", [math.nan]) * len(hours)
        columns: list[tuple[Any, ...]] = [
            (
                s,
                s.provider_of(),
                any(n in s.values for n in QUANTILES),
                *(s.values.get(n, zeros) for n in COUNTS),
                *(s.values.get(n, unknown) for n in QUANTILES),
            )
            for s in sorted(self.series.values(), key=lambda s: (s.app, s.namespace, s.model))
        ]
        for j, hour in enumerate(hours):
            yield j, hour, [c for c in columns if c[3][j] or c[4][j] or c[5][j] or c[6][j]]

    def runs(self) -> Iterator[tuple[tuple[dt.datetime, dt.datetime], int, list[Any]]]:
        """The rows (``ROW_COLUMNS``) of each hour as runs sharing the hour and its day
        (``db.SharedRuns``): the series without any quantile (most) without their four, which
        stay NULL, then the others; each in key order."""
        plain_width = len(ROW_COLUMNS) - 2 - len(QUANTILES)
        for j, hour, active in self._by_hour():
            head = (hour, hour.replace(hour=0))
            plain: list[Any] = []
            estimated: list[Any] = []
            for s, provider, has_quantiles, i, o, c, r, e, *quantiles in active:
                own = (
                    s.app, s.namespace, s.model, provider(j),
                    round(i[j]), round(o[j]), round(c[j]), round(r[j]), round(e[j]),
                )  # fmt: skip
                if not has_quantiles:
                    plain.extend(own)
                    continue
                estimated.extend(own)
                estimated.extend(q[j] if q[j] == q[j] else None for q in quantiles)
            if plain:
                yield head, plain_width, plain
            if estimated:
                yield head, plain_width + len(QUANTILES), estimated

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
            hour.extend((*head, *values[k : k + own], *pad) for k in range(0, len(values), own))
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
                    names = {p for p, _ in s.providers}
                    only = field(next(iter(names))) + "\t" if len(names) == 1 else None
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
        ordered = [
            _SeriesDays(s, len(read.hours))
            for s in sorted(read.series.values(), key=lambda s: (s.app, s.namespace, s.model))
        ]
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
        stored = 0
        for x in self.counts[:4]:  # tokens or requests: errors alone store no row
            if x is not None:
                stored |= int.from_bytes(bytes(map(bool, x)), "big")
        self.stored = stored.to_bytes(size, "big")
        # Counts that are all whole numbers (nearly all: tokens, requests) sum as floats,
        # exactly, without rounding each hour first.
        self.whole = [
            x is not None and all(map(float.is_integer, x)) and max(x, default=0.0) < 2.0**47
            for x in self.counts
        ]
        self.quantiles = [values.get(n) for n in QUANTILES]
        names = {p for p, _ in series.providers}
        self.only = next(iter(names)) if len(names) == 1 else None
        self.provider_of = None if len(names) == 1 else series.provider_of()

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


def _labelname(value: str) -> str:
    """Prometheus label names: [a-zA-Z_][a-zA-Z0-9_]*; anything else would inject PromQL."""
    if not value or not (value[0].isalpha() or value[0] == "_"):
        raise ValueError(f"not a Prometheus label name: {value!r}")
    if not all(c.isalnum() or c == "_" for c in value):
        raise ValueError(f"not a Prometheus label name: {value!r}")
    return value


def hour_chunks(start: dt.datetime, end: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Split [start, end) into hour-aligned chunks of at most CHUNK."""
    cursor = start
    while cursor < end:
        stop = min(cursor + CHUNK, end)
        yield cursor, stop
        cursor = stop


class PrometheusUsageReader:
    """Reads hourly usage from Prometheus in one dialect."""

    def __init__(
        self,
        prometheus: PrometheusSource,
        *,
        dialect: str = "otel",
        app_label: str | None = None,
        metrics: dict[str, str] | None = None,
    ) -> None:
        self.prometheus = prometheus
        self.dialect = dialect
        defaults = LITELLM_METRICS if dialect == "litellm" else OTEL_METRICS
        unknown = set(metrics or {}) - set(defaults)
        if unknown:
            raise ValueError(f"unknown usage metric roles for {dialect}: {sorted(unknown)}")
        self.metrics = {k: _labelname(v) for k, v in {**defaults, **(metrics or {})}.items()}
        default_label = LITELLM_APP_LABEL if dialect == "litellm" else None
        self.app_label = _labelname(app_label or default_label or "backstage_io_kubernetes_id")

    @classmethod
    def from_settings(
        cls, prometheus: PrometheusSource, settings: Settings
    ) -> PrometheusUsageReader:
        label: str | None = settings.prometheus_app_label
        if settings.usage_dialect == "litellm" and label == "backstage_io_kubernetes_id":
            label = None  # LiteLLM series do not carry the pod label; use its key alias
        return cls(
            prometheus,
            dialect=settings.usage_dialect,
            app_label=label,
            metrics=settings.usage_metrics,
        )

    @property
    def model_label(self) -> str:
        return LITELLM_MODEL if self.dialect == "litellm" else OTEL_MODEL

    def counters(self) -> dict[str, str]:
        """The counters read exactly, by the field they fill (``tokens`` and ``operations``
        fill several: token types, requests and errors)."""
        m = self.metrics
        if self.dialect == "litellm":
            return {
                "input_tokens": m["input_tokens"],
                "output_tokens": m["output_tokens"],
                "cached_input_tokens": m["cached_input_tokens"],
                "requests": m["requests"],
                "errors": m["failed_requests"],
            }
        return {"tokens": m["token_usage"], "operations": m["operation_count"]}

    def quantiles(self, window: str) -> dict[str, str]:
        """Latency and TTFT quantile queries over ``window`` (histograms: estimates anyway)."""
        app, m = self.app_label, self.metrics
        template = LITELLM_QUANTILE if self.dialect == "litellm" else OTEL_QUANTILE
        latency = m["latency_bucket" if self.dialect == "litellm" else "operation_bucket"]
        return {
            "latency_p50": template.format(q=0.5, app=app, bucket=latency, window=window),
            "latency_p95": template.format(q=0.95, app=app, bucket=latency, window=window),
            "ttft_p50": template.format(q=0.5, app=app, bucket=m["ttft_bucket"], window=window),
            "ttft_p95": template.format(q=0.95, app=app, bucket=m["ttft_bucket"], window=window),
        }

    def read_hourly(
        self, *, start: dt.datetime, end: dt.datetime, until: dt.datetime | None = None
    ) -> UsageReadResult:
        """Usage per app and model for every full hour in [start, end), and for the partial
        hour [end, until) when ``until`` (now) is later than ``end``.

        Args:
            start: first hour (aligned to the hour, aware).
            end: end of the last full hour (aligned, aware, exclusive).
            until: now: the current hour is read up to it (a partial bucket).

        Returns:
            One UsagePoint per app, model and hour with any activity, and the query count.

        Raises:
            SourceError: Prometheus failed or could not be reached.
        """
        full = int((end - start) / HOUR)
        partial = until is not None and until > end
        result = UsageReadResult(
            hours=[start + HOUR * j for j in range(full)] + ([end] if partial else [])
        )

        def usage_of(labels: dict[str, str]) -> UsageSeries | None:
            app = labels.get(self.app_label, "")
            model = labels.get(self.model_label, "")
            if not app or not model:
                return None  # usage nobody can be charged for: not an app's
            namespace = labels.get("namespace", "")
            key = (app, namespace, model)
            found = result.series.get(key)
            if found is None:
                found = result.series[key] = UsageSeries(app, namespace, model)
            return found

        reader = CounterReader(self.prometheus, narrow_label=self.app_label)
        for name, metric in self.counters().items():
            read = reader.hourly(metric, start=start, end=end, until=until)
            release_freed_memory()  # its answers and hour-end values, before the next counter
            result.queries += read.queries
            for key in list(read.increases):  # in reading order, each let go once added
                increases = read.increases.pop(key)
                labels = dict(key)
                if name == "tokens":
                    kind = TOKEN_TYPES.get(labels.get("gen_ai_token_type", ""))
                    if kind is None:
                        continue
                    targets = [f"{kind}_tokens"]
                elif name == "operations":
                    targets = ["requests", "errors"] if labels.get("error_type") else ["requests"]
                else:
                    targets = [name]
                if not any(v > 0 for v in increases):
                    continue
                target = usage_of(labels)
                if target is None:
                    continue  # not an app's series
                for field_name in targets:
                    target.add(field_name, increases)
                provider = labels.get("gen_ai_provider_name") or labels.get("gen_ai_system")
                target.providers.append((provider, bytes(map(_ZERO.__lt__, increases))))
        self._read_quantiles(usage_of, start=start, end=end, until=until, result=result)
        return result

    def _read_quantiles(
        self,
        usage_of: Callable[[dict[str, str]], UsageSeries | None],
        *,
        start: dt.datetime,
        end: dt.datetime,
        until: dt.datetime | None,
        result: UsageReadResult,
    ) -> None:
        size = len(result.hours)
        origin = start.timestamp()

        def estimate(target: UsageSeries, name: str, j: int, value: float) -> None:
            values = target.values.get(name)
            if values is None:
                values = target.values[name] = array("d", [math.nan]) * size
            values[j] = value

        for chunk_start, chunk_end in hour_chunks(start, end):
            for name, promql in self.quantiles("1h").items():
                # Evaluated at T, a [1h] window covers the hour that starts at T - 1h.
                series_list = self.prometheus.query_range_columns(
                    promql, start=chunk_start + HOUR, end=chunk_end, step=HOUR
                )
                result.queries += 1
                for labels, times, values in series_list:
                    target = usage_of(labels)
                    if target is None:
                        continue
                    for ts, value in zip(times, values, strict=True):
                        if not math.isnan(value):
                            estimate(target, name, round((ts - origin) / 3600) - 1, value)
        if until is not None and until > end:
            window = f"{max(int((until - end).total_seconds()), 1)}s"
            for name, promql in self.quantiles(window).items():
                result.queries += 1
                for sample in self.prometheus.query(promql, at=until):
                    target = usage_of(sample.labels)
                    if target is not None and not math.isnan(sample.value):
                        estimate(target, name, size - 1, sample.value)

    def read_gpu_hours(self, *, start: dt.datetime, end: dt.datetime) -> tuple[list[GpuPoint], int]:
        """GPU-hours requested per app (by its pods' app label) for every hour in [start, end).

        Raises:
            SourceError: Prometheus failed or could not be reached.
        """
        pod_app = _labelname(f"label_{self.app_label}")
        promql = GPU_HOURS.format(
            pod_app=pod_app, requests=GPU_REQUESTS_METRIC, labels=POD_LABELS_METRIC
        )
        points: list[GpuPoint] = []
        queries = 0
        for chunk_start, chunk_end in hour_chunks(start, end):
            queries += 1
            for series in self.prometheus.query_range(
                promql, start=chunk_start + HOUR, end=chunk_end, step=HOUR
            ):
                app = series.labels.get(pod_app, "")
                if not app:
                    continue
                for ts, value in series.points:
                    if not math.isnan(value) and value > 0:
                        points.append(
                            GpuPoint(
                                hour=ts - HOUR,
                                app=app,
                                namespace=series.labels.get("namespace", ""),
                                gpu_hours=value,
                            )
                        )
        return points, queries
