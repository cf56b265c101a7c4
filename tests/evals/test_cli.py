"""``genai-portal eval run`` and ``eval ingest`` as real processes, on a SQLite file."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sqlmodel import select

from portal_api.db import Database, make_engine, migrate, utcnow
from portal_api.evals.models import EvalRun
from portal_api.prompts.models import PromptContent, PromptSource
from portal_api.prompts.versions import record_version
from tests.factories import make_app
from tests.servers.openai import OpenAIState
from tests.servers.process import CLI, env_without_portal, run

PROMPTFOO = Path(__file__).parents[1] / "fixtures" / "promptfoo"
TRIAGE = (
    "Classify the support ticket as billing, bug or other. Answer with one word. Ticket: {{ticket}}"
)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "portal.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with Database(engine).session_scope() as session:
        app = make_app(session, name="triage")
        assert app.id is not None
        for template in (TRIAGE, TRIAGE + "\nBe careful."):
            record_version(
                session=session,
                app_id=app.id,
                name="triage",
                content=PromptContent(template=template, model="gpt-4o-mini"),
                source=PromptSource.CI,
                now=utcnow(),
            )
    engine.dispose()
    return path


def runs(database: Path) -> list[EvalRun]:
    engine = make_engine(f"sqlite:///{database}")
    with Database(engine).session() as session:
        rows = list(session.exec(select(EvalRun).order_by(EvalRun.id)).all())  # type: ignore[arg-type]
    engine.dispose()
    return rows


def test_eval_run_and_regression_exit_code(
    database: Path, tmp_path: Path, openai_base_url: str, llm: OpenAIState
) -> None:
    data = tmp_path / "tickets.jsonl"
    data.write_text(
        json.dumps({"vars": {"ticket": "charged twice"}, "expected": "billing"})
        + "\n"
        + json.dumps({"vars": {"ticket": "it crashes"}, "expected": "bug"})
        + "\n"
    )
    env = env_without_portal(
        PORTAL_DATABASE_URL=f"sqlite:///{database}",
        PORTAL_OPENAI_BASE_URL=openai_base_url,
        PORTAL_OPENAI_API_KEY="sk-test-not-secret",
    )
    args = [*CLI, "eval", "run", "--app", "triage", "--prompt", "triage", "--dataset", str(data)]
    llm.reply("charged twice", "billing")
    llm.reply("it crashes", "bug")
    first = run(
        [*args, "--version", "1", "--scorer", "exact", "--scorer", "contains:i", "--json"], env=env
    )
    assert first.returncode == 0, first.stderr
    body = json.loads(first.stdout)
    assert (body["version"], body["dataset"], body["passed"], body["aggregate_score"]) == (
        1,
        "tickets",
        2,
        1.0,
    )
    assert "sk-test-not-secret" not in first.stdout + first.stderr

    llm.emptied()
    llm.reply("charged twice", "bug")  # version 2 gets one wrong: a regression
    llm.reply("it crashes", "bug")
    second = run([*args, "--scorer", "exact", "--fail-on-regression"], env=env)
    assert second.returncode == 3, second.stdout + second.stderr
    assert "REGRESSION" in second.stderr
    stored = runs(database)
    assert [(r.regression, r.aggregate_score) for r in stored] == [(False, 1.0), (True, 0.5)]

    bad = run([*args, "--scorer", "regex:("], env=env)
    assert bad.returncode == 1
    assert "invalid regex" in bad.stderr
    assert len(runs(database)) == 2


def _ingest(database: Path, prompt: str, *flags: str) -> subprocess.CompletedProcess[str]:
    """``eval ingest`` of the promptfoo results into app ``triage``'s prompt ``prompt``."""
    results = str(PROMPTFOO / "results.json")
    return run(
        [*CLI, "eval", "ingest", "--app", "triage", "--prompt", prompt, *flags, results],
        env=env_without_portal(PORTAL_DATABASE_URL=f"sqlite:///{database}"),
    )


def test_eval_ingest_promptfoo(database: Path) -> None:
    result = _ingest(database, "triage", "--json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert (body["source"], body["version"], body["cases"], body["passed"]) == (
        "promptfoo",
        1,
        4,
        3,
    )


def test_eval_ingest_refuses_a_bad_prompt_name(database: Path) -> None:
    result = _ingest(database, "no spaces!")
    assert result.returncode == 1
    assert "prompt.name" in result.stderr
    assert "Traceback" not in result.stderr
