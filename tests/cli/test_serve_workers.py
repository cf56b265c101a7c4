"""`genai-portal serve` runs production settings by default: one worker per CPU."""

from __future__ import annotations

import json
import time
from pathlib import Path

import requests

from portal_api.config import cpu_count
from tests.servers.process import env_without_portal, start_portal

TOKEN = "serve-workers-token-0123456789"


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        out += [int(c) for c in task.read_text().split()]
    return out


def _cmdlines(pid: int) -> list[str]:
    out = []
    for child in _children(pid):
        try:
            out.append(Path(f"/proc/{child}/cmdline").read_text())
        except OSError:
            continue
    return out


def _workers(pid: int) -> int:
    """uvicorn's worker processes under ``pid`` (spawned, so their command line says so)."""
    return sum("multiprocessing.spawn" in c and "resource_tracker" not in c for c in _cmdlines(pid))


def test_serve_starts_one_worker_per_cpu_and_serves(tmp_path: Path) -> None:
    env = env_without_portal(
        PORTAL_DATABASE_URL=f"sqlite:///{tmp_path}/serve.db",
        PORTAL_API_TOKENS=json.dumps([{"name": "t", "token": TOKEN, "scopes": ["read"]}]),
        PORTAL_SYNC_INTERVAL_SECONDS="0",
    )
    expected = cpu_count()
    server = start_portal(["serve"], env, tmp_path)
    try:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        for _ in range(8):
            response = requests.get(f"{server.url}/api/v1/apps", headers=headers, timeout=60)
            assert response.status_code == 200
            assert response.json()["items"] == []
        # Every worker is up (uvicorn starts them one by one; the health check saw the first).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _workers(server.process.pid) < expected:
            time.sleep(0.5)
        workers = _workers(server.process.pid)
        trackers = [c for c in _cmdlines(server.process.pid) if "resource_tracker" in c]
    finally:
        server.stop()
    if expected > 1:  # one CPU: uvicorn serves in-process, no workers to count
        assert workers == expected
        assert trackers == []  # no resource tracker process (12 MB): the workers need none
        assert (
            f"with {expected} workers, 8+4 database connections each" in server.log_path.read_text()
        )


def test_serve_workers_and_pool_are_overridable(tmp_path: Path) -> None:
    env = env_without_portal(
        PORTAL_DATABASE_URL=f"sqlite:///{tmp_path}/serve.db",
        PORTAL_SYNC_INTERVAL_SECONDS="0",
        PORTAL_WORKERS="3",
    )
    server = start_portal(["serve", "--db-pool-size", "5"], env, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _workers(server.process.pid) < 3:
            time.sleep(0.5)
        assert _workers(server.process.pid) == 3
    finally:
        server.stop()
    assert "with 3 workers, 5+4 database connections each" in server.log_path.read_text()


def test_the_access_log_is_off_unless_asked_for(tmp_path: Path) -> None:
    # Requests are counted on /metrics by route and status; a line each only on request.
    logs = {}
    for workers, asked in (("1", None), ("2", None), ("1", "true"), ("2", "true")):
        env = env_without_portal(
            PORTAL_DATABASE_URL=f"sqlite:///{tmp_path}/serve.db",
            PORTAL_SYNC_INTERVAL_SECONDS="0",
            PORTAL_WORKERS=workers,
            **({"PORTAL_ACCESS_LOG": asked} if asked else {}),
        )
        server = start_portal(["serve"], env, tmp_path)
        try:
            with requests.Session() as session:  # one connection: one worker's metrics
                assert session.get(f"{server.url}/readyz", timeout=60).status_code == 200
                metrics = session.get(f"{server.url}/metrics", timeout=60).text
        finally:
            server.stop()
        assert 'route="/readyz",status="200"' in metrics
        logs[(workers, asked)] = server.log_path.read_text()
    for (workers, asked), log in logs.items():
        assert ('"GET /readyz HTTP/1.1" 200' in log) == bool(asked), (workers, asked, log[-2000:])
