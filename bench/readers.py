"""Load benchmark: many concurrent readers against ``genai-portal serve`` while a sync runs.

Seeds a fresh PostgreSQL database with the demo organisation (90 days of usage, costs and
findings) and ``--apps`` more apps with ``--days`` days of daily rollups, starts ``genai-portal
serve`` exactly as an operator would (production defaults: one worker per CPU, or
``--workers`` when not 0, a pool per worker; nothing but the database, the tokens and the port
configured), starts a real Prometheus holding ``--sync-apps`` apps x 5 models x
``--sync-days`` days and runs ``genai-portal sync`` passes against it for the whole
measurement, then lets ``--readers`` readers loop over the dashboard reads for ``--seconds``:
apps list, app usage (90 d), app costs, org costs, org monthly report, findings; last, the
same readers on ``GET /healthz`` for ``--ceiling-seconds`` (the ceiling of serve itself).

Prints requests/s, p50/p95 per read and overall, errors, the peak RSS of serve (every worker)
and of sync, and the load average while measuring (the machine is shared: compare runs made
in the same conditions).

    .venv/bin/python -m bench.readers --readers 32 --seconds 60
"""

from __future__ import annotations

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
from urllib.parse import urlencode

import httpx

from bench.common import arguments, postgres_database
from bench.usage_sync import fill_rollups, series
from portal_api.db import Database, make_engine, migrate
from portal_api.demo import seed_demo
from tests.factories import make_app
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its descendants alive now (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in tree(pid):
        with suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


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


class Reader:
    """One keep-alive HTTP/1.1 connection on bare asyncio streams: the load generator must
    not take the CPU it measures (an httpx client costs several times more per request)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, request: bytes) -> int:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        try:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            status = int(lines[0].split()[1])
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            return status
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            self.close()
            raise

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


def request(path: str, params: dict[str, str]) -> bytes:
    query = "?" + urlencode(params) if params else ""
    return (
        f"GET {path}{query} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {TOKEN}\r\n\r\n"
    ).encode()


def dashboard_reads(apps: list[str]) -> list[tuple[str, bytes]]:
    """The six dashboard reads over every app, in the order a reader cycles through them."""
    end = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    window = {"from": (end - 90 * DAY).isoformat(), "to": end.isoformat()}
    month = (end - 40 * DAY).strftime("%Y-%m")
    out = []
    for i, app in enumerate(apps):
        reads = [
            ("apps list", "/api/v1/apps", {"limit": "50"}),
            ("app usage 90 d", f"/api/v1/apps/{app}/usage", window),
            ("app costs 90 d", f"/api/v1/apps/{app}/costs", window),
            ("org costs", "/api/v1/costs", window),
            ("org report", "/api/v1/reports/costs", {"month": month}),
            ("findings", "/api/v1/findings", {"limit": "50"}),
        ]
        name, path, params = reads[i % len(reads)]
        out.append((name, request(path, params)))
    return out


async def readers(
    port: int, reads: list[tuple[str, bytes]], count: int, seconds: float
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """``count`` readers cycling through ``reads`` for ``seconds``: latencies and errors per
    read, and the CPU seconds this process (the load generator) used meanwhile."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    deadline = time.monotonic() + seconds
    cpu = time.process_time()

    async def reader(n: int) -> None:
        client = Reader("127.0.0.1", port)
        i = n * 7919  # readers start at different apps
        try:
            while time.monotonic() < deadline:
                name, raw = reads[i % len(reads)]
                i += 1
                t = time.perf_counter()
                try:
                    ok = await asyncio.wait_for(client.get(raw), 60) == 200
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError, TimeoutError):
                    ok = False
                if time.monotonic() > deadline:
                    break
                latencies[name].append((time.perf_counter() - t) * 1000)
                if not ok:
                    errors[name] += 1
        finally:
            client.close()

    await asyncio.gather(*(reader(n) for n in range(count)))
    return latencies, errors, time.process_time() - cpu


def seed_apps(url: str, count: int, days: int) -> list[str]:
    """``count`` more apps (app-0000 ...) with ``days`` of daily usage and cost rows, 5 models
    each (the rollups ``bench.usage_sync`` reads), next to the demo organisation."""
    engine = make_engine(url)
    db = Database(engine)
    names = [f"app-{a:04d}" for a in range(count)]
    with db.session_scope() as session:
        for a, name in enumerate(names):
            make_app(session, name=name, namespace=f"ns-{a % 20}", team=f"team-{a % 25}")
    end = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    fill_rollups(db, count, days, end)
    engine.dispose()
    return names


def report(
    title: str,
    latencies: dict[str, list[float]],
    errors: dict[str, int],
    elapsed: float,
    cpu: float,
    served: float,
    per_read: bool,
) -> None:
    every = [v for values in latencies.values() for v in values]
    print(title)
    if per_read:
        for name, values in sorted(latencies.items()):
            print(
                f"  {name:<16} {len(values):>6} requests  p50 {statistics.median(values):7.1f} ms"
                f"  p95 {pct(values, 0.95):7.1f} ms  errors {errors.get(name, 0)}"
            )
    print(
        f"  total: {len(every) / elapsed:.1f} requests/s, p50 {statistics.median(every):.1f} ms, "
        f"p95 {pct(every, 0.95):.1f} ms, errors {sum(errors.values())}; load generator "
        f"{cpu:.1f} s CPU ({100 * cpu / elapsed:.0f}% of one core)"
    )
    # Steadier than requests/s on a shared machine: what serving one request cost serve.
    print(
        f"  serve CPU: {served:.1f} s over every process, "
        f"{1000 * served / max(1, len(every)):.2f} ms per request"
    )


def main() -> None:
    args = arguments(
        __doc__,
        readers=32,
        seconds=60.0,
        ceiling_seconds=10.0,
        workers=0,
        apps=1000,
        days=30,
        sync_apps=100,
        sync_days=7,
    )
    with tempfile.TemporaryDirectory() as tmp, postgres_database() as url:
        engine = make_engine(url)
        migrate(engine)
        org = seed_demo(Database(engine))
        engine.dispose()
        t = time.perf_counter()
        apps = [a.name for a in org.apps] + seed_apps(url, args.apps, args.days)
        print(
            f"seeded {len(apps)} apps ({args.days} d of rollups) in {time.perf_counter() - t:.0f} s"
        )
        factory = PrometheusFactory(Path(tmp))
        end = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(
            minute=0, second=0, microsecond=0
        )
        prom = factory.start(series(args.sync_apps, args.sync_days, end))
        env = {
            **os.environ,
            # serve and sync run from the temporary directory: without this they would import
            # the portal the venv has installed (its editable checkout), not this copy of it
            # (a `git archive` copy of main measured the worktree's code).
            "PYTHONPATH": os.pathsep.join(
                filter(
                    None, [str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")]
                )
            ),
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
        healthz = [("healthz", b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n")]
        try:
            with PeakRss() as rss, serve(env, port, args.workers or None) as server:
                rss.watch("serve", server.pid)
                syncer = threading.Thread(target=sync_loop, args=(env, stop, rss, sync_seconds))
                syncer.start()
                load_before = os.getloadavg()
                t = time.perf_counter()
                served = cpu_seconds(server.pid)
                latencies, errors, cpu = asyncio.run(
                    readers(port, dashboard_reads(apps), args.readers, args.seconds)
                )
                served = cpu_seconds(server.pid) - served
                elapsed = time.perf_counter() - t
                # The ceiling in the same conditions: the cheapest route, same readers, same sync.
                t = time.perf_counter()
                c_served = cpu_seconds(server.pid)
                c_latencies, c_errors, c_cpu = asyncio.run(
                    readers(port, healthz, args.readers, args.ceiling_seconds)
                )
                c_served = cpu_seconds(server.pid) - c_served
                c_elapsed = time.perf_counter() - t
                load_after = os.getloadavg()
                stop.set()
                syncer.join()
        finally:
            factory.stop_all()
    workers = str(args.workers) if args.workers else "its default"
    report(
        f"{args.readers} readers x {elapsed:.0f} s on PostgreSQL, serve with {workers} workers "
        f"({len(apps)} apps), sync of {args.sync_apps} apps x 5 models x "
        f"{args.sync_days} d running: {len(sync_seconds)} passes "
        f"({statistics.mean(sync_seconds) if sync_seconds else 0:.1f} s each)",
        latencies,
        errors,
        elapsed,
        cpu,
        served,
        per_read=True,
    )
    report(
        f"ceiling: GET /healthz, same {args.readers} readers x {c_elapsed:.0f} s, sync running",
        c_latencies,
        c_errors,
        c_elapsed,
        c_cpu,
        c_served,
        per_read=False,
    )
    print("peak RSS: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in sorted(rss.peaks.items())))
    print(
        f"load average (1/5/15 min): before {'/'.join(f'{x:.1f}' for x in load_before)}, "
        f"after {'/'.join(f'{x:.1f}' for x in load_after)} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
