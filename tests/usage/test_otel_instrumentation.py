"""The official instrumentation end to end: the ``openai`` client instrumented by
``opentelemetry-instrumentation-openai-v2``, metrics through the OpenTelemetry Prometheus
exporter, scraped every second by a real Prometheus with the labels a PodMonitor adds, then the
portal's sync. After it, the portal's tokens, requests, errors and cost equal what the
OpenAI-compatible test server answered, for: one pod, a pod restarted mid-hour, a pod started
mid-hour beside a running one, pods on different semconv versions (``gen_ai_system`` and
``gen_ai_provider_name``) and a generated service's own metrics module in one app, with the calls in the current hour (a partial bucket) and again once
that hour is over (the portal's clock driven forward, never the wall clock waited for).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import pytest
import requests
from fastapi.testclient import TestClient

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.main import create_app
from portal_api.prices.book import PriceBook
from portal_api.sources.bundle import Sources
from portal_api.sources.prometheus import PrometheusSource
from tests.conftest import bearer
from tests.servers.openai import OpenAIState
from tests.servers.process import reserved_port
from tests.servers.prometheus import PrometheusFactory, ScrapeTarget
from tests.sync.helpers import sync_pass
from tests.usage.pricing import tokens_cost

HOUR = dt.timedelta(hours=1)
MODEL = "gpt-4o-mini"
APP_LABEL = "backstage_io_kubernetes_id"
NAMESPACE = "team-a"
LATEST = {"OTEL_SEMCONV_STABILITY_OPT_IN": "gen_ai_latest_experimental"}


# What the test server answered one app's calls (from the clients' side): tokens in and out,
# requests and errors, added up with Counter.update.
Answered = Counter[str]


@dataclass
class Pod:
    """One process of an app; restarting it starts a new process on the same target."""

    name: str
    app: str
    port: int
    base_url: str
    log_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    template: bool = False  # record with the generated services' telemetry module
    process: subprocess.Popen[str] | None = None
    log: IO[str] | None = None
    sent_by_process: int = 0  # requests made by the running process (what Prometheus sees)

    def start(self) -> None:
        self.log = (self.log_dir / f"{self.name}.log").open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.servers.otel_pod",
                "--metrics-port",
                str(self.port),
                "--base-url",
                self.base_url,
                *(["--template-telemetry"] if self.template else []),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env={**_clean_env(), **self.env},
        )
        assert json.loads(self._readline()) == {"ready": True}
        self.sent_by_process = 0

    def _readline(self) -> str:
        assert self.process is not None
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"pod {self.name} exited: {self._log_text()}")
        return line

    def _log_text(self) -> str:
        return (self.log_dir / f"{self.name}.log").read_text()[-3000:]

    def chat(self, calls: int, words: int) -> dict[str, int]:
        assert self.process is not None
        assert self.process.stdin is not None
        text = " ".join([self.app] + ["word"] * (words - 1))
        self.process.stdin.write(f"chat {calls} {MODEL} {text}\n")
        self.process.stdin.flush()
        reply: dict[str, int] = json.loads(self._readline())
        self.sent_by_process += reply["requests"]
        return reply

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                self.process.wait(15)
            for pipe in (self.process.stdin, self.process.stdout):
                if pipe is not None:
                    pipe.close()
            self.process = None
        if self.log is not None:
            self.log.close()
            self.log = None


def _clean_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "PORTAL_"))}


def wait_scraped(prom_url: str, pod: Pod, timeout: float = 60) -> None:
    """Until Prometheus holds the running process's request count (every call it made)."""
    query = (
        "sum(gen_ai_client_operation_duration_seconds_count"
        f'{{pod="{pod.name}",{APP_LABEL}="{pod.app}"}})'
    )
    deadline = time.monotonic() + timeout
    seen: Any = None
    while time.monotonic() < deadline:
        result = requests.get(f"{prom_url}/api/v1/query", params={"query": query}, timeout=10)
        data = result.json()["data"]["result"]
        seen = float(data[0]["value"][1]) if data else None
        if seen == pod.sent_by_process:
            return
        time.sleep(0.2)
    raise AssertionError(f"Prometheus has {seen} requests of {pod.name}, not {pod.sent_by_process}")


@dataclass
class Fleet:
    prom_url: str
    answered: dict[str, Answered]
    started: dt.datetime  # wall clock before the first call
    solo_first: dt.datetime  # after the solo pod's first 10 calls were scraped
    finished: dt.datetime  # wall clock after the last scrape


SCENARIOS = {
    "solo": "one pod",
    "restarts": "a pod restarted mid-hour",
    "scale": "a pod started mid-hour beside a running one",
    "mixed": "pods on different semconv versions and a generated service's own metrics",
}


@pytest.fixture(scope="module")
def fleet(
    prometheus_factory: PrometheusFactory,
    openai_session: tuple[str, OpenAIState],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Fleet]:
    base_url, state = openai_session
    state.emptied()
    log_dir = tmp_path_factory.mktemp("pods")
    # 45 output tokens per answer, whatever the app.
    for app in SCENARIOS:
        state.reply(app, " ".join(["out"] * 45))

    def pod(name: str, app: str, env: dict[str, str] | None = None, template: bool = False) -> Pod:
        return Pod(name, app, reserved_port(), base_url, log_dir, env or {}, template)

    pods = {
        "solo-0": pod("solo-0", "solo"),
        "restarts-0": pod("restarts-0", "restarts", LATEST),
        "scale-0": pod("scale-0", "scale", LATEST),
        "scale-1": pod("scale-1", "scale", LATEST),
        "mixed-0": pod("mixed-0", "mixed"),  # semconv 1.30: gen_ai_system
        "mixed-1": pod("mixed-1", "mixed", LATEST),  # current: gen_ai_provider_name
        "mixed-2": pod("mixed-2", "mixed", template=True),  # scaffolder-templates' telemetry.py
    }
    server = prometheus_factory.start(
        scrape=[
            ScrapeTarget(
                f"127.0.0.1:{p.port}",
                {APP_LABEL: p.app, "namespace": NAMESPACE, "pod": p.name},
            )
            for p in pods.values()
        ]
    )
    answered: dict[str, Answered] = {app: Counter() for app in SCENARIOS}
    started = dt.datetime.now(dt.UTC)
    try:
        # One pod: 10 calls of 123 input / 45 output tokens, then 2 that fail.
        solo = pods["solo-0"]
        solo.start()
        answered["solo"].update(solo.chat(10, 123))
        wait_scraped(server.url, solo)
        solo_first = dt.datetime.now(dt.UTC)
        state.fail(500, 429)
        answered["solo"].update(solo.chat(2, 123))
        # A restart: the process dies after its calls were scraped; the new one starts at 0.
        restarts = pods["restarts-0"]
        restarts.start()
        answered["restarts"].update(restarts.chat(10, 123))
        wait_scraped(server.url, restarts)
        restarts.stop()
        restarts.start()
        answered["restarts"].update(restarts.chat(7, 50))
        # A pod started mid-hour beside one that runs already.
        scale0, scale1 = pods["scale-0"], pods["scale-1"]
        scale0.start()
        answered["scale"].update(scale0.chat(5, 80))
        wait_scraped(server.url, scale0)
        scale1.start()
        answered["scale"].update(scale1.chat(9, 30))
        answered["scale"].update(scale0.chat(1, 80))
        # An upgrade in progress: one pod on each semantic-conventions version.
        for name in ("mixed-0", "mixed-1", "mixed-2"):
            pods[name].start()
            answered["mixed"].update(pods[name].chat(10, 123))
        state.fail(503)
        answered["mixed"].update(pods["mixed-2"].chat(1, 123))
        for p in pods.values():
            if p.process is not None:
                wait_scraped(server.url, p)
        finished = dt.datetime.now(dt.UTC)
        yield Fleet(server.url, answered, started, solo_first, finished)
    finally:
        for p in pods.values():
            p.stop()
        state.emptied()


def sync_at(db: Database, fleet: Fleet, settings: Settings, now: dt.datetime) -> dict[str, Any]:
    results = sync_pass(
        db,
        settings,
        now,
        prometheus=PrometheusSource(fleet.prom_url, timeout=30),
        only={"prometheus"},
    )
    failed = [r for r in results if not r.ok]
    assert not failed, failed
    return next(r for r in results if r.step == "prometheus/usage").stats


def portal_usage(client: TestClient, app: str, start: dt.datetime, end: dt.datetime) -> Any:
    response = client.get(
        f"/api/v1/apps/{app}/usage",
        params={"from": start.isoformat(), "to": end.isoformat(), "step": "hour"},
        headers=bearer("read"),
    )
    assert response.status_code == 200, response.text
    return response.json()


def portal_cost(client: TestClient, app: str, start: dt.datetime, end: dt.datetime) -> Decimal:
    response = client.get(
        f"/api/v1/apps/{app}/costs",
        params={"from": start.isoformat(), "to": end.isoformat()},
        headers=bearer("read"),
    )
    assert response.status_code == 200, response.text
    return Decimal(str(response.json()["total"]))


@pytest.fixture
def otel_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"prometheus_url": "http://unused", "backfill_days": 1})


@pytest.mark.parametrize("clock", ["current hour", "hour over"])
def test_portal_counts_what_the_server_answered(
    db: Database, fleet: Fleet, otel_settings: Settings, clock: str
) -> None:
    # "current hour": the sync runs right after the calls, which lie in the hour still going
    # on (a partial bucket); a second after the last call, unless that second starts the next
    # hour (the fleet finished at hh:59:59), then the hour's last instant. "hour over": the
    # portal's clock is set after the end of that hour, so the same calls are read as full hours.
    hour_of_last_call = fleet.finished.replace(minute=0, second=0, microsecond=0)
    now = min(fleet.finished + dt.timedelta(seconds=1), hour_of_last_call + HOUR)
    now = max(now - dt.timedelta(microseconds=1), fleet.finished)
    if clock == "hour over":
        now = hour_of_last_call + HOUR + dt.timedelta(minutes=5)
    stats = sync_at(db, fleet, otel_settings, now)
    start = fleet.started.replace(minute=0, second=0, microsecond=0)
    end = now.replace(minute=0, second=0, microsecond=0) + HOUR
    app = create_app(otel_settings, db=db, sources=Sources())
    with TestClient(app) as client:
        for name, answered in fleet.answered.items():
            body = portal_usage(client, name, start, end)
            (totals,) = body["totals"]
            got = Counter(
                input=totals["input_tokens"],
                output=totals["output_tokens"],
                requests=totals["requests"],
                errors=totals["errors"],
            )
            assert got == answered, f"{SCENARIOS[name]}: portal {got}, server {answered}"
            assert totals["model"] == MODEL
            partial = [b["partial"] for b in body["buckets"]]
            assert any(partial) == (clock == "current hour"), body["buckets"]
            day = fleet.started.date()
            assert portal_cost(client, name, start, end) == tokens_cost(
                PriceBook(), MODEL, day, answered
            )
    # The query count is the same whatever the number of apps.
    assert stats["queries"] < 40


def test_a_call_before_a_sync_is_on_the_dashboard_after_it(
    db: Database, fleet: Fleet, otel_settings: Settings
) -> None:
    start = fleet.started.replace(minute=0, second=0, microsecond=0)
    app = create_app(otel_settings, db=db, sources=Sources())
    with TestClient(app) as client:
        sync_at(db, fleet, otel_settings, fleet.solo_first + dt.timedelta(milliseconds=1))
        before = portal_usage(client, "solo", start, start + 2 * HOUR)
        sync_at(db, fleet, otel_settings, fleet.finished + dt.timedelta(seconds=1))
        after = portal_usage(client, "solo", start, start + 2 * HOUR)
    assert (before["totals"][0]["requests"], before["totals"][0]["errors"]) == (10, 0)
    assert (after["totals"][0]["requests"], after["totals"][0]["errors"]) == (12, 2)
