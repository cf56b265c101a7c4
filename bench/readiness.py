"""Benchmark: readiness scoring and the change timeline over many apps.

Seeds N apps that each carry every kind of data the checks read (workloads, usage and cost
rollups, guardrail events, budgets, prompt versions and deploys, eval runs, findings) plus
change events, on SQLite and PostgreSQL, then prints the time of: the org readiness table
(every app scored), one app's readiness, the daily history step (what each sync pass runs),
one app's 30-day timeline and a page of the org change feed.

    .venv/bin/python -m bench.readiness --apps 500
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import arguments, database
from portal_api.db import Database, make_engine, migrate
from portal_api.readiness import service as readiness
from portal_api.readiness.scorecard import Scorecard, load_scorecard
from portal_api.timeline import service as timeline
from portal_api.timeline.detect import DetectedChange
from portal_api.timeline.models import ChangeKind
from tests.readiness.factories import BREAK, NOW, ready_app, synced

ON = {"kubernetes": True, "prometheus": True}


def _seed(db: Database, apps: int) -> None:
    breaks = sorted(BREAK)
    with db.session_scope() as session:
        synced(session)
        for i in range(apps):
            app = ready_app(session, name=f"app-{i:04d}", team=f"team-{i % 20}")
            if i % 3:
                BREAK[breaks[i % len(breaks)]](session, app)
            for n in range(20):
                timeline.record(
                    session=session,
                    change=DetectedChange(
                        ChangeKind.IMAGE,
                        NOW - dt.timedelta(hours=7 * n + i % 7),
                        f"Deployment care/app-{i} container app: v{n} → v{n + 1}",
                        f"Deployment/care/app-{i}/app",
                    ),
                    app_id=app.id,
                )
            session.flush()


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, max(times) * 1000


def _measure(kind: str, db: Database, card: Scorecard, runs: int) -> None:
    def org() -> object:
        with db.session() as s:
            return readiness.org_readiness(
                session=s, scorecard=card, now=NOW, configured=ON, fresh=[]
            )

    def one() -> object:
        with db.session() as s:
            return readiness.app_readiness(
                session=s,
                app="app-0001",
                scorecard=card,
                now=NOW,
                configured=ON,
                fresh=[],
            )

    def history() -> object:
        with db.session_scope() as s:
            return readiness.record_history(session=s, scorecard=card, now=NOW, configured=ON)

    def app_changes() -> object:
        with db.session() as s:
            return timeline.app_timeline(
                session=s,
                app="app-0001",
                start=NOW - dt.timedelta(days=30),
                end=NOW,
                kinds=None,
                fresh=[],
            )

    def feed() -> object:
        with db.session() as s:
            return timeline.org_changes(
                session=s,
                start=NOW - dt.timedelta(days=30),
                end=NOW,
                kinds=None,
                team=None,
                limit=50,
                offset=0,
                fresh=[],
            )

    for label, fn in (
        ("org readiness table", org),
        ("one app's readiness", one),
        ("daily history step", history),
        ("one app's timeline (30 d)", app_changes),
        ("org change feed page (30 d)", feed),
    ):
        median, worst = _timed(fn, runs)
        print(f"{kind}: {label:<30} median {median:8.1f} ms  max {worst:8.1f} ms")


def main() -> None:
    args = arguments(__doc__, apps=500, runs=5)
    card = load_scorecard()
    for kind in ("sqlite", "postgresql"):
        with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as url:
            engine = make_engine(url)
            try:
                migrate(engine)
                db = Database(engine)
                started = time.perf_counter()
                _seed(db, args.apps)
                print(f"{kind}: seeded {args.apps} apps in {time.perf_counter() - started:.1f} s")

                _measure(kind, db, card, args.runs)
            finally:
                engine.dispose()


if __name__ == "__main__":
    main()
