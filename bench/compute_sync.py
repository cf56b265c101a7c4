"""Benchmark of the compute cost step; prints its figures (not a test).

A real Prometheus (backfilled with promtool) holds OpenCost-shaped series for N apps x 2 pods
(plus one unlabelled pod per namespace) over D days, scraped every 5 minutes; the
`prometheus/compute` step reads, prices and stores them into SQLite. Printed: queries (they
must not grow with N), seconds, rows written; then the latency of `GET /costs?group_by=app` for
the last 30 days on what was stored.

    .venv/bin/python -m bench.compute_sync --apps 10,100,500 --days 7
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from bench.common import arguments, bench_end
from portal_api.config import ApiToken, Settings
from portal_api.costs.compute_sync import STEPS
from portal_api.db import Database, make_engine, migrate
from portal_api.main import create_app
from portal_api.sources.bundle import Sources
from portal_api.sources.prometheus import PrometheusSource
from portal_api.sync.collector import run_sync
from tests.servers.prometheus import PrometheusFactory, PromSeries

STEP = dt.timedelta(minutes=5)
TOKEN = "bench-token-0123456789abcdef"
GIB = float(2**30)


def series(apps: int, days: int, end: dt.datetime) -> Iterator[PromSeries]:
    times = [end - days * dt.timedelta(days=1) + i * STEP for i in range(days * 288)]
    nodes = max(apps // 10, 1)
    for n in range(nodes):
        labels = {"node": f"node-{n}", "job": "opencost"}
        yield PromSeries("node_cpu_hourly_cost", labels, [(t, 0.0316) for t in times])
        yield PromSeries("node_ram_hourly_cost", labels, [(t, 0.0042) for t in times])
    for a in range(apps):
        namespace = f"ns-{a % 20}"
        for p in range(2):
            pod = {"namespace": namespace, "pod": f"app-{a}-{p}"}
            alloc = {**pod, "container": "main", "node": f"node-{a % nodes}"}
            yield PromSeries("container_cpu_allocation", alloc, [(t, 0.5 + p) for t in times])
            yield PromSeries(
                "container_memory_allocation_bytes", alloc, [(t, 2 * GIB) for t in times]
            )
            labels = {**pod, "label_backstage_io_kubernetes_id": f"app-{a}"}
            yield PromSeries("kube_pod_labels", labels, [(t, 1.0) for t in times])
    for ns in range(min(apps, 20)):
        alloc = {"namespace": f"ns-{ns}", "pod": "sidecar", "container": "c", "node": "node-0"}
        yield PromSeries("container_cpu_allocation", alloc, [(t, 0.25) for t in times])


def bench(factory: PrometheusFactory, tmp: Path, apps: int, days: int, runs: int) -> None:
    end = bench_end()
    t = time.perf_counter()
    server = factory.start(series(apps, days, end))
    load = time.perf_counter() - t
    prom = PrometheusSource(server.url, timeout=600)
    engine = make_engine(f"sqlite:///{tmp}/compute-{apps}.db")
    migrate(engine)
    db = Database(engine)
    settings = Settings(
        prometheus_url=server.url,
        backfill_days=days,
        api_tokens=[ApiToken(name="bench", token=TOKEN, scopes=["read"])],
    )
    t = time.perf_counter()
    [result] = run_sync(
        db=db,
        sources=Sources(prometheus=prom),
        settings=settings,
        steps=STEPS,
        now=end + dt.timedelta(minutes=5),
    )
    seconds = time.perf_counter() - t
    assert result.ok, result.error
    print(
        f"compute sync {apps:>5} apps x 2 pods x {days} d: {result.stats['queries']} queries, "
        f"{seconds:6.1f} s, {result.stats['hourly_rows']} hourly + "
        f"{result.stats['daily_rows']} daily rows  [promtool backfill + start {load:.1f} s]"
    )
    client = TestClient(create_app(settings, db=db, sources=Sources()))
    params = {
        "from": (end - dt.timedelta(days=30)).isoformat(),
        "to": end.isoformat(),
        "group_by": "app",
    }
    latencies = []
    for _ in range(runs):
        t = time.perf_counter()
        response = client.get(
            "/api/v1/costs", params=params, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        latencies.append(time.perf_counter() - t)
        assert response.status_code == 200, response.text
    print(
        f"  GET /costs?group_by=app (30 d, hour-exact range): "
        f"p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"max {max(latencies) * 1000:.1f} ms over {runs} calls"
    )
    engine.dispose()


def main() -> None:
    args = arguments(__doc__, apps="10,100,500", days=7, runs=20)
    with tempfile.TemporaryDirectory() as tmp:
        factory = PrometheusFactory(Path(tmp))
        try:
            for apps in [int(a) for a in args.apps.split(",") if a]:
                bench(factory, Path(tmp), apps, args.days, args.runs)
        finally:
            factory.stop_all()


if __name__ == "__main__":
    main()
