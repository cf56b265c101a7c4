"""CounterReader at Prometheus' retention edge: a backfill older than the retained data must not
count the whole cumulative value of every series that was already running at the edge."""

from __future__ import annotations

import datetime as dt

from portal_api.sources.counters import CounterReader
from portal_api.sources.prometheus import PrometheusSource
from tests.servers.prometheus import PrometheusFactory, PromSeries

HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
# The oldest retained sample, mid-hour, two days back (out of Prometheus' head block).
EDGE = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).replace(minute=20, second=0, microsecond=0)
LAST = EDGE + 5 * HOUR


def test_series_running_at_the_retention_edge_are_not_new(
    prometheus_factory: PrometheusFactory,
) -> None:
    minutes = range(int((LAST - EDGE) / MINUTE))
    labels = {"backstage_io_kubernetes_id": "chat"}
    old = PromSeries(
        "tokens_total",
        {**labels, "pod": "old"},
        [(EDGE + m * MINUTE, 100_000.0 + 5 * m) for m in minutes],
    )
    new_start = EDGE.replace(minute=0) + 3 * HOUR + 10 * MINUTE
    new = PromSeries(
        "tokens_total",
        {**labels, "pod": "new"},
        [(new_start + m * MINUTE, 7.0 + 2 * m) for m in minutes if new_start + m * MINUTE < LAST],
    )
    lowest = PromSeries(
        "prometheus_tsdb_lowest_timestamp_seconds",
        {"job": "prometheus"},
        [(EDGE + m * MINUTE, EDGE.timestamp()) for m in minutes],
    )
    prom = PrometheusSource(prometheus_factory.start([old, new, lowest]).url, timeout=30)
    start = EDGE.replace(minute=0) - dt.timedelta(days=1)  # a backfill beyond the edge
    end = LAST.replace(minute=0) + HOUR
    read = CounterReader(prom).hourly("tokens_total", start=start, end=end, until=None)
    by_pod = {labels["pod"]: hours for labels, hours in read.series()}
    first_full = EDGE.replace(minute=0) + HOUR
    # The old pod: nothing of its 100,000 tokens from before the edge; from its second hour on,
    # 5 a minute (the hour at the edge itself is counted from its last value, the sample on
    # the hour, minute 40: a sample at the hour's end belongs to that hour).
    assert min(by_pod["old"]) == first_full
    assert sum(by_pod["old"].values()) == 5 * (len(minutes) - 1 - 40)
    # The new pod starts inside the retained data: its first value (7) counts whole.
    assert by_pod["new"][new_start.replace(minute=0)] == 7 + 2 * 50
    assert sum(by_pod["new"].values()) == 7 + 2 * (int((LAST - new_start) / MINUTE) - 1)
