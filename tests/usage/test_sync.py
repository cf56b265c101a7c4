"""Usage sync against a real Prometheus loaded with known series (both dialects)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.main import create_app
from portal_api.sources.bundle import Sources
from portal_api.sources.counters import CHUNK_STEPS
from portal_api.sources.prometheus import PrometheusSource
from portal_api.usage.models import UsageDaily, UsageHourly
from tests.conftest import bearer
from tests.servers.prometheus import PrometheusFactory, PromSeries
from tests.sync.helpers import sync_pass

HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
# On the hour, two days back: far outside Prometheus' head block.
T0 = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
NOW = T0 + 3 * HOUR + 10 * MINUTE
MINUTES = 180
CHAT = {"backstage_io_kubernetes_id": "chat", "namespace": "team-a"}


def counter(
    name: str, labels: dict[str, str], value: Callable[[int], float], first: int = 0
) -> PromSeries:
    """A counter sampled every minute from minute ``first`` to MINUTES after T0."""
    return PromSeries(
        name, labels, [(T0 + m * MINUTE, value(m)) for m in range(first, MINUTES + 1)]
    )


def otel_series() -> list[PromSeries]:
    tokens = "gen_ai_client_token_usage_sum"
    gpt = {**CHAT, "gen_ai_request_model": "gpt-4o", "gen_ai_provider_name": "openai"}
    ops = "gen_ai_client_operation_duration_seconds"
    return [
        # 10 input tokens a minute; the process restarts at minute 91 (counter reset).
        counter(
            tokens,
            {**gpt, "gen_ai_token_type": "input"},
            lambda m: 10 * m if m <= 90 else 10 * (m - 90),
        ),
        counter(tokens, {**gpt, "gen_ai_token_type": "output"}, lambda m: 4 * m),
        # An older instrumentation (gen_ai_system) and an app that starts at minute 75.
        counter(
            tokens,
            {
                "backstage_io_kubernetes_id": "late",
                "namespace": "team-b",
                "gen_ai_request_model": "mystery-model",
                "gen_ai_system": "acme",
                "gen_ai_token_type": "input",
            },
            lambda m: 5 * (m - 75),
            first=75,
        ),
        # A self-hosted model, and the GPUs its serving pods request (kube-state-metrics)
        # from the first minute after T0.
        counter(
            tokens,
            {**CHAT, "gen_ai_request_model": "llama-3.1-8b-instruct", "gen_ai_token_type": "input"},
            lambda m: 2 * m,
        ),
        PromSeries(
            "kube_pod_container_resource_requests",
            {
                "namespace": "ml",
                "pod": "llama-0",
                "container": "vllm",
                "resource": "nvidia_com_gpu",
            },
            [(T0 + m * MINUTE, 2.0) for m in range(1, MINUTES + 1)],
        ),
        PromSeries(
            "kube_pod_labels",
            {
                "namespace": "ml",
                "pod": "llama-0",
                "label_backstage_io_kubernetes_id": "llama-serve",
            },
            [(T0 + m * MINUTE, 1.0) for m in range(1, MINUTES + 1)],
        ),
        # Requests: 2 a minute succeed, 0.1 a minute fail.
        counter(f"{ops}_count", {**CHAT, "gen_ai_request_model": "gpt-4o"}, lambda m: 2 * m),
        counter(
            f"{ops}_count",
            {**CHAT, "gen_ai_request_model": "gpt-4o", "error_type": "timeout"},
            lambda m: 0.1 * m,
        ),
        # Latency histogram: per hour 60 under 0.5 s, 90 under 1 s, 114 under 2 s, 120 in all.
        *[
            counter(
                f"{ops}_bucket",
                {**CHAT, "gen_ai_request_model": "gpt-4o", "le": le},
                lambda m, rate=rate: rate * m,
            )
            for le, rate in (("0.5", 1.0), ("1.0", 1.5), ("2.0", 1.9), ("+Inf", 2.0))
        ],
    ]


@pytest.fixture(scope="module")
def otel_prom(prometheus_factory: PrometheusFactory) -> PrometheusSource:
    return PrometheusSource(prometheus_factory.start(otel_series()).url, timeout=10)


def sync(db: Database, prom: PrometheusSource, settings: Settings, now: dt.datetime = NOW) -> None:
    results = sync_pass(db, settings, now, prometheus=prom)
    failed = [r for r in results if not r.ok]
    assert not failed, failed


def hourly(db: Database, app: str, model: str) -> dict[dt.datetime, UsageHourly]:
    with db.session() as session:
        rows = session.exec(
            select(UsageHourly).where(UsageHourly.app == app, UsageHourly.model == model)
        ).all()
    return {r.hour: r for r in rows}


def test_hourly_tokens_across_a_counter_reset(
    db: Database, otel_prom: PrometheusSource, prom_settings: Settings
) -> None:
    sync(db, otel_prom, prom_settings)
    rows = hourly(db, "chat", "gpt-4o")
    assert sorted(rows) == [T0, T0 + HOUR, T0 + 2 * HOUR]
    # 10 tokens a minute in every hour, the hour of the reset included (no negative delta,
    # no lost tokens): 600 input and 240 output tokens per hour.
    assert [rows[h].input_tokens for h in sorted(rows)] == [600, 600, 600]
    assert [rows[h].output_tokens for h in sorted(rows)] == [240, 240, 240]
    first = rows[T0]
    assert (first.namespace, first.provider) == ("team-a", "openai")
    assert first.requests == 126  # 120 succeeded + 6 failed
    assert first.errors == 6
    assert first.latency_p50 == pytest.approx(0.5)
    assert first.latency_p95 == pytest.approx(2.0)


def test_an_app_that_starts_mid_window(
    db: Database, otel_prom: PrometheusSource, prom_settings: Settings
) -> None:
    sync(db, otel_prom, prom_settings)
    rows = hourly(db, "late", "mystery-model")
    # Starts at minute 75 at 0: 5 tokens a minute -> 225 in the hour to 120, 300 after.
    assert {h: r.input_tokens for h, r in rows.items()} == {T0 + HOUR: 225, T0 + 2 * HOUR: 300}
    assert rows[T0 + HOUR].provider == "acme"  # from the pre-1.37 gen_ai_system label


def test_daily_rollup_sums_the_hours(
    db: Database, otel_prom: PrometheusSource, prom_settings: Settings
) -> None:
    sync(db, otel_prom, prom_settings)
    with db.session() as session:
        days = session.exec(select(UsageDaily).where(UsageDaily.app == "chat")).all()
    by_model: dict[str, int] = {}
    for d in days:
        by_model[d.model] = by_model.get(d.model, 0) + d.input_tokens
    assert by_model == {"gpt-4o": 1800, "llama-3.1-8b-instruct": 360}


def test_rerunning_sync_never_double_counts(
    db: Database, otel_prom: PrometheusSource, prom_settings: Settings
) -> None:
    sync(db, otel_prom, prom_settings)
    sync(db, otel_prom, prom_settings)  # same window again
    sync(db, otel_prom, prom_settings, now=NOW + 2 * HOUR)  # incremental, overlapping
    rows = hourly(db, "chat", "gpt-4o")
    assert sum(r.input_tokens for r in rows.values()) == 1800
    with db.session() as session:
        daily = session.exec(
            select(UsageDaily).where(UsageDaily.app == "chat", UsageDaily.model == "gpt-4o")
        ).all()
    assert sum(d.input_tokens for d in daily) == 1800


def test_queries_do_not_grow_with_apps(
    db: Database, otel_prom: PrometheusSource, prom_settings: Settings
) -> None:
    results = sync_pass(db, prom_settings, NOW, prometheus=otel_prom)
    usage = next(r for r in results if r.step == "prometheus/usage")
    # Per counter (token sums, operation counts): the retention edge, the hourly last values
    # (the day and its warm-up day, CHUNK_STEPS hours a query), the reset hours, and both
    # again for the current hour; 4 quantiles for the full hours and 4 for the current one;
    # one raw read for the one hour in which a counter reset. Whatever the number of apps.
    chunks = -(-(24 + 24 + 1) // CHUNK_STEPS)
    assert usage.stats["queries"] == 2 * (4 + chunks) + 8 + 1
    assert usage.stats["hourly_rows"] == 3 + 2 + 3
    # The daily rows it wrote, as stored (PostgreSQL's driver does not count INSERT ... SELECT).
    with db.session() as session:
        assert usage.stats["daily_rows"] == len(session.exec(select(UsageDaily)).all()) > 0


def test_prometheus_down_reads_answer_stale(
    db: Database, otel_prom: PrometheusSource, prom_settings: Settings, settings: Settings
) -> None:
    sync(db, otel_prom, prom_settings)
    down = PrometheusSource("http://127.0.0.1:18399", timeout=2)
    results = sync_pass(db, prom_settings, NOW + HOUR, prometheus=down)
    assert not next(r for r in results if r.step == "prometheus/usage").ok
    # The API configured with the Prometheus that is down: its reads say stale.
    with TestClient(create_app(settings, db=db, sources=Sources(prometheus=down))) as client:
        response = client.get(
            "/api/v1/apps/chat/usage",
            params={"from": T0.isoformat(), "to": (T0 + 3 * HOUR).isoformat(), "step": "hour"},
            headers=bearer("read"),
        )
    assert response.status_code == 200
    assert response.headers["X-Portal-Stale"] == "true"
    body = response.json()
    assert (body["freshness"]["stale"], body["freshness"]["state"]) == (True, "failing")
    assert "prometheus" in body["freshness"]["last_error"]
    gpt = [b for b in body["buckets"] if b["model"] == "gpt-4o"]
    assert [b["input_tokens"] for b in gpt] == [600, 600, 600]


def litellm_series() -> list[PromSeries]:
    labels = {"api_key_alias": "rag", "team": "search", "model": "gpt-4o-mini"}
    return [
        counter("litellm_input_tokens_metric_total", labels, lambda m: 20 * m),
        counter("litellm_output_tokens_metric_total", labels, lambda m: 5 * m),
        counter("litellm_input_cached_tokens_metric_total", labels, lambda m: 8 * m),
        counter("litellm_proxy_total_requests_metric_total", labels, lambda m: m),
        counter("litellm_proxy_failed_requests_metric_total", labels, lambda m: 0.05 * m),
        # No app label: usage nobody can be charged for is left out.
        counter("litellm_input_tokens_metric_total", {"model": "gpt-4o-mini"}, lambda m: m),
    ]


def test_litellm_dialect(
    db: Database, prometheus_factory: PrometheusFactory, prom_settings: Settings
) -> None:
    prom = PrometheusSource(prometheus_factory.start(litellm_series()).url, timeout=10)
    sync(db, prom, prom_settings.model_copy(update={"usage_dialect": "litellm"}))
    rows = hourly(db, "rag", "gpt-4o-mini")
    assert sorted(rows) == [T0, T0 + HOUR, T0 + 2 * HOUR]
    for row in rows.values():
        assert (row.input_tokens, row.output_tokens, row.cached_input_tokens) == (1200, 300, 480)
        assert (row.requests, row.errors) == (60, 3)
    with db.session() as session:
        apps = set(session.exec(select(UsageHourly.app)).all())
    assert apps == {"rag"}


def test_usage_reads_check_their_input(client: TestClient, db: Database) -> None:  # noqa: ARG001
    url = "/api/v1/apps/nobody/usage"
    assert client.get(url, headers=bearer("read")).status_code == 404
    assert client.get("/api/v1/apps/nobody/costs", headers=bearer("read")).status_code == 404
    cases = [
        {"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
        {"from": "2026-01-01T00:00:00", "to": "2026-01-02T00:00:00"},
        {"from": "2024-01-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"},
        {"from": "2026-01-01T00:00:00Z", "to": "2026-03-01T00:00:00Z", "step": "hour"},
        {"step": "fortnight"},
        {"from": "yesterday"},
    ]
    for params in cases:
        response = client.get("/api/v1/apps/chat/usage", params=params, headers=bearer("read"))
        assert response.status_code == 422, params
        assert response.json()["error"] == "ValidationError"
