"""Evaluation runs through the API: CI ingest (native, promptfoo), portal runs, regressions."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from portal_api.db import Database
from portal_api.evals import router as evals_router
from portal_api.evals.models import EvalCase, EvalRun
from portal_api.evals.store import token_cost
from portal_api.prices.book import PriceBook
from tests.conftest import bearer
from tests.servers.openai import OpenAIState, count_tokens

PROMPTFOO = Path(__file__).parents[1] / "fixtures" / "promptfoo"
TRIAGE = (
    "Classify the support ticket as billing, bug or other. Answer with one word. Ticket: {{ticket}}"
)


def push_versions(client: TestClient, app: str, *templates: str) -> None:
    for template in templates:
        response = client.post(
            f"/api/v1/apps/{app}/prompts",
            json={"prompts": [{"name": "triage", "template": template, "model": "gpt-4o-mini"}]},
            headers=bearer("ingest"),
        )
        assert response.status_code == 200, response.text


def native_run(version: int, scores: list[float], **extra: Any) -> dict[str, Any]:
    return {
        "prompt": {"name": "triage", "version": version},
        "model": "gpt-4o-mini",
        "dataset": "tickets-v1",
        "started": "2026-11-20T10:00:00Z",
        "finished": "2026-11-20T10:01:00Z",
        "cases": [
            {
                "vars": {"ticket": f"t{i}"},
                "output": "billing",
                "expected": "billing",
                "scores": {"exact": s},
                "passed": s >= 1.0,
                "input_tokens": 100,
                "output_tokens": 10,
            }
            for i, s in enumerate(scores)
        ],
        **extra,
    }


def post_run(client: TestClient, app: str, body: Any, **params: Any) -> Any:
    return client.post(
        f"/api/v1/apps/{app}/evals",
        content=json.dumps(body) if not isinstance(body, bytes) else body,
        params=params,
        headers={**bearer("ingest"), "Content-Type": "application/json"},
    )


def count_runs(db: Database) -> tuple[int, int]:
    with db.session() as session:
        runs = session.exec(select(func.count()).select_from(EvalRun)).one()
        cases = session.exec(select(func.count()).select_from(EvalCase)).one()
    return runs, cases


def test_native_ingest_and_regression_flag(client: TestClient, app_name: str) -> None:
    push_versions(client, app_name, "v1 {{ticket}}", "v2 {{ticket}}", "v3 {{ticket}}")
    first = post_run(client, app_name, native_run(1, [1, 1, 1, 1]))
    assert first.status_code == 201, first.text
    assert first.json()["regression"] is False
    assert first.json()["baseline_run_id"] is None
    # Version 2 drops 1.0 -> 0.75: more than the default margin (0.05).
    second = post_run(client, app_name, native_run(2, [1, 1, 1, 0]))
    body = second.json()
    assert body["regression"] is True
    standing = client.get(f"/api/v1/apps/{app_name}/evals/regressions", headers=bearer("read"))
    assert [r["version"] for r in standing.json()] == [2]
    prompts = client.get(f"/api/v1/apps/{app_name}/prompts", headers=bearer("read")).json()[
        "prompts"
    ]
    assert prompts[0]["regression"] is True
    assert body["baseline_run_id"] == first.json()["id"]
    assert body["baseline_score"] == 1.0
    assert body["aggregate_score"] == 0.75
    assert body["pass_rate"] == 0.75
    assert (body["input_tokens"], body["output_tokens"]) == (400, 40)
    # gpt-4o-mini from genai-prices: $0.15 / $0.60 per million tokens.
    assert Decimal(body["cost"]) == Decimal("0.000084")
    # Version 3 within the margin of version 2's latest run: not flagged.
    third = post_run(client, app_name, native_run(3, [1, 1, 0.8, 0]), margin=0.1)
    assert third.json()["aggregate_score"] == 0.7
    assert third.json()["regression"] is False
    assert third.json()["baseline_score"] == 0.75

    # Version 3 is not flagged: nothing stands any more, the history keeps version 2's flag.
    standing = client.get(f"/api/v1/apps/{app_name}/evals/regressions", headers=bearer("read"))
    assert standing.json() == []
    flagged = client.get(
        f"/api/v1/apps/{app_name}/evals", params={"regression": True}, headers=bearer("read")
    ).json()
    assert [r["version"] for r in flagged["items"]] == [2]
    prompts = client.get(f"/api/v1/apps/{app_name}/prompts", headers=bearer("read")).json()[
        "prompts"
    ]
    assert prompts[0]["regression"] is False  # version 3 is the newest evaluated: not flagged
    v2 = client.get(
        f"/api/v1/apps/{app_name}/prompts/triage/versions/2", headers=bearer("read")
    ).json()
    assert v2["scores"]["regression"] is True
    assert v2["scores"]["pass_rate"] == 0.75
    assert v2["usage"] is None  # no usage data for the time it ran

    trend = client.get(
        f"/api/v1/apps/{app_name}/evals/trend", params={"prompt": "triage"}, headers=bearer("read")
    ).json()
    assert [(p["version"], p["aggregate_score"], p["regression"]) for p in trend["points"]] == [
        (1, 1.0, False),
        (2, 0.75, True),
        (3, 0.7, False),
    ]


def test_regression_margin_boundary(client: TestClient, app_name: str) -> None:
    push_versions(client, app_name, "a {{ticket}}", "b {{ticket}}")
    post_run(client, app_name, native_run(1, [0.9, 0.8]))
    exactly = post_run(client, app_name, native_run(2, [0.8, 0.7]), margin=0.1).json()
    assert exactly["aggregate_score"] == 0.75
    assert exactly["regression"] is False  # 0.85 - 0.75 is the margin, not more


def test_promptfoo_results_file(client: TestClient, app_name: str, db: Database) -> None:
    push_versions(client, app_name, TRIAGE)
    raw = (PROMPTFOO / "results.json").read_bytes()
    response = post_run(client, app_name, raw, prompt="triage")
    assert response.status_code == 201, response.text
    run = response.json()
    assert run["source"] == "promptfoo"
    assert run["version"] == 1  # matched by template
    assert run["model"] == "gpt-4o-mini"
    assert run["dataset"] == "ticket-triage classifier"
    assert (run["cases"], run["passed"], run["errors"]) == (4, 3, 0)
    assert (run["input_tokens"], run["output_tokens"]) == (79, 4)
    assert set(run["scores"]) == {"equals", "contains", "regex"}
    assert run["scores"]["equals"] == round(2 / 3, 4)
    assert Decimal(run["cost"]) > 0
    detail = client.get(f"/api/v1/apps/{app_name}/evals/{run['id']}", headers=bearer("read"))
    cases = detail.json()["case_results"]
    assert [c["passed"] for c in cases] == [True, True, True, False]
    assert cases[3]["output"] == "bug"
    assert cases[3]["expected"] == "billing"
    assert count_runs(db) == (1, 4)


def test_malformed_promptfoo_files_store_nothing(
    client: TestClient, app_name: str, db: Database
) -> None:
    push_versions(client, app_name, TRIAGE)
    raw = (PROMPTFOO / "results.json").read_text()
    broken = raw.replace('"success": false', '"success": fals', 1)
    response = post_run(client, app_name, broken.encode(), prompt="triage")
    assert response.status_code == 422
    line = broken[: broken.index('"success": fals')].count("\n") + 1
    assert f"line {line}" in response.json()["detail"]

    body = json.loads(raw)
    bad = copy.deepcopy(body)
    del bad["results"]["results"][2]["success"]
    response = post_run(client, app_name, bad, prompt="triage")
    assert response.status_code == 422
    assert "results.results[2]" in response.json()["detail"]

    bad = copy.deepcopy(body)
    bad["results"]["results"][1]["gradingResult"]["componentResults"][0]["score"] = "high"
    response = post_run(client, app_name, bad, prompt="triage")
    assert response.status_code == 422
    assert "results.results[1]" in response.json()["detail"]

    assert post_run(client, app_name, body).status_code == 422  # no ?prompt=
    assert count_runs(db) == (0, 0)


def test_native_bad_input(client: TestClient, app_name: str, db: Database) -> None:
    push_versions(client, app_name, "v1 {{ticket}}")
    bad_score = native_run(1, [1.0, 1.5])
    response = post_run(client, app_name, bad_score)
    assert response.status_code == 422
    assert "cases.1.scores.exact" in response.json()["detail"]
    unknown = post_run(client, app_name, native_run(9, [1.0]))
    assert unknown.status_code == 404
    backwards = native_run(1, [1.0], finished="2026-11-20T09:00:00Z")
    assert post_run(client, app_name, backwards).status_code == 422
    assert count_runs(db) == (0, 0)


def dataset(*rows: dict[str, Any]) -> str:
    return "\n".join(json.dumps(r) for r in rows) + "\n"


def test_run_from_the_portal(
    client: TestClient, app_name: str, llm: OpenAIState, db: Database
) -> None:
    push_versions(client, app_name, TRIAGE)
    # Judge rules first: the judge's message quotes the prompt too (first match wins).
    llm.reply("RESPONSE:\nbilling", '{"score": 1, "reason": "right"}')
    llm.reply("RESPONSE:\nbug", "no idea, sorry")  # a judge answering nonsense
    llm.reply("RESPONSE:\n{", '{"score": 0.5}')
    llm.reply("charged twice", "billing")
    llm.reply("crashes", "bug")
    llm.reply("dark mode", '{"label": "other"}')
    llm.fail(429, 503)  # the first call is retried twice, then succeeds
    request = {
        "prompt": {"name": "triage", "version": 1},
        "dataset": "tickets-v1",
        "cases": dataset(
            {"vars": {"ticket": "I was charged twice"}, "expected": "billing"},
            {"vars": {"ticket": "It crashes"}, "expected": "bug"},
            {"vars": {"ticket": "Add dark mode"}, "expected": "other"},
        ),
        "scorers": [
            {"type": "exact"},
            {"type": "judge", "rubric": "Is the label right?", "model": "gpt-4o", "threshold": 0.5},
        ],
        "concurrency": 1,
    }
    response = client.post(
        f"/api/v1/apps/{app_name}/evals/run", json=request, headers=bearer("ingest")
    )
    assert response.status_code == 201, response.text
    run = response.json()
    assert run["source"] == "portal"
    assert run["model"] == "gpt-4o-mini"
    assert (run["cases"], run["passed"], run["errors"]) == (3, 1, 0)
    assert run["scores"] == {"exact": round(2 / 3, 4), "judge": 0.5}
    # 3 model calls + 3 judge calls succeeded; the two failures were retried.
    assert len(llm.requests) == 8
    assert run["input_tokens"] > 0
    assert run["output_tokens"] > 0
    # Each model's tokens at its own price: the triage model's and the judge's.
    used: dict[str, list[int]] = {}
    for body in llm.requests[2:]:  # the first two requests failed
        prompt_tokens = sum(count_tokens(m["content"]) for m in body["messages"])
        reply = llm.answer(body["messages"])
        totals = used.setdefault(body["model"], [0, 0])
        totals[0] += prompt_tokens
        totals[1] += count_tokens(reply)
    assert set(used) == {"gpt-4o-mini", "gpt-4o"}
    assert (run["input_tokens"], run["output_tokens"]) == (
        sum(t[0] for t in used.values()),
        sum(t[1] for t in used.values()),
    )
    started = dt.datetime.fromisoformat(run["started"])
    expected_cost = sum(
        (token_cost(PriceBook(), m, t[0], t[1], started) or Decimal("NaN")) for m, t in used.items()
    )
    assert Decimal(run["cost"]) == expected_cost.quantize(Decimal("1e-9"))
    assert expected_cost > 0
    detail = client.get(f"/api/v1/apps/{app_name}/evals/{run['id']}", headers=bearer("read")).json()
    crash = detail["case_results"][1]
    assert crash["scores"] == {"exact": 1.0, "judge": 0.0}
    assert crash["passed"] is False
    assert "no score" in crash["reasons"]["judge"]
    assert count_runs(db) == (1, 3)


def test_run_refuses_a_bad_dataset_line_before_calling_the_model(
    client: TestClient, app_name: str, llm: OpenAIState, db: Database
) -> None:
    push_versions(client, app_name, TRIAGE)
    request = {
        "prompt": {"name": "triage"},
        "dataset": "tickets-v1",
        "cases": '{"vars": {"ticket": "a"}}\n{"vars": {"ticket": "b"}\n',
        "scorers": [{"type": "contains", "value": "bug"}],
    }
    response = client.post(
        f"/api/v1/apps/{app_name}/evals/run", json=request, headers=bearer("ingest")
    )
    assert response.status_code == 422
    assert "dataset line 2" in response.json()["detail"]
    request["cases"] = '{"vars": {"ticket": "a"}}\n\n{"vars": {"other": "b"}}\n'
    response = client.post(
        f"/api/v1/apps/{app_name}/evals/run", json=request, headers=bearer("ingest")
    )
    assert response.status_code == 422
    assert "dataset line 3: variable 'ticket' is missing" in response.json()["detail"]
    assert llm.requests == []
    assert count_runs(db) == (0, 0)


def test_run_with_the_endpoint_down_stores_nothing(
    client: TestClient, app_name: str, llm: OpenAIState, db: Database
) -> None:
    push_versions(client, app_name, TRIAGE)
    llm.fail(*([500] * 6))
    request = {
        "prompt": {"name": "triage"},
        "dataset": "tickets-v1",
        "cases": dataset({"vars": {"ticket": "a"}}, {"vars": {"ticket": "b"}}),
        "scorers": [{"type": "contains", "value": "bug"}],
    }
    response = client.post(
        f"/api/v1/apps/{app_name}/evals/run", json=request, headers=bearer("ingest")
    )
    assert response.status_code == 503
    assert response.json()["source"] == "openai"
    assert count_runs(db) == (0, 0)


def test_list_filters(client: TestClient, app_name: str) -> None:
    push_versions(client, app_name, "v1 {{ticket}}", "v2 {{ticket}}")
    post_run(client, app_name, native_run(1, [1.0]))
    post_run(client, app_name, native_run(2, [1.0], dataset="other-set"))
    url = f"/api/v1/apps/{app_name}/evals"
    assert client.get(url, headers=bearer("read")).json()["total"] == 2
    assert client.get(url, params={"version": 2}, headers=bearer("read")).json()["total"] == 1
    only = client.get(url, params={"dataset": "other-set"}, headers=bearer("read")).json()
    assert [r["version"] for r in only["items"]] == [2]
    assert client.get(url, params={"prompt": "nope"}, headers=bearer("read")).json()["total"] == 0
    assert client.get(f"{url}/999", headers=bearer("read")).status_code == 404


def test_concurrency_is_bounded(client: TestClient, app_name: str, llm: OpenAIState) -> None:
    push_versions(client, app_name, TRIAGE)
    llm.delay_seconds = 0.2
    request = {
        "prompt": {"name": "triage"},
        "dataset": "tickets-v1",
        "cases": dataset(*({"vars": {"ticket": f"t{i}"}} for i in range(6))),
        "scorers": [{"type": "regex", "pattern": "t[0-9]"}],
        "concurrency": 2,
    }
    response = client.post(
        f"/api/v1/apps/{app_name}/evals/run", json=request, headers=bearer("ingest")
    )
    assert response.status_code == 201, response.text
    assert response.json()["passed"] == 6
    assert llm.max_in_flight == 2


def test_oversized_body_is_refused(
    client: TestClient, app_name: str, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    push_versions(client, app_name, TRIAGE)
    monkeypatch.setattr(evals_router, "MAX_BODY_BYTES", 1000)
    response = post_run(
        client, app_name, (PROMPTFOO / "results.json").read_bytes(), prompt="triage"
    )
    assert response.status_code == 413
    assert response.json()["error"] == "PayloadTooLarge"
    assert count_runs(db) == (0, 0)


def test_promptfoo_file_with_an_endpoint_error(client: TestClient, app_name: str) -> None:
    push_versions(client, app_name, TRIAGE)
    raw = (PROMPTFOO / "results-errors.json").read_bytes()
    run = post_run(client, app_name, raw, prompt="triage", dataset="outages").json()
    assert (run["dataset"], run["cases"], run["passed"], run["errors"]) == ("outages", 2, 1, 1)
    detail = client.get(f"/api/v1/apps/{app_name}/evals/{run['id']}", headers=bearer("read"))
    failed = detail.json()["case_results"][1]
    assert failed["output"] == ""
    assert failed["error"].startswith("API error: 500")
    assert failed["scores"] == {}
