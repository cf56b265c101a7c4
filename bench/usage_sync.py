"""Benchmark of the usage and cost pipeline; prints its figures (not a test).

1. Sync from a real Prometheus (backfilled with promtool) at N apps x 5 models x D days:
   queries per sync, seconds, rows written.
2. API latency of an app's 90-day usage + costs and of the org monthly report on rollups of
   A apps x 5 models x R days, on SQLite and PostgreSQL (p50 / p95 over repeated calls).
3. The same app question answered with live PromQL against the Prometheus of step 1, as a
   ratio to the stored-rollup answer.

The synthetic data (``series``): per app and model, two token counters (input, output) and a
request counter, one sample an hour (the sync reads hour-end values, so finer samples would
only make the backfill longer, not the sync's reads different), rising steadily from the first
hour: at 1,000 apps 15,000 series and 10.8 M samples (1.1 GB of OpenMetrics). The backfill
writes one promtool block length over the whole range (one parse of the input: about 4-5
minutes at 1,000 apps x 30 days at load 9-11, where 24 h blocks ran for more than 45 minutes);
``--prom-cache`` keeps the TSDB (e.g. under ``/tmp/usage-tsdb``) and later runs start Prometheus
on it in seconds.

    .venv/bin/python -m bench.usage_sync --apps 10,100,1000 --days 30 --api-apps 1000 --api-days 365
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import requests
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.common import (
    arguments,
    dashboard_questions,
    database,
    load_average,
    loaded_prometheus,
    postgres_database,
    rss_mb,
    timed,
)
from portal_api.config import ApiToken, Settings
from portal_api.costs.models import CostDaily
from portal_api.costs.pricing import refresh_aggregates
from portal_api.db import Database, make_engine, migrate
from portal_api.kit.gcpause import collection_paused
from portal_api.main import create_app
from portal_api.precompute import after_pass
from portal_api.sources.bundle import Sources
from portal_api.sources.prometheus import PrometheusSource, decode_matrix
from portal_api.steps import all_steps
from portal_api.sync.collector import StepResult, SyncPass, run_sync
from portal_api.usage.models import UsageDaily
from portal_api.usage.service import bulk_insert, rebuild_monthly
from tests.servers.prometheus import PrometheusFactory, PromSeries

MODELS = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-20250514", "claude-3-5-haiku-20241022", "m5"]
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
TOKEN = "bench-token-0123456789abcdef"


def series(apps: int, days: int, end: dt.datetime) -> Iterator[PromSeries]:
    """Hourly counter samples: input and output tokens and request counts per app and model
    (metric by metric: one OpenMetrics family each)."""
    start = end - days * DAY
    hours = days * 24
    times = [start + h * HOUR for h in range(hours + 1)]

    def labels(a: int, m: int) -> dict[str, str]:
        return {
            "backstage_io_kubernetes_id": f"app-{a:04d}",
            "namespace": f"ns-{a % 20}",
            "gen_ai_request_model": MODELS[m],
            "gen_ai_provider_name": "openai" if m < 2 else "anthropic",
        }

    for a in range(apps):
        for m in range(len(MODELS)):
            rate = 100 + (a * 7 + m * 13) % 400
            for kind, factor in (("input", 1.0), ("output", 0.25)):
                yield PromSeries(
                    "gen_ai_client_token_usage_sum",
                    {**labels(a, m), "gen_ai_token_type": kind},
                    [(t, rate * factor * h) for h, t in enumerate(times)],
                )
    for a in range(apps):
        for m in range(len(MODELS)):
            yield PromSeries(
                "gen_ai_client_operation_duration_seconds_count",
                labels(a, m),
                [(t, float(h)) for h, t in enumerate(times)],
            )


class RecordingSource(PrometheusSource):
    """The real source, noting every range query it sends (to replay them for the floor)."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.ranges: list[tuple[str, dt.datetime, dt.datetime, dt.timedelta]] = []

    def query_range_bytes(
        self, promql: str, *, start: dt.datetime, end: dt.datetime, step: dt.timedelta
    ) -> bytes:
        self.ranges.append((promql, start, end, step))
        return super().query_range_bytes(promql, start=start, end=end, step=step)


def fetch_floor(
    url: str, ranges: list[tuple[str, dt.datetime, dt.datetime, dt.timedelta]]
) -> tuple[float, float, int]:
    """Seconds to fetch and decode the sync's range queries again, of which seconds
    Prometheus took to answer them (the bytes read, not decoded), and bytes read. Decoded by
    orjson (a parse, nothing converted: the cheaper decode), the garbage collector paused as
    in the sync's steps; the sync's own decoder (``decode_matrix``, floats converted) is
    timed beside it (``FLOOR_SYNC_DECODER``)."""
    with collection_paused():
        return _fetch_floor(url, ranges)


def _fetch_floor(
    url: str, ranges: list[tuple[str, dt.datetime, dt.datetime, dt.timedelta]]
) -> tuple[float, float, int]:
    size = 0
    answering = decoding = with_orjson = cpu = 0.0
    for promql, start, end, step in ranges:
        asked = time.perf_counter()
        began = time.process_time()
        response = requests.get(
            f"{url}/api/v1/query_range",
            params={
                "query": promql,
                "start": f"{start.timestamp():.3f}",
                "end": f"{end.timestamp():.3f}",
                "step": f"{int(step.total_seconds())}s",
            },
            # as the sync's source asks (PORTAL_PROMETHEUS_COMPRESSION off): not gzipped
            headers={"Accept-Encoding": "identity"},
            timeout=600,
        )
        response.raise_for_status()
        body = response.content
        size += len(body)
        answering += time.perf_counter() - asked
        t = time.perf_counter()
        orjson.loads(body)
        with_orjson += time.perf_counter() - t
        cpu += time.process_time() - began
        t = time.perf_counter()
        decode_matrix(body)
        decoding += time.perf_counter() - t
    FLOOR_CPU.append(cpu)
    FLOOR_SYNC_DECODER.append(decoding)
    return answering + with_orjson, answering, size


# The sync's decoder on the floor's answers, seconds (for comparison).
FLOOR_SYNC_DECODER: list[float] = []
# CPU seconds of each fetch_floor (printed next to the sync's own CPU seconds).
FLOOR_CPU: list[float] = []


def sync_once(prom_url: str, db_url: str, days: int, now: dt.datetime) -> dict[str, Any]:
    """One full sync pass (every step) into a migrated database; run in a child process of
    its own, so that its peak RSS is the sync's alone."""
    engine = make_engine(db_url)
    migrate(engine)
    prom = RecordingSource(prom_url, timeout=600)
    cpu = time.process_time()
    t = time.perf_counter()
    stored: list[float] = []
    store = after_pass(create_app)

    def after(sync: SyncPass, results: list[StepResult]) -> None:
        # as `sync` and `serve` run it: the dashboards' answers stored after the pass
        started = time.perf_counter()
        store(sync, results)
        stored.append(time.perf_counter() - started)

    results = run_sync(
        db=Database(engine),
        sources=Sources(prometheus=prom),
        settings=Settings(prometheus_url=prom_url, backfill_days=days),
        steps=all_steps(),
        now=now,
        after=after,
    )
    seconds = time.perf_counter() - t - sum(stored)
    cpu = time.process_time() - cpu
    engine.dispose()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "steps": {r.step: (r.ok, r.error, r.seconds, r.stats) for r in results},
        "ranges": prom.ranges,
        "rss_mb": rss_mb(),
        "stored_seconds": sum(stored),
    }


def bench_sync(
    factory: PrometheusFactory, apps: int, days: int, dbs: list[str], cache: Path | None
) -> tuple[PrometheusSource, dt.datetime]:
    server, end, backfill = loaded_prometheus(
        factory, f"usage-{apps}x{days}", lambda end: series(apps, days, end), cache
    )
    prom = PrometheusSource(server.url, timeout=600)
    spawn = multiprocessing.get_context("spawn")
    for kind in dbs:
        with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as url:
            before = load_average()
            with ProcessPoolExecutor(1, mp_context=spawn) as child:
                run = child.submit(
                    sync_once, server.url, url, days, end + dt.timedelta(minutes=5)
                ).result()
            engine = make_engine(url)
            disk = database_bytes(engine, url)
            engine.dispose()
        seconds = run["seconds"]
        steps = {
            name: (ok, error, secs, stats)
            for name, (ok, error, secs, stats) in run["steps"].items()
        }
        for name, (ok, error, _, _) in steps.items():
            assert ok, f"{name}: {error}"
        usage, costs = steps["prometheus/usage"][3], steps["prometheus/costs"][3]
        usage_s, costs_s = steps["prometheus/usage"][2], steps["prometheus/costs"][2]
        switches_s = steps["prometheus/timeline"][2]
        floor, answering, size = fetch_floor(server.url, run["ranges"])
        SIZING.append((kind, apps, days, usage["hourly_rows"], usage["daily_rows"], disk, seconds))
        print(
            f"sync {kind:<10} {apps:>5} apps x {len(MODELS)} models x {days} d: "
            f"{usage['queries']} queries, {seconds:6.1f} s "
            f"(usage {usage_s:.1f} s: read {usage['seconds_read']:.1f} (CPU {usage['cpu_read']:.1f}) "
            f"ahead of the stores, which waited {usage['seconds_waiting_for_reads']:.1f} for it; "
            f"load {usage['seconds_load']:.1f} (CPU {usage['cpu_load']:.1f}), "
            f"daily {usage['seconds_daily']:.1f}; costs {costs_s:.1f} s, model switches {switches_s:.1f} s); "
            f"fetch+decode floor {floor:.1f} s ({size / 1e6:.0f} MB JSON; Prometheus "
            f"answering alone {answering:.1f} s, orjson decoding {floor - answering:.1f} s; "
            f"the sync's decoder, floats made, {FLOOR_SYNC_DECODER[-1]:.1f} s) -> sync "
            f"{seconds / floor:.1f}x the floor (usage step {usage_s / floor:.1f}x); "
            f"CPU of the sync process {run['cpu']:.1f} s, of the floor {FLOOR_CPU[-1]:.1f} s; "
            f"{usage['hourly_rows']} hourly + {usage['daily_rows']} daily + "
            f"{costs['cost_rows']} cost rows, {disk / 1e6:.0f} MB on disk; "
            f"stored answers after the pass {run['stored_seconds']:.1f} s (not in the sync's time); "
            f"sync peak RSS {run['rss_mb']:.0f} MB (with the stored answers); [{before} -> {load_average()}] "
            f"[promtool backfill + start {backfill:.1f} s]",
            flush=True,
        )
    return prom, end


# (database, apps, days, hourly rows, daily rows, bytes on disk, sync seconds) per sync run.
SIZING: list[tuple[str, int, int, int, int, int, float]] = []


def print_sizing() -> None:
    """The sizing table: measured rows, disk and sync time, and a year at the measured
    bytes per row (hourly rows kept for the retention, daily rows forever)."""
    print(f"\nsizing ({len(MODELS)} models per app; {load_average()}):")
    print(
        "| database | apps | days synced | hourly rows | daily rows | disk | sync | disk per year |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kind, apps, days, hourly, daily, disk, seconds in SIZING:
        per_row = disk / max(hourly + daily, 1)
        year = per_row * apps * len(MODELS) * 365 * 25  # 24 hourly + 1 daily row a day
        print(
            f"| {kind} | {apps:,} | {days} | {hourly:,} | {daily:,} | {disk / 1e6:,.0f} MB "
            f"| {seconds:.0f} s | {year / 1e9:,.1f} GB |"
        )


def database_bytes(engine: Any, url: str) -> int:
    """Size of the synced database: the file (SQLite) or pg_database_size (PostgreSQL)."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar())


def fill_rollups(db: Database, apps: int, days: int, end: dt.datetime) -> None:
    rng = random.Random(1)
    start = end - days * DAY
    usage: list[dict[str, Any]] = []
    cost: list[dict[str, Any]] = []
    with db.session_scope() as session:
        for a in range(apps):
            for model in MODELS:
                for d in range(days):
                    day = start + d * DAY
                    tokens = rng.randint(10_000, 1_000_000)
                    common = {
                        "day": day,
                        "app": f"app-{a:04d}",
                        "namespace": f"ns-{a % 20}",
                        "model": model,
                        "provider": "openai",
                        "input_tokens": tokens,
                        "output_tokens": tokens // 4,
                        "cached_input_tokens": 0,
                    }
                    usage.append({**common, "requests": tokens // 1000, "errors": 0})
                    amount = Decimal(tokens) * Decimal("0.0000025")
                    cost.append(
                        {
                            **common,
                            "gpu_hours": 0.0,
                            "input_cost": amount,
                            "output_cost": Decimal(0),
                            "cost": amount,
                            "price_source": "genai-prices",
                        }
                    )
                    if len(usage) >= 20_000:
                        bulk_insert(session, UsageDaily, usage)
                        bulk_insert(session, CostDaily, cost)
                        usage, cost = [], []
        bulk_insert(session, UsageDaily, usage)
        bulk_insert(session, CostDaily, cost)
    finish_load(db, start, end)


def finish_load(db: Database, start: dt.datetime, end: dt.datetime) -> None:
    """What the sync does after daily rows were loaded directly: the usage step's monthly
    requests, the costs step's monthly costs, daily totals and stored anomalies; then what
    autovacuum does after a large load on PostgreSQL, vacuum and statistics (SQLite is left as the portal runs it,
    with no statistics: with them it skip-scans the (app, day) indexes for period reads)."""
    with db.session_scope() as session:
        rebuild_monthly(session=session, start=start, end=end)
        refresh_aggregates(session=session, start=start, end=end)
    if db.dialect == "postgresql":
        # VACUUM as well: autovacuum would otherwise start on the loaded tables (inserts
        # trigger it too) while the reads are timed, as it would not in a steady state.
        assert isinstance(db.bind, Engine)
        with db.bind.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")


def bench_api(url: str, label: str, apps: int, days: int, runs: int) -> tuple[float, float]:
    """One app's 90-day usage + costs and the org monthly report, through the API, three ways:
    computed from the rollups on every call (response cache off), the first call after a write
    (cache on, the data version just bumped) and answered from the response cache."""
    engine = make_engine(url)
    migrate(engine)
    db = Database(engine)
    end = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0) + DAY
    t = time.perf_counter()
    fill_rollups(db, apps, days, end)
    load = time.perf_counter() - t
    settings = Settings(
        database_url=url,
        api_tokens=[ApiToken(name="bench", token=TOKEN, scopes=["read"])],  # type: ignore[arg-type]
    )
    headers = {"Authorization": f"Bearer {TOKEN}"}
    window = {"from": (end - 90 * DAY).isoformat(), "to": end.isoformat()}
    month = (end - 40 * DAY).strftime("%Y-%m")
    probe = f"app-{min(42, apps - 1):04d}"

    def questions(client: TestClient) -> tuple[Callable[[], None], Callable[[], None]]:
        return dashboard_questions(client, headers, probe, window, month)

    def after_write(fn: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            with db.session_scope() as session:  # writes: they bump the tables' versions
                for table in ("usage_daily", "cost_daily"):
                    session.connection().exec_driver_sql(
                        f"UPDATE {table} SET input_tokens = input_tokens WHERE id < 0"
                    )
            fn()

        return run

    uncached = create_app(
        settings.model_copy(update={"response_cache_mb": 0}), db=db, sources=Sources()
    )
    cached = create_app(settings, db=db, sources=Sources())
    out: dict[str, tuple[float, float, float, float]] = {}
    with TestClient(uncached) as plain, TestClient(cached) as client:
        app_view, report = questions(plain)
        out["uncached"] = (*timed(app_view, runs), *timed(report, max(runs // 4, 5)))
        app_view, report = questions(client)
        # The bump itself is a write transaction: timed separately and left out.
        bump_ms = timed(after_write(lambda: None), 5)[0]
        cold = (*timed(after_write(app_view), 10), *timed(after_write(report), 5))
        out["first after a write"] = tuple(v - bump_ms for v in cold)  # type: ignore[assignment]
        out["cached"] = (*timed(app_view, runs), *timed(report, runs))
    print(
        f"api {label} {apps} apps x {len(MODELS)} models x {days} d "
        f"({apps * len(MODELS) * days:,} daily rows each, loaded in {load:.0f} s) "
        f"[{load_average()}]",
        flush=True,
    )
    for how, (a50, a95, r50, r95) in out.items():
        print(
            f"  {how:<20} app 90-d usage+costs p50 {a50:6.1f} ms p95 {a95:6.1f} ms; "
            f"org monthly report (JSON) p50 {r50:6.1f} ms p95 {r95:6.1f} ms",
            flush=True,
        )
    engine.dispose()
    return out["uncached"][0], out["uncached"][2]


def bench_live(
    prom: PrometheusSource,
    end: dt.datetime,
    days: int,
    runs: int,
    stored_ms: float,
    report_ms: float,
) -> None:
    app = 'backstage_io_kubernetes_id="app-0042"'
    queries = [
        "sum by (gen_ai_request_model, gen_ai_token_type) "
        f"(increase(gen_ai_client_token_usage_sum{{{app}}}[1d]))",
        "sum by (gen_ai_request_model) "
        f"(increase(gen_ai_client_operation_duration_seconds_count{{{app}}}[1d]))",
    ]

    def live() -> None:
        for q in queries:
            prom.query_range(q, start=end - days * DAY + DAY, end=end, step=DAY)

    p50, p95 = timed(live, runs)
    print(
        f"live PromQL, one app's {days}-d usage per model and day: p50 {p50:.1f} ms "
        f"p95 {p95:.1f} ms (no prices) -> stored rollups answer {p50 / stored_ms:.2f}x as fast "
        f"[{load_average()}]"
    )
    # What the monthly report needs, for every app: tokens per app, model, type and day.
    org = (
        "sum by (backstage_io_kubernetes_id, gen_ai_request_model, gen_ai_token_type) "
        "(increase(gen_ai_client_token_usage_sum[1d]))"
    )

    def live_org() -> None:
        prom.query_range(org, start=end - days * DAY + DAY, end=end, step=DAY)

    p50, p95 = timed(live_org, max(runs // 4, 5))
    print(
        f"live PromQL, every app's {days}-d usage per model and day: p50 {p50:.1f} ms "
        f"p95 {p95:.1f} ms (no prices) -> stored monthly report answers "
        f"{p50 / report_ms:.1f}x as fast [{load_average()}]"
    )


def main() -> None:
    args = arguments(
        __doc__,
        apps="10,100,1000",
        days=30,
        api_apps=1000,
        api_days=365,
        runs=40,
        sync_db="sqlite,postgresql",
        prom_cache="",
    )
    prom_cache = Path(args.prom_cache) if args.prom_cache else None
    with tempfile.TemporaryDirectory() as tmp:
        factory = PrometheusFactory(Path(tmp))
        try:
            live = None
            for apps in [int(a) for a in args.apps.split(",") if a]:
                live = bench_sync(factory, apps, args.days, args.sync_db.split(","), prom_cache)
            print_sizing()
            if not args.api_apps:
                return
            stored = {}
            stored["sqlite"] = bench_api(
                f"sqlite:///{tmp}/api.db", "sqlite", args.api_apps, args.api_days, args.runs
            )
            with postgres_database() as url:
                stored["postgresql"] = bench_api(
                    url, "postgresql", args.api_apps, args.api_days, args.runs
                )
            if live is not None:
                bench_live(
                    *live,
                    args.days,
                    args.runs,
                    min(a for a, _ in stored.values()),
                    min(r for _, r in stored.values()),
                )
        finally:
            factory.stop_all()


if __name__ == "__main__":
    main()
