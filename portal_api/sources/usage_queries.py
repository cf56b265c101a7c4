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
import time
from array import array
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pydantic import BaseModel

from portal_api.config import Settings
from portal_api.kit.memory import one_heap, release_freed_memory
from portal_api.sources.counters import CounterRead, CounterReader
from portal_api.sources.prometheus import PrometheusSource
from portal_api.sources.usage_rows import UsageReadResult, UsageSeries

_ZERO = 0.0

HOUR = dt.timedelta(hours=1)
# A range query returns at most 11,000 points per series: stay well below with 10-day chunks.
CHUNK = dt.timedelta(days=10)
# A long window (a backfill, a catch-up) is read in parts of at most this many whole days,
# the next one read while the caller stores the one before (``read_parts``).
PART_DAYS = 10

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


class GpuPoint(BaseModel):
    """GPU-hours requested by an app's pods in the hour that starts at ``hour``."""

    hour: dt.datetime
    app: str
    namespace: str
    gpu_hours: float


def _labelname(value: str) -> str:
    """Prometheus label names: [a-zA-Z_][a-zA-Z0-9_]*; anything else would inject PromQL."""
    if not value or not (value[0].isalpha() or value[0] == "_"):
        raise ValueError(f"not a Prometheus label name: {value!r}")
    if not all(c.isalnum() or c == "_" for c in value):
        raise ValueError(f"not a Prometheus label name: {value!r}")
    return value


def part_bounds(
    start: dt.datetime, end: dt.datetime, days: int
) -> list[tuple[dt.datetime, dt.datetime]]:
    """[start, end) cut at midnights ``days`` apart (counted from the day ``start`` is in), so
    that every part but the first and last holds whole days; at least one part."""
    bounds, cursor = [], start
    cut = start.replace(hour=0) + dt.timedelta(days=days)
    while cut < end:
        bounds.append((cursor, cut))
        cursor, cut = cut, cut + dt.timedelta(days=days)
    bounds.append((cursor, end))
    return bounds


@dataclass
class PartRead:
    """One part of a window read in parts: its hours [start, end) (and the partial hour after
    the last part), what was read, and what the read took in its thread."""

    start: dt.datetime
    end: dt.datetime
    read: UsageReadResult
    seconds: float
    cpu: float


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

    def read_parts(
        self, *, start: dt.datetime, end: dt.datetime, until: dt.datetime | None = None
    ) -> Iterator[PartRead]:
        """``read_hourly`` of [start, end) (and the partial hour up to ``until``) in parts of
        at most PART_DAYS days, each counted exactly as one read of the whole window would
        count it. The next part is read in a thread while the caller stores the one it was
        given: Prometheus answers and this process decodes while the database writes. At
        most two parts are held at once.

        Raises:
            SourceError: Prometheus failed or could not be reached (the parts already given
                stay given: the caller's transaction decides what is kept).
        """
        bounds = part_bounds(start, end, PART_DAYS)
        whole_until = until if until is not None and until > end else end

        def read(i: int, after: dict[str, CounterRead] | None) -> PartRead:
            a, b = bounds[i]
            began, cpu = time.perf_counter(), time.thread_time()
            last = i == len(bounds) - 1
            result = self.read_hourly(
                start=a, end=b, until=until if last else None, after=after, whole_until=whole_until
            )
            return PartRead(a, b, result, time.perf_counter() - began, time.thread_time() - cpu)

        one_heap()  # the reader's frees reused by the stores, and the other way round
        pool = ThreadPoolExecutor(1, thread_name_prefix="usage-read-ahead")
        try:
            pending = pool.submit(read, 0, None)
            for i in range(len(bounds)):
                part = pending.result()
                if i + 1 < len(bounds):
                    pending = pool.submit(read, i + 1, part.read.counters)
                yield part
                del part
        finally:  # a failed store does not wait for the part still being read
            pool.shutdown(wait=False, cancel_futures=True)

    def read_hourly(
        self,
        *,
        start: dt.datetime,
        end: dt.datetime,
        until: dt.datetime | None = None,
        after: dict[str, CounterRead] | None = None,
        whole_until: dt.datetime | None = None,
    ) -> UsageReadResult:
        """Usage per app and model for every full hour in [start, end), and for the partial
        hour [end, until) when ``until`` (now) is later than ``end``.

        Args:
            start: first hour (aligned to the hour, aware).
            end: end of the last full hour (aligned, aware, exclusive).
            until: now: the current hour is read up to it (a partial bucket).
            after: the counters' reads of the part before (``UsageReadResult.counters``), when
                the window is read in parts (``read_parts``).
            whole_until: the end (or now) of the whole window read in parts.

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
            read = reader.hourly(
                metric,
                start=start,
                end=end,
                until=until,
                after=(after or {}).get(name),
                whole_until=whole_until,
            )
            result.counters[name] = read
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
