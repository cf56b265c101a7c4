"""Guardrail events through a real Prometheus: hourly rollups, spikes as findings, apps that
export no guardrail metric, and the trend endpoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.main import create_app
from portal_api.security.models import Finding, FindingStatus, GuardrailRollup
from portal_api.sources.bundle import Sources
from portal_api.sources.prometheus import PrometheusSource
from portal_api.sync.collector import StepResult
from tests.conftest import bearer
from tests.factories import make_app
from tests.servers.prometheus import PrometheusFactory, PromSeries
from tests.sync.helpers import sync_pass

HOUR = dt.timedelta(hours=1)
STEP = dt.timedelta(minutes=5)
# The sync runs "now" = END; all samples lie before it, and END is > 3 h in the past.
END = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
START = END - dt.timedelta(days=9)
SPIKE_FROM = END - dt.timedelta(hours=24)


def _counter(
    labels: dict[str, str], per_hour: float, spike_per_hour: float | None = None
) -> PromSeries:
    samples = []
    value = 100.0  # counters rarely start at zero in a scrape window
    t = START
    while t <= END - STEP:
        samples.append((t, value))
        rate = spike_per_hour if spike_per_hour is not None and t >= SPIKE_FROM else per_hour
        value += rate * STEP / HOUR
        t += STEP
    return PromSeries(
        "genai_guardrail_events_total",
        {"namespace": "support", **labels},
        samples,
    )


def _labels(app: str, rule: str, direction: str, action: str) -> dict[str, str]:
    return {
        "backstage_io_kubernetes_id": app,
        "rule": rule,
        "direction": direction,
        "action": action,
    }


@pytest.fixture(scope="module")
def prom(prometheus_factory: PrometheusFactory) -> PrometheusSource:
    server = prometheus_factory.start(
        [
            _counter(_labels("chat", "prompt_injection", "input", "blocked"), 1, 12),
            _counter(_labels("chat", "pii", "output", "flagged"), 2),
            _counter(_labels("search", "deny_list", "input", "blocked"), 3),
            _counter(_labels("ghost", "pii", "input", "flagged"), 5),
        ]
    )
    return PrometheusSource(server.url, timeout=10)


def _sync(
    db: Database, prom: PrometheusSource, settings: Settings, now: dt.datetime = END
) -> StepResult:
    results = sync_pass(db, settings, now, prometheus=prom, only={"prometheus"})
    return next(r for r in results if r.step == "prometheus/security-guardrails")


def _apps(db: Database) -> None:
    with db.session_scope() as session:
        for name in ("chat", "search", "silent"):
            make_app(session, name=name, now=START)


def test_rollups_spikes_and_missing_metrics(
    db: Database, prom: PrometheusSource, settings: Settings
) -> None:
    _apps(db)
    result = _sync(db, prom, settings)
    assert result.ok, result.error
    assert result.stats["unknown_apps"] == 1  # "ghost" is not registered
    assert result.stats["spikes"] == 1
    assert result.stats["apps_without_guardrails"] == 1

    with db.session() as session:
        rows = session.exec(select(GuardrailRollup)).all()
        findings = session.exec(select(Finding)).all()
    hourly = {(r.rule, r.action, r.hour): r.events for r in rows}
    quiet_hour = END - dt.timedelta(days=3)
    assert hourly[("prompt_injection", "blocked", quiet_hour)] == pytest.approx(1, rel=1e-6)
    assert hourly[("prompt_injection", "blocked", END - 2 * HOUR)] == pytest.approx(12, rel=1e-6)
    assert hourly[("pii", "flagged", quiet_hour)] == pytest.approx(2, rel=1e-6)
    assert hourly[("deny_list", "blocked", quiet_hour)] == pytest.approx(3, rel=1e-6)
    assert max(r.hour for r in rows) == END - HOUR

    (spike,) = [f for f in findings if f.source == "guardrail"]
    assert spike.check_id == "GUARDRAIL-SPIKE:prompt_injection:input"
    assert spike.severity == "high"
    assert spike.owasp == "LLM01"
    assert spike.data["blocked_24h"] == pytest.approx(12 * 24, rel=0.02)
    assert spike.data["baseline_daily"] == pytest.approx(24, rel=0.02)
    (missing,) = [f for f in findings if f.check_id == "GENAI-NO-GUARDRAIL-METRICS"]
    assert missing.resource == "App silent"
    assert missing.owasp == "LLM01"


def test_sync_again_rereads_without_double_counting(
    db: Database, prom: PrometheusSource, settings: Settings
) -> None:
    _apps(db)
    _sync(db, prom, settings, END - dt.timedelta(days=2))
    with db.session() as session:
        status_rows = len(session.exec(select(GuardrailRollup)).all())
    assert status_rows > 0
    _sync(db, prom, settings, END)
    _sync(db, prom, settings, END)
    with db.session() as session:
        rows = session.exec(select(GuardrailRollup)).all()
    keys = [(r.app_id, r.rule, r.direction, r.action, r.hour) for r in rows]
    assert len(keys) == len(set(keys))
    hour = END - dt.timedelta(days=2) - 2 * HOUR
    chat_injection = [r.events for r in rows if r.rule == "prompt_injection" and r.hour == hour]
    assert chat_injection == [pytest.approx(1, rel=1e-6)]


def test_spike_resolves_when_it_subsides(
    db: Database, prom: PrometheusSource, settings: Settings
) -> None:
    _apps(db)
    _sync(db, prom, settings, END)
    # Four days later the last-24h window holds no events: the spike is over.
    later = END + dt.timedelta(days=4)
    result = _sync(db, prom, settings, later)
    assert result.ok, result.error
    assert result.stats["spikes_resolved"] == 1
    with db.session() as session:
        spike = session.exec(select(Finding).where(Finding.source == "guardrail")).one()
    assert spike.status == FindingStatus.RESOLVED


def test_prometheus_down_is_a_failed_step_and_keeps_data(
    db: Database, prom: PrometheusSource, settings: Settings
) -> None:
    _apps(db)
    _sync(db, prom, settings)
    result = _sync(db, PrometheusSource("http://127.0.0.1:9", timeout=2), settings)
    assert not result.ok
    with db.session() as session:
        assert session.exec(select(Finding).where(Finding.source == "guardrail")).one()


@pytest.fixture
def prom_client(settings: Settings, db: Database, prom: PrometheusSource) -> Iterator[TestClient]:
    app = create_app(settings, db=db, sources=Sources(prometheus=prom))
    with TestClient(app) as client:
        yield client


def test_trend_endpoint(
    db: Database, prom: PrometheusSource, settings: Settings, prom_client: TestClient
) -> None:
    _apps(db)
    _sync(db, prom, settings)
    params = {"start": (END - 3 * HOUR).isoformat(), "end": END.isoformat()}
    response = prom_client.get(
        "/api/v1/apps/chat/guardrails", params=params, headers=bearer("read")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    trends = {(t["rule"], t["direction"]): t for t in body["trends"]}
    assert set(trends) == {("prompt_injection", "input"), ("pii", "output")}
    injection = trends[("prompt_injection", "input")]
    assert len(injection["points"]) == 3
    # Exactly what the samples hold: 12 + 12 + 11 (the last sample is 5 minutes before END,
    # so the hour's twelfth event is not scraped yet). Whole numbers, never extrapolated.
    assert injection["total_blocked"] == 35
    assert injection["total_flagged"] == 0
    assert trends[("pii", "output")]["total_flagged"] == pytest.approx(6, rel=1e-6)

    bad = prom_client.get(
        "/api/v1/apps/chat/guardrails",
        params={"start": END.isoformat(), "end": (END - HOUR).isoformat()},
        headers=bearer("read"),
    )
    assert bad.status_code == 422
    assert bad.json()["error"] == "ValidationError"
    assert (
        prom_client.get("/api/v1/apps/nope/guardrails", headers=bearer("read")).status_code == 404
    )


def test_trend_window_defaults_to_seven_days_before_end(
    db: Database, prom_client: TestClient
) -> None:
    _apps(db)
    url, read = "/api/v1/apps/chat/guardrails", bearer("read")
    response = prom_client.get(url, params={"end": END.isoformat()}, headers=read)
    assert response.status_code == 200, response.text
    body = response.json()
    assert dt.datetime.fromisoformat(body["start"]) == END - dt.timedelta(days=7)
    assert dt.datetime.fromisoformat(body["end"]) == END

    # Seven days before the first days of the calendar: a clear 422, not an overflow.
    early = prom_client.get(url, params={"end": "0001-01-02T00:00:00Z"}, headers=read)
    assert early.status_code == 422
    assert early.json()["error"] == "ValidationError"


def test_event_counts_are_exact_whole_numbers(
    db: Database, prometheus_factory: PrometheusFactory, settings: Settings
) -> None:
    """A pod that starts mid-window with events already counted, replaced after a restart by a
    new pod (a new ``pod`` label) that also starts non-zero: every event is counted, once."""
    labels = _labels("chat", "prompt_injection", "input", "blocked")
    minute = dt.timedelta(minutes=1)
    first = END - 5 * HOUR + 7 * minute + dt.timedelta(seconds=30)
    restart = END - 3 * HOUR + 20 * minute + dt.timedelta(seconds=30)
    truth: dict[dt.datetime, int] = {}
    series = []
    for pod, start, stop, initial in (("p1", first, restart, 3), ("p2", restart, END, 2)):
        value, samples, t = initial, [], start
        pending = initial
        while t < stop:
            hour = t.replace(minute=0, second=0)
            truth[hour] = truth.get(hour, 0) + pending
            samples.append((t, float(value)))
            pending = 1 if t.minute % 10 == 0 else 0  # one blocked injection every 10 minutes
            value += pending
            t += minute
        series.append(
            PromSeries(
                "genai_guardrail_events_total",
                {"namespace": "support", "pod": pod, **labels},
                samples,
            )
        )
    prom = PrometheusSource(prometheus_factory.start(series).url, timeout=10)
    _apps(db)
    result = _sync(db, prom, settings)
    assert result.ok, result.error
    with db.session() as session:
        rows = session.exec(select(GuardrailRollup)).all()
    got = {r.hour: r.events for r in rows}
    assert got == {h: float(v) for h, v in truth.items() if v}
    assert all(v == int(v) for v in got.values())
    assert sum(got.values()) == 3 + 2 + sum(
        1 for s in series for t, _ in s.samples[:-1] if t.minute % 10 == 0
    )
