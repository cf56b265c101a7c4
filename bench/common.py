"""What the benchmarks share: a throw-away database, a Prometheus loaded with generated
series (kept between runs on request), timing and the machine's load."""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.servers.process import PortalProcess, env_without_portal, free_port, start_server
from tests.servers.prometheus import PrometheusFactory, PromSeries

PG_ADMIN = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def arguments(doc: str | None, **defaults: int | float | str) -> argparse.Namespace:
    """The command line of a benchmark: ``--name`` per default given, of the default's type
    (underscores as dashes). ``--help`` prints ``doc``, the benchmark's module docstring, which
    says what each option means."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    for name, default in defaults.items():
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            type=type(default),
            default=default,
            help="default: %(default)r",
        )
    return parser.parse_args()


def load_average() -> str:
    return "load " + " ".join(f"{v:.1f}" for v in os.getloadavg())


def rss_mb() -> float:
    """Peak resident memory of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds of ``runs`` calls (after one warm-up call)."""
    fn()
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), pct(samples, 0.95)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one run, dropped afterwards; yields its URL."""
    name = f"portal_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[str]:
    """A fresh SQLite file in ``tmp`` or a fresh PostgreSQL database; yields its URL."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.db'}"
    else:
        with postgres_database() as url:
            yield url


# promtool's block length for benchmark backfills: a year, longer than any generated range.
BACKFILL_BLOCK_HOURS = 24 * 366


def bench_end() -> dt.datetime:
    """The last generated sample: whole hours, older than the 3 h promtool's backfill needs."""
    return (dt.datetime.now(dt.UTC) - dt.timedelta(hours=6)).replace(
        minute=0, second=0, microsecond=0
    )


def _write_openmetrics(series: Iterable[PromSeries], path: Path) -> None:
    """Streams the series to an OpenMetrics file (one family per name, in runs of the same
    name): a million series never sit in memory as one string. Series share their sample
    times, so each time is formatted once (whole seconds without a fraction: shorter to parse)."""
    stamps: dict[dt.datetime, str] = {}

    def stamp(t: dt.datetime) -> str:
        text = stamps.get(t)
        if text is None:
            seconds = t.timestamp()
            text = stamps[t] = f"{seconds:.0f}" if seconds.is_integer() else f"{seconds:.3f}"
        return text

    with path.open("w", buffering=1 << 20) as out:
        name = None
        for s in series:
            if s.name != name:
                name = s.name
                out.write(f"# TYPE {name} unknown\n")
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
            head = f"{name}{{{labels}}} "
            out.write("".join([f"{head}{v!r} {stamp(t)}\n" for t, v in s.samples]))
        out.write("# EOF\n")


def loaded_prometheus(
    factory: PrometheusFactory,
    key: str,
    generate: Callable[[dt.datetime], Iterable[PromSeries]],
    cache: Path | None,
) -> tuple[PortalProcess, dt.datetime, float]:
    """A Prometheus holding ``generate(end)`` (promtool backfill), its ``end`` and the seconds
    the backfill and start took. With ``cache``, the TSDB is kept in ``cache/key`` and a later
    run with the same key starts on it (with the ``end`` it was generated for).

    The generated series must group each metric name in one run (OpenMetrics families)."""
    t = time.perf_counter()
    kept = cache / key if cache is not None else None
    if kept is not None and (kept / "end.json").exists():
        end = dt.datetime.fromisoformat(json.loads((kept / "end.json").read_text()))
        return factory.start(data_dir=kept / "data"), end, time.perf_counter() - t
    end = bench_end()
    workdir = kept or factory.base_dir / f"tsdb-{key}"
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "data").mkdir(parents=True)
    source = workdir / "series.om"
    _write_openmetrics(generate(end), source)
    subprocess.run(
        [
            "promtool",
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            # One block length that spans the whole range: promtool re-reads the whole input
            # once per block length, so 24 h blocks parse a 30-day file 30 times (an hour at
            # 1,000 apps) where this parses it once or twice.
            f"--max-block-duration={BACKFILL_BLOCK_HOURS}h",
            str(source),
            str(workdir / "data"),
        ],
        check=True,
        capture_output=True,
    )
    source.unlink()
    (workdir / "end.json").write_text(json.dumps(end.isoformat()))
    return factory.start(data_dir=workdir / "data"), end, time.perf_counter() - t


# One worker of ``serve`` as its supervisor starts it (portal_api.launch) with serve's
# defaults (no access log: PORTAL_ACCESS_LOG), on a given port.
WORKER = (
    "import uvicorn; uvicorn.run('portal_api.main:serve_app', factory=True, host='127.0.0.1', "
    "port={port}, log_level='info', access_log=False, proxy_headers=True)"
)


@contextmanager
def serve_worker(url: str, tokens: list[dict[str, Any]]) -> Iterator[PortalProcess]:
    """One ``serve`` worker process on ``url``'s database (settings otherwise the defaults,
    no sync), started from this checkout, until the block ends."""
    root = str(Path(__file__).resolve().parents[1])
    env = env_without_portal(
        PORTAL_DATABASE_URL=url,
        PORTAL_API_TOKENS=json.dumps(tokens),
        PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    )
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        worker = start_server(
            [sys.executable, "-c", WORKER.format(port=port)], env=env, cwd=Path(tmp), port=port
        )
        try:
            yield worker
        finally:
            worker.stop()


def dashboard_questions(
    client: TestClient, headers: dict[str, str], probe: str, window: dict[str, str], month: str
) -> tuple[Callable[[], None], Callable[[], None]]:
    """The two stored reads the benchmarks time through the API: one app's usage and costs over
    ``window`` (the app view), and the org's monthly cost report for ``month``."""

    def app_view() -> None:
        for path in (f"/api/v1/apps/{probe}/usage", f"/api/v1/apps/{probe}/costs"):
            response = client.get(path, params=window, headers=headers)
            assert response.status_code == 200, response.text

    def report() -> None:
        response = client.get("/api/v1/reports/costs", params={"month": month}, headers=headers)
        assert response.status_code == 200, response.text

    return app_view, report


def plugin_reads(app: str, days: int, now: dt.datetime) -> list[tuple[str, dict[str, str]]]:
    """The Backstage plugin's two requests of an app's page at ``now`` (its GenAiPortalClient:
    usage over the last ``days`` to the millisecond, per hour up to 7 days; costs since the
    first day of last month, no ``to``)."""
    stamp = "%Y-%m-%dT%H:%M:%S.{ms:03d}Z"

    def iso(t: dt.datetime) -> str:
        return t.strftime(stamp).format(ms=t.microsecond // 1000)

    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last_month = (month - dt.timedelta(days=1)).replace(day=1)
    usage = {"from": iso(now - dt.timedelta(days=days)), "to": iso(now)}
    return [
        (f"/api/v1/apps/{app}/usage", usage | {"step": "hour" if days <= 7 else "day"}),
        (f"/api/v1/apps/{app}/costs", {"from": iso(last_month), "step": "day"}),
    ]


def _figures(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), pct(samples, 0.95)


def wire_timed(
    base_url: str, runs: list[list[str]], headers: dict[str, str]
) -> tuple[float, float]:
    """p50 / p95 in ms of each run's GETs (``runs[0]`` a warm-up) over one keep-alive
    ``http.client`` connection, every answer's bytes read and not decoded, with the
    ``Accept-Encoding`` of requests and browsers: the server's time and the wire's, without a
    client library's or the decoder's."""
    split = urlsplit(base_url)
    connection = http.client.HTTPConnection(split.hostname or "127.0.0.1", split.port, timeout=60)
    sent = {"Accept-Encoding": "gzip, deflate", **headers}

    def run(paths: list[str]) -> None:
        for path in paths:
            connection.request("GET", path, headers=sent)
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200, (path, response.status, body[:200])

    try:
        run(runs[0])
        samples = []
        for paths in runs[1:]:
            t = time.perf_counter()
            run(paths)
            samples.append((time.perf_counter() - t) * 1000)
    finally:
        connection.close()
    return _figures(samples)


BROWSER_SCRIPT = Path(__file__).with_name("browser_reads.mjs")


def browser_timed(
    origin: str, headers: dict[str, str], runs: list[list[str]]
) -> dict[str, tuple[float, float]] | None:
    """p50 / p95 in ms of each run's reads in headless Chromium (``bench/browser_reads.mjs``:
    the page's fetch() and response.json(), the first half of ``runs[1:]`` one read after
    another, the second half at once), the page opened at ``origin`` (the reads are
    same-origin); None, said why, when Node, the plugin workspace's playwright-core or
    Chromium is missing."""
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if shutil.which("node") is None or not Path(chromium).exists():
        print(f"  (no browser figures: node or {chromium} is missing)", flush=True)
        return None
    done = subprocess.run(
        ["node", str(BROWSER_SCRIPT)],
        input=json.dumps({"origin": origin, "headers": headers, "runs": runs}),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        print(f"  (no browser figures: {done.stderr.strip()[-300:]})", flush=True)
        return None
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return {how: _figures(found[how]) for how in ("sequential", "parallel")}
