"""Digests of the app reads' answers (usage and costs), to show that a change of how they are
computed leaves every byte as it was (not a test: run it on two trees, compare the output).

Two data sets per database: the benchmark's (``bench.reads``: A apps x 5 models x D days of
whole-day rows) and the demo organisation at a fixed clock (hourly rows, partial days,
unpriced usage, compute, sync watermarks). Per app asked: usage and costs over random ranges
(whole days, edge hours, minutes), every step, the default range, an unknown app, an empty
range. Prints one line per data set: the number of answers and the digest of all of them
(status, X-Portal-Stale and body, in order); ``--out FILE`` writes each answer's digest.
``--stored 1`` also stores the sync's answers and prints the digests of the plugin's reads of
every app asked, served from them in a cold worker and computed at the same moment.

    .venv/bin/python -m bench.answers --apps 1000 --days 365 --asked 200 --out /tmp/new.json
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

from bench.common import arguments, database, load_average, plugin_reads
from bench.reads import app_name, cache_of, load
from bench.usage_sync import DAY, TOKEN
from portal_api.config import ApiToken, Settings
from portal_api.db import Database, make_engine, migrate
from portal_api.demo import build_org, seed_demo
from portal_api.main import create_app
from portal_api.precompute import store_answers
from portal_api.sources.bundle import Sources

# The demo's clock: fixed, so both trees seed the same rows.
DEMO_NOW = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)
STEPS = {"usage": ("day", "week", "month", "hour"), "costs": ("day", "week", "month")}


def ranges(rng: random.Random, end: dt.datetime, days: int) -> list[dict[str, str]]:
    """Windows ending at or before ``end``: whole days, edge hours, minutes, a year, none."""
    out: list[dict[str, str]] = [{}]
    for _ in range(6):
        last = end - rng.randrange(0, days) * DAY - dt.timedelta(minutes=rng.choice([0, 0, 37]))
        last -= dt.timedelta(hours=rng.choice([0, 0, 5, 13]))
        length = dt.timedelta(days=rng.choice([1, 7, 30, 90, 365]), hours=rng.choice([0, 0, 9]))
        out.append({"from": (last - length).isoformat(), "to": last.isoformat()})
    short = end - dt.timedelta(days=rng.randrange(1, 20), hours=rng.randrange(0, 24))
    out.append({"from": (short - 3 * DAY).isoformat(), "to": short.isoformat()})
    out.append({"from": end.isoformat(), "to": end.isoformat()})  # empty: 422
    return out


def digests(client: TestClient, apps: list[str], end: dt.datetime, days: int) -> list[str]:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    rng = random.Random(13)
    out = []
    statuses: dict[int, int] = {}
    for app in [*apps, "no-such-app"]:
        for window in ranges(rng, end, days):
            for kind, steps in STEPS.items():
                for step in steps:
                    response = client.get(
                        f"/api/v1/apps/{app}/{kind}",
                        params={**window, "step": step},
                        headers=headers,
                    )
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    h = hashlib.sha256()
                    h.update(str(response.status_code).encode())
                    h.update(response.headers.get("x-portal-stale", "-").encode())
                    h.update(response.headers.get("content-type", "-").encode())
                    h.update(response.content)
                    out.append(h.hexdigest())
    print(f"  statuses {dict(sorted(statuses.items()))}", flush=True)
    return out


def run(url: str, dataset: str, apps: int, days: int, asked: int, stored: bool) -> list[str]:
    engine = make_engine(url)
    migrate(engine)
    db = Database(engine)
    if dataset == "bench":
        end = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0) + DAY
        load(db, apps, days, end)
        names = sorted({app_name(a) for a in random.Random(7).sample(range(apps), asked)})
    else:
        org = seed_demo(db, build_org(DEMO_NOW))
        end = DEMO_NOW
        names = [a.name for a in org.apps]
    settings = Settings(
        database_url=url,
        api_tokens=[ApiToken(name="bench", token=TOKEN, scopes=["read"])],
        response_cache_mb=0,
    )
    with TestClient(create_app(settings, db=db, sources=Sources())) as client:
        found = digests(client, names, end, min(days, 90) if dataset == "bench" else 90)
        if stored:
            stored_digests(db, settings, client, names)
    engine.dispose()
    return found


def stored_digests(
    db: Database, settings: Settings, computing: TestClient, apps: list[str]
) -> None:
    """After the sync's stored answers (the plugin's periods: 7, 30, 90 days, and its costs),
    the plugin's reads of every app asked in a cold worker (stored answers) and computed at
    the same moment: one digest each, which must be equal, and how many were stored."""
    storing = settings.model_copy(
        update={
            "stored_answer_days": [7, 30, 90],
            "stored_answers_seconds": 3600,
            "response_cache_mb": 32,  # the cold worker's cache (the computing one has none)
        }
    )
    stats = store_answers(db=db, sources=Sources(), settings=storing, factory=create_app)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    served, computed = hashlib.sha256(), hashlib.sha256()
    count = 0
    with TestClient(create_app(storing, db=db, sources=Sources())) as cold:
        level = cache_of(cold).stored
        for app in apps:
            for days in (7, 30, 90):
                now = dt.datetime.now(dt.UTC)
                for path, params in plugin_reads(app, days, now)[: 1 if days != 30 else 2]:
                    for h, client in ((served, cold), (computed, computing)):
                        response = client.get(path, params=params, headers=headers)
                        for part in (
                            str(response.status_code),
                            response.headers.get("x-portal-stale", "-"),
                            response.headers.get("content-type", "-"),
                        ):
                            h.update(part.encode())
                        h.update(response.content)
                    count += 1
    same = "identical" if served.digest() == computed.digest() else "DIFFERENT"
    assert level.hits == count, f"{count - level.hits} of {count} reads were not stored answers"
    print(
        f"  stored answers: {stats.answers} stored; {count} plugin reads, {level.hits} served "
        f"stored, {level.misses} missed: stored digest {served.hexdigest()[:16]}, computed "
        f"{computed.hexdigest()[:16]}: {same}",
        flush=True,
    )


def main() -> None:
    args = arguments(
        __doc__, apps=1000, days=365, asked=200, dbs="sqlite,postgresql", out="", stored=0
    )
    every: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in [k for k in args.dbs.split(",") if k]:
            for dataset in ("demo", "bench"):
                with database(kind, Path(tmp)) as url:
                    found = run(url, dataset, args.apps, args.days, args.asked, bool(args.stored))
                every[f"{kind} {dataset}"] = found
                total = hashlib.sha256("".join(found).encode()).hexdigest()
                print(
                    f"{kind} {dataset}: {len(found)} answers, digest {total} [{load_average()}]",
                    flush=True,
                )
    if args.out:
        Path(args.out).write_text(json.dumps(every, indent=0))


if __name__ == "__main__":
    main()
