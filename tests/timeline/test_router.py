"""The timeline API over changes the portal stores itself: budgets, prompt label moves and
deploys, findings, eval regressions; input checks; cost movers linked to changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel import select

from portal_api.costs.models import CostDaily
from portal_api.costs.pricing import refresh_aggregates
from portal_api.db import Database, utcnow
from portal_api.prompts.models import PromptLabelMove, PromptVersion
from portal_api.security.ingest import FindingDraft, reconcile_findings
from portal_api.security.models import FindingSource, Severity
from tests.conftest import bearer
from tests.factories import eval_run, make_app, prompt_version

ANSWER = {"name": "answer", "template": "Answer {{ q }}", "model": "gpt-4o-mini"}


def timeline(client: TestClient, app: str, **params: str) -> list[dict[str, object]]:
    response = client.get(f"/api/v1/apps/{app}/timeline", params=params, headers=bearer("read"))
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


def test_budget_prompt_finding_and_eval_changes(client: TestClient, db: Database) -> None:
    with db.session_scope() as session:
        app = make_app(session, name="chat", team="care")
        make_app(session, name="other", team="search")
        app_id = app.id
    admin, ingest = bearer("admin"), bearer("ingest")
    created = client.post(
        "/api/v1/budgets", json={"scope": "app", "name": "chat", "amount": 100}, headers=admin
    )
    assert created.status_code == 201, created.text
    budget_id = created.json()["id"]
    client.put(f"/api/v1/budgets/{budget_id}", json={"amount": 250}, headers=admin)
    client.put(f"/api/v1/budgets/{budget_id}", json={"amount": 250}, headers=admin)  # no change
    client.post(
        "/api/v1/budgets", json={"scope": "team", "name": "care", "amount": 900}, headers=admin
    )
    client.post(
        "/api/v1/budgets", json={"scope": "team", "name": "search", "amount": 5}, headers=admin
    )
    assert client.delete(f"/api/v1/budgets/{budget_id}", headers=admin).status_code == 204

    client.post("/api/v1/apps/chat/prompts", json={"prompts": [ANSWER]}, headers=ingest)
    client.post(
        "/api/v1/apps/chat/prompts",
        json={"prompts": [{**ANSWER, "model": "gpt-4o"}]},
        headers=ingest,
    )
    for version in (1, 2):
        moved = client.put(
            "/api/v1/apps/chat/prompts/answer/labels/production",
            json={"version": version},
            headers=admin,
        )
        assert moved.status_code == 200, moved.text

    now = utcnow()
    with db.session_scope() as session:
        assert app_id is not None
        draft = FindingDraft(
            app_id=app_id,
            source=FindingSource.TRIVY,
            check_id="CVE-2024-6119",
            severity=Severity.HIGH,
            title="openssl: denial of service",
            resource="Deployment care/chat container app",
        )
        low = FindingDraft(
            **{**draft.__dict__, "check_id": "CVE-2024-0001", "severity": Severity.LOW}
        )
        reconcile_findings(
            session=session, source=FindingSource.TRIVY, drafts=[draft, low], now=now
        )
        reconcile_findings(
            session=session,
            source=FindingSource.TRIVY,
            drafts=[],
            now=now + dt.timedelta(seconds=1),
        )
        v2 = session.exec(select(PromptVersion).where(PromptVersion.number == 2)).one()
        assert v2.id is not None
        eval_run(
            session,
            app_id,
            v2.id,
            started=now,
            finished=now + dt.timedelta(seconds=2),
            cases=20,
            aggregate_score=0.61,
            regression=True,
            baseline_score=0.9,
        )

    items = timeline(client, "chat", to=(now + dt.timedelta(minutes=1)).isoformat())
    summaries = [(i["kind"], i["summary"]) for i in items]
    assert ("budget", "app budget chat set: $100.00 a month") in summaries
    assert ("budget", "app budget chat: $100.00 → $250.00 a month") in summaries
    assert ("budget", "app budget chat removed: $250.00 a month") in summaries
    assert ("budget", "team budget care set: $900.00 a month") in summaries
    assert not any("search" in s for _, s in summaries)  # another team's budget
    assert sum(1 for k, _ in summaries if k == "budget") == 4
    assert ("prompt-label", "prompt answer v1 (gpt-4o-mini) moved to production") in summaries
    assert (
        "prompt-label",
        "prompt answer v2 (gpt-4o) moved to production (was v1)",
    ) in summaries
    assert (
        "finding-opened",
        "high finding opened: openssl: denial of service (Deployment care/chat container app)",
    ) in summaries
    assert any(k == "finding-resolved" for k, _ in summaries)
    assert not any("CVE-2024-0001" in str(i["data"]) for i in items)  # low severity stays off
    assert (
        "eval-regression",
        "eval regression: prompt answer v2 scored 0.61 on golden (baseline 0.90)",
    ) in summaries
    ats = [i["at"] for i in items]
    assert ats == sorted(ats, reverse=True)

    only = timeline(
        client, "chat", kind="eval-regression", to=(now + dt.timedelta(minutes=1)).isoformat()
    )
    assert [i["kind"] for i in only] == ["eval-regression"]
    assert only[0]["link"].endswith(f"/evals/{only[0]['data']['run_id']}")  # type: ignore[index]

    feed = client.get(
        "/api/v1/changes",
        params={"team": "care", "limit": 2, "to": (now + dt.timedelta(minutes=1)).isoformat()},
        headers=bearer("read"),
    ).json()
    assert feed["total"] == len(items)
    assert len(feed["items"]) == 2
    assert feed["items"][0]["id"] == items[0]["id"]


def test_timeline_input_is_checked(client: TestClient, db: Database) -> None:
    with db.session_scope() as session:
        make_app(session, name="chat")
    read = bearer("read")
    cases = [
        ("/api/v1/apps/chat/timeline", {"kind": "weather"}),
        (
            "/api/v1/apps/chat/timeline",
            {"from": "2026-11-02T00:00:00Z", "to": "2026-11-01T00:00:00Z"},
        ),
        (
            "/api/v1/apps/chat/timeline",
            {"from": "2026-11-01T00:00:00", "to": "2026-11-02T00:00:00Z"},
        ),
        ("/api/v1/changes", {"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}),
        ("/api/v1/changes", {"team": "Bad Team!"}),
        ("/api/v1/changes", {"limit": "0"}),
    ]
    for path, params in cases:
        response = client.get(path, params=params, headers=read)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["error"] == "ValidationError"
    assert client.get("/api/v1/apps/nope/timeline", headers=read).status_code == 404
    assert client.get("/api/v1/changes").status_code == 401


SEP = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
OCT = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


def test_cost_report_top_movers_name_the_change_around_the_step(
    client: TestClient, db: Database
) -> None:
    with db.session_scope() as session:
        app = make_app(session, name="chat", team="care")
        make_app(session, name="steady", team="care")
        rows = []
        for day in range(61):
            when = SEP + dt.timedelta(days=day)
            # chat doubles from Oct 15 on; steady stays flat.
            chat = Decimal("20") if when >= OCT + dt.timedelta(days=14) else Decimal("10")
            for name, cost in (("chat", chat), ("steady", Decimal("5"))):
                rows.append(
                    {
                        "day": when,
                        "app": name,
                        "namespace": "ns",
                        "model": "gpt-4o",
                        "cost": cost,
                        "input_cost": cost,
                        "price_source": "genai-prices",
                    }
                )
        session.execute(insert(CostDaily), rows)
        refresh_aggregates(session=session, start=SEP, end=OCT + dt.timedelta(days=31))
        assert app.id is not None
        versions = [
            prompt_version(session, app.id, number=n, content_hash=str(n) * 64, model=model)
            for n, model in ((1, "gpt-4o-mini"), (2, "gpt-4o"))
        ]
        session.add(
            PromptLabelMove(
                app_id=app.id,
                name="answer",
                label="production",
                from_version_id=versions[0].id,
                to_version_id=versions[1].id,  # type: ignore[arg-type]
                moved=OCT + dt.timedelta(days=14, hours=10),
            )
        )
    report = client.get(
        "/api/v1/reports/costs", params={"month": "2026-10"}, headers=bearer("read")
    ).json()
    mover = report["top_movers"][0]
    assert mover["key"] == "chat"
    assert mover["explanation"] == (
        "cost +60 % after prompt answer v2 (gpt-4o) moved to production (was v1) on 10-15"
    )
    assert [c["kind"] for c in mover["changes"]] == ["prompt-label"]
    steady = next(m for m in report["top_movers"] if m["key"] == "steady")
    assert steady["explanation"] is None
    assert steady["changes"] == []
