"""The Prometheus adapter against a real Prometheus server loaded with known series."""

from __future__ import annotations

import datetime as dt

import pytest

from portal_api.config import Settings
from portal_api.errors import SourceError
from portal_api.sources.prometheus import PrometheusSource
from tests.servers.prometheus import PrometheusFactory, PromSeries

HOUR = dt.timedelta(hours=1)
# On the hour, well outside Prometheus' head block (backfill must be older than 3 h).
T0 = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)


def _counter(labels: dict[str, str], per_minute: float, minutes: int) -> PromSeries:
    return PromSeries(
        "gen_ai_client_token_usage_sum",
        labels,
        [(T0 + dt.timedelta(minutes=m), per_minute * m) for m in range(minutes + 1)],
    )


@pytest.fixture(scope="module")
def prom(prometheus_factory: PrometheusFactory) -> PrometheusSource:
    server = prometheus_factory.start(
        [
            _counter({"gen_ai_token_type": "input", "app": "chat"}, 10, 120),
            _counter({"gen_ai_token_type": "output", "app": "chat"}, 4, 120),
        ]
    )
    return PrometheusSource(server.url, timeout=60)  # a busy machine: no 5 s limit on a real query


def test_instant_query_at_an_explicit_time(prom: PrometheusSource) -> None:
    samples = prom.query(
        "sum by (gen_ai_token_type) (increase(gen_ai_client_token_usage_sum[1h]))",
        at=T0 + 2 * HOUR,
    )
    got = {s.labels["gen_ai_token_type"]: s.value for s in samples}
    assert got == {"input": pytest.approx(600), "output": pytest.approx(240)}


def test_range_query_on_the_step_grid(prom: PrometheusSource) -> None:
    (series,) = prom.query_range(
        'sum(gen_ai_client_token_usage_sum{gen_ai_token_type="input"})',
        start=T0,
        end=T0 + 2 * HOUR,
        step=HOUR,
    )
    assert [t for t, _ in series.points] == [T0, T0 + HOUR, T0 + 2 * HOUR]
    assert [v for _, v in series.points] == [0, 600, 1200]


def test_scalar_results(prom: PrometheusSource) -> None:
    (sample,) = prom.query("scalar(vector(42))", at=T0)
    assert sample.value == 42


def test_bad_query_is_a_source_error(prom: PrometheusSource) -> None:
    with pytest.raises(SourceError, match="query failed") as info:
        prom.query("sum(", at=T0)
    assert info.value.status == 400  # Prometheus refuses a query it cannot parse


def test_down_prometheus_is_a_source_error() -> None:
    source = PrometheusSource("http://127.0.0.1:9", timeout=2)
    with pytest.raises(SourceError) as info:
        source.ping()
    assert info.value.source == "prometheus"
    assert info.value.status is None


@pytest.mark.parametrize(("compression", "encoding"), [(False, None), (True, "gzip")])
def test_answers_come_uncompressed_unless_compression_is_asked_for(
    prom: PrometheusSource, compression: bool, encoding: str | None
) -> None:
    # The sync reads hundreds of megabytes from a Prometheus next to it: gzip there costs
    # Prometheus' CPU for nothing, so it is asked for only where PORTAL_PROMETHEUS_COMPRESSION
    # says so; the answers are the same either way.
    source = PrometheusSource.from_settings(
        Settings(prometheus_url=prom.url, prometheus_compression=compression)
    )
    assert source is not None
    seen: list[str | None] = []
    source._session.hooks["response"].append(
        lambda response, *_args, **_kwargs: seen.append(response.headers.get("Content-Encoding"))
    )
    promql = 'sum by (gen_ai_token_type) (gen_ai_client_token_usage_sum{app="chat"})'
    got = source.query_range_columns(promql, start=T0, end=T0 + 2 * HOUR, step=HOUR)
    assert seen == [encoding]
    assert got == prom.query_range_columns(promql, start=T0, end=T0 + 2 * HOUR, step=HOUR)
    assert sorted(labels["gen_ai_token_type"] for labels, _, _ in got) == ["input", "output"]
