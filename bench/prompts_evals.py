"""Benchmark: prompt sync over many ConfigMaps, and eval-run wall time by concurrency.

Starts the Kubernetes test server with N apps, each a Deployment mounting a prompt ConfigMap,
and times the real sync (first pass, steady pass, a pass after 10% of the prompts changed) on
SQLite. Then runs a dataset through the OpenAI-compatible test server (answers delayed by
``--delay`` seconds) at several concurrencies.

    .venv/bin/python -m bench.prompts_evals --apps 500
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from pathlib import Path

import yaml

from bench.common import arguments
from portal_api.config import KubernetesMode, Settings
from portal_api.db import Database, make_engine, migrate, utcnow
from portal_api.evals.models import EvalRunRequest
from portal_api.evals.runner import run_eval
from portal_api.evals.store import Judging
from portal_api.sources.bundle import Sources
from portal_api.sources.kubernetes import KubernetesSource
from portal_api.sources.openai import OpenAISource
from portal_api.steps import all_steps
from portal_api.sync.collector import run_sync
from tests.factories import config_map, deployment
from tests.servers.kube import kube_server, write_kubeconfig
from tests.servers.openai import openai_server


def _prompt(i: int, revision: int) -> dict[str, object]:
    body = yaml.safe_dump(
        {"template": f"App {i} r{revision}: answer {{{{q}}}}", "model": "gpt-4o-mini"}
    )
    return config_map(
        f"app-{i}-prompt",
        f"ns-{i % 20}",
        data={"prompt.yaml": body},
        labels={"genai-portal.io/prompt": "answer"},
    )


def bench_sync(apps: int, tmp: Path) -> Database:
    engine = make_engine(f"sqlite:///{tmp / 'bench.db'}")
    migrate(engine)
    db = Database(engine)
    with kube_server() as (url, kube):
        for i in range(apps):
            kube.add(_prompt(i, 1))
            kube.add(
                deployment(
                    f"app-{i}",
                    f"ns-{i % 20}",
                    volumes=[{"name": "p", "configMap": {"name": f"app-{i}-prompt"}}],
                )
            )
        settings = Settings(
            database_url="sqlite://",
            kubernetes=KubernetesMode.KUBECONFIG,
            kubeconfig=write_kubeconfig(tmp / "kubeconfig", url),
        )
        source = KubernetesSource.from_settings(settings)
        assert source is not None
        steps = [s for s in all_steps() if s.name in ("apps", "prompts")]
        now = utcnow()
        for label in ("first pass", "steady pass", "10% changed"):
            if label == "10% changed":
                for i in range(0, apps, 10):
                    kube.add(_prompt(i, 2))
            started = time.perf_counter()
            results = run_sync(
                db=db, sources=Sources(kubernetes=source), settings=settings, steps=steps, now=now
            )
            seconds = time.perf_counter() - started
            prompts = next(r for r in results if r.step == "kubernetes/prompts")
            print(f"sync {apps} apps, {label}: {seconds:.2f} s  {prompts.stats}")
            now += dt.timedelta(minutes=5)
        source.close()
    return db


def bench_eval(db: Database, cases: int, delay: float) -> None:
    rows = "\n".join(
        json.dumps({"vars": {"q": f"question {i}"}, "expected": "x"}) for i in range(cases)
    )
    with openai_server() as (base_url, state):
        state.delay_seconds = delay
        llm = OpenAISource(base_url, timeout=10, max_retries=0)
        for concurrency in (1, 4, 8):
            request = EvalRunRequest.model_validate(
                {
                    "prompt": {"name": "answer"},
                    "dataset": "bench",
                    "cases": rows,
                    "scorers": [{"type": "contains", "value": "question"}],
                    "concurrency": concurrency,
                }
            )
            started = time.perf_counter()
            with db.session_scope() as session:
                run = run_eval(
                    session=session,
                    app="app-1",
                    request=request,
                    llm=llm,
                    concurrency=concurrency,
                    judging=Judging(0.05),
                )
            seconds = time.perf_counter() - started
            print(
                f"eval {cases} cases, {delay * 1000:.0f} ms/answer, concurrency {concurrency}: {seconds:.2f} s (passed {run.passed})"
            )
        llm.close()


def main() -> None:
    args = arguments(__doc__, apps=500, cases=40, delay=0.05)
    with tempfile.TemporaryDirectory() as tmp:
        db = bench_sync(args.apps, Path(tmp))
        bench_eval(db, args.cases, args.delay)


if __name__ == "__main__":
    main()
