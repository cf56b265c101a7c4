"""Benchmark of the stored reads at 1,000 apps x 5 models x 365 days, side by side with live
PromQL answering the same questions; prints its figures (not a test).

1. Loads A apps x 5 models x D days of daily usage and daily cost rows straight into SQLite
   (executemany) and PostgreSQL (COPY), then what the costs step derives from them (monthly
   costs, anomalies). Windows are whole UTC days, so ``step=day`` reads need no hourly rows.
2. Through the API (TestClient), response cache off (every answer computed) and on: one app's
   90-day usage + costs, and the org monthly report (JSON); p50 / p95. The floor: two
   requests of a trivial route behind the same middlewares and token check, through the
   same client (what no read can go under).
3. Stored answers: what a sync pass spends storing every app's dashboard reads, and the
   plugin's own 90-day page read (usage + costs since the first day of last month) computed
   and as the first read after the pass in a cold worker (stored answers, one app each time);
   then from a ``serve`` worker just started, over HTTP: through ``requests`` (the answers
   decoded), over the wire alone (``http.client``, the bytes read) and in Chromium (fetch and
   json, one read after the other and both at once; needs ``make plugins-deps``).
4. Live PromQL for the same questions against a real Prometheus (promtool backfill of L apps x
   5 models x P days of hourly counter samples): one app's 90 days per model and day, and every
   app's tokens and requests per model and day over the report's two months; the plugin's
   page's counterpart (the app view, a different app each time, as the page is timed) also
   over the wire alone and in Chromium.

    .venv/bin/python -m bench.reads --apps 1000 --days 365 --live-apps 1000
    # profile the computed reads (cProfile, top functions) on SQLite only
    .venv/bin/python -m bench.reads --apps 1000 --days 365 --dbs sqlite --live-apps 0 --profile 1
"""

from __future__ import annotations

import cProfile
import datetime as dt
import itertools
import pstats
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
import requests
from fastapi.testclient import TestClient

from bench.common import (
    arguments,
    browser_timed,
    dashboard_questions,
    database,
    load_average,
    loaded_prometheus,
    plugin_reads,
    serve_worker,
    timed,
    wire_timed,
)
from bench.usage_sync import DAY, MODELS, TOKEN, finish_load, series
from portal_api.cache import ResponseCache
from portal_api.config import ApiToken, Settings
from portal_api.costs.models import CostDaily
from portal_api.db import Database, make_engine, migrate
from portal_api.deps import ReadCaller
from portal_api.main import create_app
from portal_api.precompute import store_answers
from portal_api.sources.bundle import Sources
from portal_api.sources.prometheus import PrometheusSource
from portal_api.usage.models import UsageDaily
from portal_api.usage.service import table_of
from tests.servers.prometheus import PrometheusFactory
from tests.test_stored_answers import cache_answers

PROBE = 42
BATCH = 20_000
# Money is stored as integer 1e-9 USD: 2.5 USD per million input tokens.
NANO_PER_TOKEN = 2_500

# The key and token columns both tables share, then each table's own.
KEY_COLUMNS = [
    "day",
    "app",
    "namespace",
    "model",
    "provider",
    "input_tokens",
    "output_tokens",
    "cached_input_tokens",
]
USAGE_COLUMNS = [
    *KEY_COLUMNS,
    "requests",
    "errors",
    "latency_p50",
    "latency_p95",
    "ttft_p50",
    "ttft_p95",
]
COST_COLUMNS = [
    *KEY_COLUMNS,
    "gpu_hours",
    "input_cost",
    "cached_input_cost",
    "output_cost",
    "gpu_cost",
    "cost",
    "price_source",
]


def app_name(a: int) -> str:
    return f"app-{a:04d}"


def tokens_of(a: int, m: int, d: int) -> int:
    """A day's input tokens of one app and model: varies by app, model and day, no RNG state."""
    return 10_000 + ((a * 7919 + m * 104_729 + d * 1_299_709) % 990_000)


def daily_rows(
    apps: int, days: int, start: dt.datetime, day_value: Callable[[dt.datetime], Any]
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """(usage row, cost row) per app, model and day, as the database stores them (``day`` in
    the column's stored form, money as integer nano-USD)."""
    stored = [day_value(start + d * DAY) for d in range(days)]
    for a in range(apps):
        app, namespace = app_name(a), f"ns-{a % 20}"
        for m, model in enumerate(MODELS):
            provider = "openai" if m < 2 else "anthropic"
            for d in range(days):
                tokens = tokens_of(a, m, d)
                key = (stored[d], app, namespace, model, provider, tokens, tokens // 4, 0)
                latency = 0.2 + (tokens % 97) / 100
                usage = (*key, tokens // 1000, 0, latency, latency * 3, latency / 4, latency / 2)
                nano = tokens * NANO_PER_TOKEN
                cost = (*key, 0.0, nano, 0, 0, 0, nano, "genai-prices")
                yield usage, cost


def load(db: Database, apps: int, days: int, end: dt.datetime) -> float:
    """Loads the daily usage and cost rows (COPY on PostgreSQL, executemany on SQLite), then
    the monthly costs and anomalies; returns the seconds it took."""
    t = time.perf_counter()
    start = end - days * DAY
    usage_table, cost_table = table_of(UsageDaily).name, table_of(CostDaily).name
    with db.session_scope() as session:
        connection = session.connection()
        dialect = connection.dialect
        day_type = UsageDaily.__table__.c.day.type  # type: ignore[attr-defined]
        bind = day_type.dialect_impl(dialect).bind_processor(dialect)

        def day_value(day: dt.datetime) -> Any:
            return bind(day) if bind is not None else day

        rows = daily_rows(apps, days, start, day_value)
        if dialect.name == "postgresql":
            raw = connection.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cursor:
                usage_copy = f"COPY {usage_table} ({', '.join(USAGE_COLUMNS)}) FROM STDIN"
                cost_copy = f"COPY {cost_table} ({', '.join(COST_COLUMNS)}) FROM STDIN"
                costs: list[tuple[Any, ...]] = []
                with cursor.copy(usage_copy) as copy:
                    for usage, cost in rows:
                        copy.write_row(usage)
                        costs.append(cost)
                with cursor.copy(cost_copy) as copy:
                    for cost in costs:
                        copy.write_row(cost)
        else:
            marks = ", ".join("?" for _ in USAGE_COLUMNS)
            usage_sql = f"INSERT INTO {usage_table} ({', '.join(USAGE_COLUMNS)}) VALUES ({marks})"
            marks = ", ".join("?" for _ in COST_COLUMNS)
            cost_sql = f"INSERT INTO {cost_table} ({', '.join(COST_COLUMNS)}) VALUES ({marks})"
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            cursor.execute("PRAGMA cache_size=-65536")
            batch: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
            for pair in rows:
                batch.append(pair)
                if len(batch) >= BATCH:
                    cursor.executemany(usage_sql, [u for u, _ in batch])
                    cursor.executemany(cost_sql, [c for _, c in batch])
                    batch = []
            cursor.executemany(usage_sql, [u for u, _ in batch])
            cursor.executemany(cost_sql, [c for _, c in batch])
    finish_load(db, start, end)
    return time.perf_counter() - t


def app_queries(app: str) -> list[str]:
    """One app's tokens by type and requests per model (per day on a 1-day step)."""
    match = f'backstage_io_kubernetes_id="{app}"'
    return [
        "sum by (gen_ai_request_model, gen_ai_token_type) "
        f"(increase(gen_ai_client_token_usage_sum{{{match}}}[1d]))",
        "sum by (gen_ai_request_model) "
        f"(increase(gen_ai_client_operation_duration_seconds_count{{{match}}}[1d]))",
    ]


# What the monthly report needs of every app: tokens by type and requests per app, model and
# day (its daily chart, its per app / model / team totals of both months).
ORG_QUERIES = [
    "sum by (backstage_io_kubernetes_id, gen_ai_request_model, gen_ai_token_type) "
    "(increase(gen_ai_client_token_usage_sum[1d]))",
    "sum by (backstage_io_kubernetes_id, gen_ai_request_model) "
    "(increase(gen_ai_client_operation_duration_seconds_count[1d]))",
]


def report_month(end: dt.datetime) -> dt.datetime:
    """The month the report is asked for: the last whole month before ``end``."""
    return (end - 40 * DAY).replace(day=1)


def bench_live(
    factory: PrometheusFactory, apps: int, days: int, runs: int, cache: Path | None
) -> dict[str, tuple[float, float]]:
    """p50 / p95 of live PromQL for both questions, over a TSDB of ``apps`` x ``days``."""
    server, end, backfill = loaded_prometheus(
        factory, f"reads-{apps}x{days}", lambda end: series(apps, days, end), cache
    )
    prom = PrometheusSource(server.url, timeout=600)
    end = end.replace(hour=0)
    queries = app_queries(app_name(min(PROBE, apps - 1)))
    month = report_month(end)
    prev = (month - DAY).replace(day=1)
    after = (month + 32 * DAY).replace(day=1)

    def app_view() -> None:
        for q in queries:
            prom.query_range_raw(q, start=end - 89 * DAY, end=end, step=DAY)

    def report() -> None:
        for q in ORG_QUERIES:
            prom.query_range_raw(q, start=prev + DAY, end=after, step=DAY)

    out = {"app": timed(app_view, runs), "report": timed(report, max(runs // 4, 5))}
    # The plugin's page is timed on a different app each time: so is its live counterpart.
    others = (app_name(a % apps) for a in itertools.count(PROBE + 1))

    def page() -> None:
        for q in app_queries(next(others)):
            prom.query_range_raw(q, start=end - 89 * DAY, end=end, step=DAY)

    def paths() -> list[str]:
        window = {"start": int((end - 89 * DAY).timestamp()), "end": int(end.timestamp())}
        return [
            "/api/v1/query_range?" + urlencode({"query": q, **window, "step": "86400s"})
            for q in app_queries(next(others))
        ]

    out["page"] = timed(page, runs)
    out["page wire"] = wire_timed(server.url, [paths() for _ in range(runs + 1)], {})
    origin = f"{server.url}/api/v1/status/buildinfo"
    browser = browser_timed(origin, {}, [paths() for _ in range(2 * runs + 1)])
    if browser is not None:
        out["page browser"], out["page browser at once"] = (
            browser["sequential"],
            browser["parallel"],
        )
    print(
        f"live PromQL on {apps} apps x {len(MODELS)} models x {days} d of hourly samples "
        f"(backfill + start {backfill:.0f} s) [{load_average()}]",
        flush=True,
    )
    return out


def profiled(fn: Callable[[], None], times: int) -> None:
    """Prints the top of a cProfile of ``times`` calls of ``fn``, counting the work FastAPI
    hands to its threadpool (sync handlers and dependencies), where a read spends its time."""
    profiler = cProfile.Profile()
    run_sync = anyio.to_thread.run_sync

    async def in_profiler(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await run_sync(profiler.runcall, func, *args, **kwargs)

    anyio.to_thread.run_sync = in_profiler  # type: ignore[assignment]
    try:
        for _ in range(times):
            fn()
    finally:
        anyio.to_thread.run_sync = run_sync
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(15)


def bench_stored(
    url: str, kind: str, apps: int, days: int, runs: int, profile: int
) -> dict[str, tuple[float, float]]:
    """p50 / p95 of both questions through the API: computed (response cache off) and from
    the response cache."""
    engine = make_engine(url)
    migrate(engine)
    db = Database(engine)
    end = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0) + DAY
    before = load_average()
    seconds = load(db, apps, days, end)
    print(
        f"{kind}: loaded {apps * len(MODELS) * days:,} daily usage + as many cost rows in "
        f"{seconds:.0f} s [{before} -> {load_average()}]",
        flush=True,
    )
    settings = Settings(
        database_url=url,
        api_tokens=[ApiToken(name="bench", token=TOKEN, scopes=["read"])],
    )
    headers = {"Authorization": f"Bearer {TOKEN}"}
    window = {"from": (end - 90 * DAY).isoformat(), "to": end.isoformat()}
    month = report_month(end).strftime("%Y-%m")
    probe = app_name(min(PROBE, apps - 1))

    def questions(client: TestClient) -> tuple[Callable[[], None], Callable[[], None]]:
        return dashboard_questions(client, headers, probe, window, month)

    out: dict[str, tuple[float, float]] = {}
    uncached = create_app(
        settings.model_copy(update={"response_cache_mb": 0}), db=db, sources=Sources()
    )
    cached = create_app(settings, db=db, sources=Sources())

    @uncached.get("/api/v1/apps/{app}/bench-floor")
    async def floor(app: str, _: ReadCaller) -> dict[str, str]:
        return {"app": app}

    with TestClient(uncached) as plain, TestClient(cached) as client:

        def trivial() -> None:
            for _ in range(2):
                response = plain.get(
                    f"/api/v1/apps/{probe}/bench-floor", params=window, headers=headers
                )
                assert response.status_code == 200, response.text

        out["floor"] = timed(trivial, runs)
        app_view, report = questions(plain)
        if profile:
            for name, fn in (("app 90-d usage+costs", app_view), ("report", report)):
                print(f"--- profile: {kind} {name} x5 (computed)", flush=True)
                profiled(fn, 5)
        out["app computed"] = timed(app_view, runs)
        out["report computed"] = timed(report, runs)  # live PromQL takes seconds: runs // 4 there
        app_view, report = questions(client)
        out["app cached"] = timed(app_view, runs)
        out["report cached"] = timed(report, runs)
        out |= bench_stored_answers(db, settings, plain, apps, runs)
    print(
        f"{kind}: reads measured [{load_average()}]: "
        + "; ".join(f"{k} p50 {p50:.1f} ms p95 {p95:.1f} ms" for k, (p50, p95) in out.items()),
        flush=True,
    )
    engine.dispose()
    return out


def bench_stored_answers(
    db: Database, settings: Settings, plain: TestClient, apps: int, runs: int
) -> dict[str, tuple[float, float]]:
    """What a sync pass spends storing every app's dashboard reads (the plugin's periods of 30
    and 90 days, and its costs), then p50 / p95 of the plugin's own 90-day page read (usage +
    costs): computed, and as the first read after the pass in a cold worker (no answer in its
    memory, the stored ones current), a different app each time."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    storing = settings.model_copy(
        update={"stored_answer_days": [30, 90], "stored_answers_seconds": 1800}
    )

    def page(client: TestClient) -> Callable[[], None]:
        names = iter([app_name(a) for a in range(apps)])  # each app read once by this client

        def read() -> None:
            for path, params in plugin_reads(next(names), 90, dt.datetime.now(dt.UTC)):
                response = client.get(path, params=params, headers=headers)
                assert response.status_code == 200, response.text

        return read

    out = {"plugin computed": timed(page(plain), runs)}
    for attempt in (1, 2):
        # A stored answer is keyed on the whole hours its window covers: one stored in one
        # hour does not answer the plugin's reads of the next (the next pass stores those).
        hour = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
        before = load_average()
        stats = store_answers(db=db, sources=Sources(), settings=storing, factory=create_app)
        print(
            f"  stored answers: {stats.answers:,} answers of {stats.apps:,} apps "
            f"({stats.left_over} left over), {stats.bytes / 1e6:.1f} MB, computed in "
            f"{stats.compute_seconds:.1f} s, written in {stats.write_seconds:.2f} s "
            f"[{before} -> {load_average()}]",
            flush=True,
        )
        try:
            with TestClient(create_app(settings, db=db, sources=Sources())) as cold:
                level = cache_of(cold).stored
                count = min(runs, apps - 1)
                out["plugin stored"] = timed(page(cold), count)
                # Every read (and the warm-up's) was a stored answer: none computed.
                assert level.hits == 2 * (count + 1), f"{level.hits} stored of {2 * (count + 1)}"
            out |= bench_served(settings.database_url, apps, runs)
        except AssertionError:
            if attempt == 1 and dt.datetime.now(dt.UTC) >= hour + dt.timedelta(hours=1):
                print("  (the hour turned: the answers are stored again for it)", flush=True)
                continue
            raise
        return out
    raise AssertionError("unreachable")


def bench_served(url: str, apps: int, runs: int) -> dict[str, tuple[float, float]]:
    """p50 / p95 of the plugin's 90-day page read over HTTP from one ``serve`` worker process
    that just started (nothing in its memory, the stored answers current), a different app
    each time: through ``requests`` as live PromQL is timed (a keep-alive connection, the
    answer decoded), over the wire alone (``http.client``, the bytes read), and in Chromium
    (fetch() and response.json(), the two reads one after the other and at once, as the
    plugin's cards ask). The worker's own ``/metrics`` prove that every answer was a stored
    one."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    tokens = [{"name": "bench", "token": TOKEN, "scopes": ["read"]}]
    count = max(min(runs, (apps - 3) // 4), 1)  # every read below a different app's
    with serve_worker(url, tokens) as worker, requests.Session() as session:
        names = iter([app_name(a) for a in reversed(range(apps))])

        def paths() -> list[str]:
            now = dt.datetime.now(dt.UTC)
            return [f"{p}?{urlencode(q)}" for p, q in plugin_reads(next(names), 90, now)]

        def read() -> None:
            for path in paths():
                response = session.get(worker.url + path, headers=headers)
                assert response.status_code == 200, response.text
                response.json()

        figures = {"plugin served": timed(read, count)}
        figures["plugin wire"] = wire_timed(
            worker.url, [paths() for _ in range(count + 1)], headers
        )
        reads = 4 * (count + 1)
        browser = browser_timed(
            f"{worker.url}/healthz", headers, [paths() for _ in range(2 * count + 1)]
        )
        if browser is not None:
            figures["plugin browser"] = browser["sequential"]
            figures["plugin browser at once"] = browser["parallel"]
            reads += 2 * (2 * count + 1)
        stored = cache_answers(session.get(f"{worker.url}/metrics").text)["stored"]
        assert stored == reads, f"{stored} stored of {reads}"
    return figures


def cache_of(client: TestClient) -> Any:
    """The app's response cache (the innermost middleware)."""
    layer = client.app.build_middleware_stack()  # type: ignore[attr-defined]
    while not isinstance(layer, ResponseCache):
        layer = layer.app
    return layer


def against_live(
    line: str,
    ours: tuple[float, float],
    live: dict[str, tuple[float, float]] | None,
    question: str = "page",
) -> str:
    """``line`` with ``ours`` (p50, p95) and how many times as fast as live PromQL's app view
    (a different app each time, read the same way: ``question``) that is."""
    p50, p95 = ours
    line += f" p50 {p50:6.1f} ms p95 {p95:6.1f} ms"
    if live is None or question not in live:
        return line
    l50, l95 = live[question]
    return line + (
        f" -> {l50 / p50:.1f}x (p50) / {l95 / p95:.1f}x (p95) as fast as live PromQL "
        f"(p50 {l50:.1f} ms p95 {l95:.1f} ms)"
    )


def main() -> None:
    args = arguments(
        __doc__,
        apps=1000,
        days=365,
        dbs="sqlite,postgresql",
        runs=40,
        live_apps=1000,
        live_days=100,
        prom_cache="",
        profile=0,
    )
    results: dict[str, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        factory = PrometheusFactory(Path(tmp))
        try:
            for kind in [k for k in args.dbs.split(",") if k]:
                with database(kind, Path(tmp)) as url:
                    results[kind] = bench_stored(
                        url, kind, args.apps, args.days, args.runs, args.profile
                    )
            live = (
                bench_live(
                    factory,
                    args.live_apps,
                    args.live_days,
                    args.runs,
                    Path(args.prom_cache) if args.prom_cache else None,
                )
                if args.live_apps
                else None
            )
        finally:
            factory.stop_all()
    print(
        f"\nstored reads at {args.apps} apps x {len(MODELS)} models x {args.days} d "
        f"[{load_average()}]"
    )
    for kind, figures in results.items():
        for question in ("app", "report"):
            c50, c95 = figures[f"{question} computed"]
            k50, k95 = figures[f"{question} cached"]
            line = (
                f"  {kind:<10} {question:<6} computed p50 {c50:7.1f} ms p95 {c95:7.1f} ms; "
                f"cached p50 {k50:6.1f} ms p95 {k95:6.1f} ms"
            )
            if live is not None:
                l50, l95 = live[question]
                line += (
                    f"; live PromQL p50 {l50:7.1f} ms p95 {l95:7.1f} ms -> computed is "
                    f"{l50 / c50:.1f}x (p50) / {l95 / c95:.1f}x (p95) as fast"
                )
            print(line, flush=True)
        p50, p95 = figures["plugin computed"]
        line = (
            f"  {kind:<10} plugin page 90 d (usage + costs from last month): computed p50 "
            f"{p50:7.1f} ms p95 {p95:7.1f} ms; stored (first read after a sync pass, cold worker)"
        )
        print(against_live(line, figures["plugin stored"], live), flush=True)
        line = (
            f"  {kind:<10} plugin page 90 d over HTTP from a serve worker just started (stored "
            "answers, a keep-alive connection, as live PromQL is read)"
        )
        print(against_live(line, figures["plugin served"], live), flush=True)
        for key, how in (
            ("wire", "over the wire alone (http.client, the bytes read, not decoded)"),
            ("browser", "in Chromium (fetch and json), one read after the other"),
            ("browser at once", "in Chromium, both reads at once (Promise.all)"),
        ):
            if f"plugin {key}" in figures:
                line = f"  {kind:<10} plugin page 90 d {how}"
                print(against_live(line, figures[f"plugin {key}"], live, f"page {key}"), flush=True)
        f50, f95 = figures["floor"]
        print(
            f"  {kind:<10} floor  two trivial requests p50 {f50:7.1f} ms p95 {f95:7.1f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main()
