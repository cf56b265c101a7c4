"""Evaluation runs render with the prompts' renderer and price with the usage price book."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from genai_prices import Usage, calc_price

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.kit import templates
from portal_api.main import create_app
from portal_api.sources.bundle import Sources
from tests.conftest import bearer
from tests.servers.openai import OpenAIState, count_tokens

TEMPLATE = "Q: {{ question | trim }} for {{ user.name | upper }}{% if user.vip %} (VIP){% endif %}"
NANO = Decimal("1e-9")


@pytest.fixture
def prices_file(tmp_path: Path) -> Path:
    path = tmp_path / "prices.yaml"
    path.write_text(
        'models:\n  acme-llm: {input: "3.00", output: "12.00"}\ndiscounts:\n  openai: 15\n'
    )
    return path


@pytest.fixture
def priced(
    settings: Settings, prices_file: Path, db: Database, sources: Sources
) -> Iterator[TestClient]:
    configured = settings.model_copy(update={"prices_file": prices_file})
    with TestClient(create_app(configured, db=db, sources=sources)) as client:
        yield client


def _push(client: TestClient, app: str, template: str, model: str) -> dict[str, object]:
    response = client.post(
        f"/api/v1/apps/{app}/prompts",
        json={"prompts": [{"name": "answer", "template": template, "model": model}]},
        headers=bearer("ingest"),
    )
    assert response.status_code == 200, response.text
    version: dict[str, object] = response.json()["versions"][0]
    return version


def _run(
    client: TestClient,
    app: str,
    dataset: str,
    cases: str,
    *,
    prompt: dict[str, object] | None = None,
    scorer: dict[str, str] | None = None,
) -> httpx.Response:
    """POST an evaluation run of prompt ``answer`` (by default its latest version, scored exact)."""
    return client.post(
        f"/api/v1/apps/{app}/evals/run",
        json={
            "prompt": prompt or {"name": "answer"},
            "dataset": dataset,
            "cases": cases,
            "scorers": [scorer or {"type": "exact"}],
        },
        headers=bearer("ingest"),
    )


def test_filters_and_attributes_render_the_same_in_a_version_and_a_run(
    priced: TestClient, app_name: str, llm: OpenAIState
) -> None:
    _push(priced, app_name, TEMPLATE, "acme-llm")
    detail = priced.get(
        f"/api/v1/apps/{app_name}/prompts/answer/versions/1", headers=bearer("read")
    ).json()
    assert detail["variables"] == ["question", "user"]  # declared: filters and attributes
    values = {"question": "  Where is my order?  ", "user": {"name": "ann", "vip": True}}
    response = _run(
        priced,
        app_name,
        "render",
        '{"vars": {"question": "  Where is my order?  ", "user": {"name": "ann", "vip": true}}}',
        prompt={"name": "answer", "version": 1},
        scorer={"type": "contains", "value": "order"},
    )
    assert response.status_code == 201, response.text
    rendered = "Q: Where is my order? for ANN (VIP)"
    assert templates.render(detail["template"], values) == rendered
    # What reached the model is the rendered text, not the template's literal braces.
    assert llm.requests[0]["messages"][-1]["content"] == rendered
    run = priced.get(
        f"/api/v1/apps/{app_name}/evals/{response.json()['id']}", headers=bearer("read")
    ).json()
    assert run["case_results"][0]["input"] == rendered


def test_a_sandbox_violation_is_a_clear_4xx(priced: TestClient, app_name: str) -> None:
    _push(priced, app_name, "{{ question.__class__.__mro__ }}", "acme-llm")
    response = _run(priced, app_name, "sandbox", '{"vars": {"question": "x"}}')
    assert response.status_code == 422, response.text
    assert "dataset line 1" in response.json()["detail"]


def test_eval_runs_cost_what_the_price_book_says(
    priced: TestClient, app_name: str, llm: OpenAIState
) -> None:
    # A run from the portal on a custom model: priced by the overrides file.
    _push(priced, app_name, "Answer {{ q }}", "acme-llm")
    response = _run(
        priced, app_name, "custom", '{"vars": {"q": "one two three"}}\n{"vars": {"q": "four"}}'
    )
    assert response.status_code == 201, response.text
    run = response.json()
    sent = [count_tokens(r["messages"][-1]["content"]) for r in llm.requests]
    answered = [count_tokens(llm.answer(r["messages"])) for r in llm.requests]
    assert (run["input_tokens"], run["output_tokens"]) == (sum(sent), sum(answered))
    expected = (Decimal(sum(sent)) * 3 + Decimal(sum(answered)) * 12) / Decimal(1_000_000)
    assert Decimal(run["cost"]) == expected.quantize(NANO)

    # A run posted by CI without a cost, on an OpenAI model: list price less the discount.
    started = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    posted = priced.post(
        f"/api/v1/apps/{app_name}/evals",
        json={
            "prompt": {"name": "answer", "version": 1},
            "model": "gpt-4o-mini",
            "dataset": "discounted",
            "started": started.isoformat(),
            "finished": (started + dt.timedelta(minutes=5)).isoformat(),
            "cases": [
                {"input": "q", "output": "a", "passed": True, "input_tokens": 120_000},
                {"input": "q", "output": "b", "passed": True, "output_tokens": 30_000},
            ],
        },
        headers=bearer("ingest"),
    )
    assert posted.status_code == 201, posted.text
    noon = started.replace(hour=12)
    list_price = Decimal(
        calc_price(
            Usage(input_tokens=120_000, output_tokens=30_000),
            "gpt-4o-mini",
            genai_request_timestamp=noon,
        ).total_price
    )
    assert Decimal(posted.json()["cost"]) == (list_price * Decimal("0.85")).quantize(NANO)
