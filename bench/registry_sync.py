"""Benchmark: app discovery over a large cluster, and app-list latency.

Starts the Kubernetes test server with N labelled Deployments spread over namespaces, runs the
real sync (official client -> reconcile -> database) on SQLite and PostgreSQL, and prints the
time of a first and of a steady-state pass, the peak Python memory of the pass, and the
latency of GET /api/v1/apps pages.

    .venv/bin/python -m bench.registry_sync --workloads 3000
"""

from __future__ import annotations

import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from fastapi.testclient import TestClient

from bench.common import arguments, database
from portal_api.config import ApiToken, KubernetesMode, Settings
from portal_api.db import Database, make_engine, migrate
from portal_api.main import create_app
from portal_api.sources.bundle import Sources
from portal_api.sources.kubernetes import KubernetesSource
from portal_api.steps import all_steps
from portal_api.sync.collector import run_sync
from tests.factories import deployment
from tests.servers.kube import kube_server, write_kubeconfig

TOKEN = "bench-token-0123456789"


def main() -> None:
    args = arguments(__doc__, workloads=3000, namespaces=100, requests=300)

    with kube_server() as (url, state), tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for i in range(args.workloads):
            ns = f"ns-{i % args.namespaces}"
            state.add(
                deployment(
                    f"app-{i}",
                    ns,
                    app_id=f"app-{i // 2}",  # two workloads per app
                    annotations={"genai-portal.io/team": f"team-{i % 17}"},
                )
            )
        kubeconfig = write_kubeconfig(tmp / "kubeconfig", url)
        print(
            f"cluster: {args.workloads} workloads, {args.workloads // 2} apps, "
            f"{args.namespaces} namespaces"
        )
        for kind in ("sqlite", "postgresql"):
            with database(kind, tmp) as db_url:
                bench_database(kind, db_url, kubeconfig, args.requests)


def bench_database(kind: str, db_url: str, kubeconfig: Path, requests: int) -> None:
    settings = Settings(
        database_url=db_url,
        kubernetes=KubernetesMode.KUBECONFIG,
        kubeconfig=kubeconfig,
        api_tokens=[ApiToken(name="b", token=TOKEN, scopes=["read"])],  # type: ignore[arg-type]
    )
    engine = make_engine(db_url)
    migrate(engine)
    source = KubernetesSource.from_settings(settings)
    assert source is not None
    sources = Sources(kubernetes=source)
    db = Database(engine)
    figures = []
    for label in ("first pass", "steady pass"):
        tracemalloc.start()
        started = time.perf_counter()
        (result,) = run_sync(steps=all_steps(), db=db, sources=sources, settings=settings)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert result.ok, result.error
        figures.append(f"{label} {seconds:.2f} s (peak {peak / 2**20:.0f} MiB)")
    latencies = []
    with TestClient(create_app(settings, db=db, sources=sources)) as client:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        for i in range(requests):
            started = time.perf_counter()
            r = client.get(
                f"/api/v1/apps?limit=50&offset={(i * 50) % 1000}&team=team-{i % 17}",
                headers=headers,
            )
            latencies.append((time.perf_counter() - started) * 1000)
            assert r.status_code == 200
    q = statistics.quantiles(latencies, n=100)
    print(f"{kind:10s} sync: {'; '.join(figures)}")
    print(
        f"{kind:10s} GET /api/v1/apps (page of 50, team filter): "
        f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms over {requests} requests"
    )
    source.close()
    engine.dispose()


if __name__ == "__main__":
    main()
