"""Load benchmark: many concurrent readers against ``genai-portal serve`` while a sync runs.

Seeds a fresh PostgreSQL database with the demo organisation (90 days of usage, costs and
findings), starts ``genai-portal serve`` exactly as an operator would (production defaults:
one worker per CPU, a pool per worker; nothing but the database, the tokens and the port
configured), starts a real Prometheus holding ``--sync-apps`` apps x 5 models x
``--sync-days`` days and runs ``genai-portal sync`` passes against it for the whole
measurement, then lets ``--readers`` readers loop over the dashboard reads for ``--seconds``:
apps list, app usage (90 d), app costs, org costs, org monthly report, findings.

Prints requests/s, p50/p95 per read and overall, errors, the peak RSS of serve (every worker)
and of sync, and the load average while measuring (the machine is shared: compare runs made
in the same conditions).

    .venv/bin/python -m bench.readers --readers 32 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

from bench.common import postgres_database
from bench.usage_sync import series
from portal_api.db import Database, make_engine, migrate
from portal_api.demo import seed_demo
from tests.servers.prometheus import PrometheusFactory

TOKEN = "bench-readers-token-0123456789"
DAY = dt.timedelta(days=1)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            with suppress(OSError):
                todo += [int(c) for c in task.read_text().split()]
    return out


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class PeakRss:
    """Samples the summed RSS of a process and its children until stopped; keeps the peak."""

    def __init__(self) -> None:
        self.peaks: dict[str, float] = defaultdict(float)
        self.pids: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def watch(self, name: str, pid: int) -> None:
        self.pids[name] = pid

    def _sample(self) -> None:
        for name, pid in list(self.pids.items()):
            sizes = [rss for p in tree(pid) if (rss := rss_mb(p)) is not None]
            if not sizes:
                continue
            self.peaks[name] = max(self.peaks[name], sum(sizes))
            largest = name + " (largest process)"
            self.peaks[largest] = max(self.peaks[largest], max(sizes))

    def _loop(self) -> None:
        while not self._stop.wait(0.25):
            self._sample()

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def serve(env: dict[str, str], port: int, workers: int | None) -> Iterator[subprocess.Popen[bytes]]:
    args = [sys.executable, "-m", "portal_api.cli", "serve", "--port", str(port)]
    if workers is not None:
        args += ["--workers", str(workers)]
    proc = subprocess.Popen(
        args, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"serve did not start: {err[-2000:]}")
            time.sleep(0.5)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def sync_loop(env: dict[str, str], stop: threading.Event, rss: PeakRss, out: list[float]) -> None:
    """``genai-portal sync`` passes, one after the other, until ``stop`` is set."""
    while not stop.is_set():
        t = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "portal_api.cli", "sync", "--source", "prometheus"],
            env=env,
            cwd=tempfile.gettempdir(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        rss.watch("sync", proc.pid)
        proc.wait()
        out.append(time.perf_counter() - t)


async def readers(
    base: str, apps: list[str], count: int, seconds: float
) -> tuple[dict[str, list[float]], dict[str, int]]:
    end = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    window = {"from": (end - 90 * DAY).isoformat(), "to": end.isoformat()}
    month = (end - 40 * DAY).strftime("%Y-%m")
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, timeout=60, limits=limits
    ) as client:
        deadline = time.monotonic() + seconds

        async def reader(n: int) -> None:
            i = n
            while time.monotonic() < deadline:
                app = apps[i % len(apps)]
                reads = [
                    ("apps list", "/api/v1/apps", {"limit": "50"}),
                    ("app usage 90 d", f"/api/v1/apps/{app}/usage", window),
                    ("app costs 90 d", f"/api/v1/apps/{app}/costs", window),
                    ("org costs", "/api/v1/costs", window),
                    ("org report", "/api/v1/reports/costs", {"month": month}),
                    ("findings", "/api/v1/findings", {"limit": "50"}),
                ]
                name, path, params = reads[i % len(reads)]
                i += 1
                t = time.perf_counter()
                try:
                    response = await client.get(path, params=params)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if time.monotonic() > deadline:
                    break
                latencies[name].append((time.perf_counter() - t) * 1000)
                if not ok:
                    errors[name] += 1

        await asyncio.gather(*(reader(n) for n in range(count)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=None, help="default: serve's own")
    parser.add_argument("--sync-apps", type=int, default=100)
    parser.add_argument("--sync-days", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, postgres_database() as url:
        engine = make_engine(url)
        migrate(engine)
        org = seed_demo(Database(engine))
        engine.dispose()
        apps = [a.name for a in org.apps]
        factory = PrometheusFactory(Path(tmp))
        end = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(
            minute=0, second=0, microsecond=0
        )
        prom = factory.start(series(args.sync_apps, args.sync_days, end))
        env = {
            **os.environ,
            "PORTAL_DATABASE_URL": url,
            "PORTAL_API_TOKENS": json.dumps(
                [{"name": "bench", "token": TOKEN, "scopes": ["read"]}]
            ),
            "PORTAL_SYNC_INTERVAL_SECONDS": "0",
            "PORTAL_PROMETHEUS_URL": prom.url,
            "PORTAL_BACKFILL_DAYS": str(args.sync_days),
        }
        port = free_port()
        stop = threading.Event()
        sync_seconds: list[float] = []
        try:
            with PeakRss() as rss, serve(env, port, args.workers) as server:
                rss.watch("serve", server.pid)
                syncer = threading.Thread(target=sync_loop, args=(env, stop, rss, sync_seconds))
                syncer.start()
                load_before = os.getloadavg()
                t = time.perf_counter()
                latencies, errors = asyncio.run(
                    readers(f"http://127.0.0.1:{port}", apps, args.readers, args.seconds)
                )
                elapsed = time.perf_counter() - t
                load_after = os.getloadavg()
                stop.set()
                syncer.join()
        finally:
            factory.stop_all()
    every = [v for values in latencies.values() for v in values]
    workers = str(args.workers) if args.workers else "its default"
    print(
        f"{args.readers} readers x {elapsed:.0f} s on PostgreSQL, serve with {workers} workers "
        f"(demo org: {len(apps)} apps), sync of {args.sync_apps} apps x 5 models x "
        f"{args.sync_days} d running: {len(sync_seconds)} passes "
        f"({statistics.mean(sync_seconds) if sync_seconds else 0:.1f} s each)"
    )
    for name, values in sorted(latencies.items()):
        print(
            f"  {name:<16} {len(values):>6} requests  p50 {statistics.median(values):7.1f} ms  "
            f"p95 {pct(values, 0.95):7.1f} ms  errors {errors.get(name, 0)}"
        )
    print(
        f"total: {len(every) / elapsed:.1f} requests/s, p50 {statistics.median(every):.1f} ms, "
        f"p95 {pct(every, 0.95):.1f} ms, errors {sum(errors.values())}"
    )
    print("peak RSS: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in sorted(rss.peaks.items())))
    print(
        f"load average (1/5/15 min): before {'/'.join(f'{x:.1f}' for x in load_before)}, "
        f"after {'/'.join(f'{x:.1f}' for x in load_after)} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
