"""Cost reads, budgets and alerts, anomalies, the monthly report, and the /metrics gauges."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert
from typer.testing import CliRunner

from portal_api.costs.models import CostDaily
from portal_api.costs.pricing import refresh_aggregates
from portal_api.db import Database
from portal_api.usage.models import UsageHourly
from portal_api.usage.service import rebuild_daily
from tests.conftest import bearer
from tests.factories import make_app

DAY = dt.timedelta(days=1)
SEPT = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
OCT = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


def cost_row(
    app: str, day: dt.datetime, cost: str | None, model: str = "gpt-4o"
) -> dict[str, object]:
    value = Decimal(cost) if cost is not None else None
    return {
        "day": day,
        "app": app,
        "namespace": "ns",
        "model": model,
        "provider": "openai",
        "input_tokens": 1000,
        "output_tokens": 100,
        "cached_input_tokens": 0,
        "gpu_hours": 0.0,
        "input_cost": value,
        "output_cost": Decimal(0) if value is not None else None,
        "cost": value,
        "price_source": "genai-prices" if value is not None else "unpriced",
    }


@pytest.fixture
def seeded(db: Database) -> Iterator[Database]:
    """September: bot 1.00/day, search 2.00/day. October: bot 1.50/day with a 20.00 spike on
    the 20th, search 2.00/day, and an unpriced model."""
    with db.session_scope() as session:
        make_app(session, name="bot", team="care")
        make_app(session, name="search", namespace="search", team="discovery")
        rows = []
        for i in range(30):
            rows.append(cost_row("bot", SEPT + i * DAY, "1.00"))
            rows.append(cost_row("search", SEPT + i * DAY, "2.00"))
        for i in range(31):
            day = OCT + i * DAY
            rows.append(cost_row("bot", day, "20.00" if i == 19 else "1.50"))
            rows.append(cost_row("search", day, "2.00"))
            rows.append(cost_row("search", day, None, model="in-house-7b"))
        session.execute(insert(CostDaily), rows)
        # What the costs step does after pricing: monthly rollups and anomalies.
        refresh_aggregates(session=session, start=SEPT, end=OCT + 31 * DAY)
    return db


OCT_BOT = Decimal("1.50") * 30 + Decimal("20.00")  # 65.00
OCT_SEARCH = Decimal("2.00") * 31  # 62.00


@pytest.mark.usefixtures("seeded")
def test_org_costs_by_team_with_previous_period(client: TestClient) -> None:
    params = {"from": OCT.isoformat(), "to": (OCT + 30 * DAY).isoformat(), "group_by": "team"}
    body = client.get("/api/v1/costs", params=params, headers=bearer("read")).json()
    groups = {g["key"]: g for g in body["groups"]}
    assert Decimal(groups["care"]["cost"]) == Decimal("1.50") * 29 + Decimal("20.00")
    # The previous 30 days: Sept 1 .. Sept 30.
    assert Decimal(groups["care"]["previous"]) == Decimal("30.00")
    assert Decimal(groups["discovery"]["change"]) == 0
    assert body["unpriced"][0]["model"] == "in-house-7b"
    assert body["unpriced"][0]["input_tokens"] == 30 * 1000


def _budget(client: TestClient, scope: str, name: str, amount: str | int) -> None:
    """A monthly budget of ``amount`` dollars for an app or a team, set by an admin."""
    client.post(
        "/api/v1/budgets",
        json={"scope": scope, "name": name, "amount": amount},
        headers=bearer("admin"),
    )


@pytest.mark.usefixtures("seeded")
def test_budgets_need_admin_and_report_alerts(client: TestClient) -> None:
    data = {"scope": "team", "name": "care", "amount": "60.00"}
    assert client.post("/api/v1/budgets", json=data, headers=bearer("read")).status_code == 403
    created = client.post("/api/v1/budgets", json=data, headers=bearer("admin"))
    assert created.status_code == 201, created.text
    again = client.post("/api/v1/budgets", json=data, headers=bearer("admin"))
    assert again.status_code == 200, "the same budget posted again is a replay"
    assert again.json()["id"] == created.json()["id"]
    other = client.post(
        "/api/v1/budgets", json={**data, "amount": "70.00"}, headers=bearer("admin")
    )
    assert other.status_code == 409, "another amount for the same team is a conflict"
    _budget(client, "app", "search", 100)
    body = client.get("/api/v1/budgets", params={"month": "2026-10"}, headers=bearer("read")).json()
    by_name = {b["name"]: b for b in body["items"]}
    care = by_name["care"]
    assert Decimal(care["spent"]) == OCT_BOT
    assert care["state"] == "exceeded"
    firing = {(a["threshold"], a["basis"]) for a in care["alerts"] if a["firing"]}
    assert firing == {(80, "actual"), (100, "actual"), (80, "forecast"), (100, "forecast")}
    search = by_name["search"]
    assert search["state"] == "ok"
    assert search["utilisation"] == pytest.approx(0.62)
    # Changing the amount, then bad input that changes nothing.
    budget_id = care["id"]
    updated = client.put(
        f"/api/v1/budgets/{budget_id}", json={"amount": "500"}, headers=bearer("admin")
    )
    assert updated.status_code == 200
    assert Decimal(updated.json()["amount"]) == 500
    bad = client.put(f"/api/v1/budgets/{budget_id}", json={"amount": -5}, headers=bearer("admin"))
    assert bad.status_code == 422
    assert bad.json()["error"] == "ValidationError"
    assert (
        client.put("/api/v1/budgets/9999", json={"amount": 5}, headers=bearer("admin")).status_code
        == 404
    )
    assert client.delete(f"/api/v1/budgets/{budget_id}", headers=bearer("admin")).status_code == 204
    left = client.get("/api/v1/budgets", headers=bearer("read")).json()["items"]
    assert [b["name"] for b in left] == ["search"]


@pytest.mark.usefixtures("seeded")
def test_budget_forecast_mid_month(db: Database) -> None:
    from portal_api.costs.budgets import budget_statuses
    from portal_api.costs.models import Budget, BudgetScope

    with db.session_scope() as session:
        session.add(Budget(scope=BudgetScope.APP, name="search", amount=Decimal("50")))
    with db.session() as session:
        # On Oct 11 at 00:00, ten days have passed: 10 days of October are not in yet, but
        # the stored rows cover the whole month; spend counts what is stored.
        (status,) = budget_statuses(
            session=session, month="2026-10", now=OCT + 10 * DAY, thresholds=[80, 100]
        )
    assert status.spent == OCT_SEARCH
    assert status.forecast == (OCT_SEARCH * 31 / 10).quantize(Decimal("0.01"))
    assert status.state == "exceeded"


def test_invalid_budget_is_refused(client: TestClient, db: Database) -> None:  # noqa: ARG001
    for data in (
        {"scope": "galaxy", "name": "x", "amount": 10},
        {"scope": "team", "name": "-bad-", "amount": 10},
        {"scope": "team", "name": "care", "amount": 0},
        {"scope": "team", "name": "care"},
    ):
        response = client.post("/api/v1/budgets", json=data, headers=bearer("admin"))
        assert response.status_code == 422, data
    assert client.get("/api/v1/budgets", headers=bearer("read")).json()["items"] == []


@pytest.mark.usefixtures("seeded")
def test_anomalies_find_the_spike(db: Database) -> None:
    from portal_api.costs.anomalies import find_anomalies

    with db.session() as session:
        found = find_anomalies(session=session, start=OCT, end=OCT + 31 * DAY)
    assert [(a.app, a.day) for a in found] == [("bot", OCT + 19 * DAY)]
    assert found[0].ratio == pytest.approx(20 / 1.5, rel=0.01)


@pytest.mark.usefixtures("seeded")
def test_report_json_csv_html(client: TestClient) -> None:
    _budget(client, "team", "care", "60")
    params = {"month": "2026-10"}
    report = client.get("/api/v1/reports/costs", params=params, headers=bearer("read")).json()
    assert Decimal(report["total"]) == OCT_BOT + OCT_SEARCH
    assert Decimal(report["previous_total"]) == Decimal(30) + Decimal(60)
    assert report["top_movers"][0]["key"] == "bot"
    assert len(report["daily"]) == 31
    assert report["budgets"][0]["state"] == "exceeded"
    assert [(a["app"], a["day"][:10]) for a in report["anomalies"]] == [("bot", "2026-10-20")]

    response = client.get(
        "/api/v1/reports/costs", params={**params, "format": "csv"}, headers=bearer("read")
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    # The header line spreadsheets and scripts read: the CSV's contract, spelled out.
    assert response.text.splitlines()[0] == (
        "section,name,cost_usd,previous_cost_usd,change_usd,change_pct,budget_usd,forecast_usd,"
        "utilisation_pct,state,input_tokens,output_tokens,cached_input_tokens,compute_cost_usd,"
        "total_cost_usd,previous_total_cost_usd,requests,cost_per_1k_requests_usd"
    )
    total = next(r for r in rows if r["section"] == "total")
    assert Decimal(total["cost_usd"]) == OCT_BOT + OCT_SEARCH
    apps = {r["name"]: Decimal(r["cost_usd"]) for r in rows if r["section"] == "app"}
    assert apps == {"bot": OCT_BOT, "search": OCT_SEARCH}
    assert sum(apps.values()) == Decimal(total["cost_usd"])
    for row in rows:
        if row["change_usd"]:
            assert Decimal(row["cost_usd"]) - Decimal(row["previous_cost_usd"]) == Decimal(
                row["change_usd"]
            )
    teams = {r["name"]: Decimal(r["cost_usd"]) for r in rows if r["section"] == "team"}
    assert sum(teams.values()) == Decimal(total["cost_usd"])
    unpriced = next(r for r in rows if r["section"] == "unpriced")
    assert unpriced["name"] == "search:in-house-7b"
    assert unpriced["cost_usd"] == ""
    assert int(unpriced["input_tokens"]) == 31 * 1000
    budget = next(r for r in rows if r["section"] == "budget")
    assert (budget["name"], budget["state"]) == ("team:care", "exceeded")

    html = client.get(
        "/api/v1/reports/costs", params={**params, "format": "html"}, headers=bearer("read")
    )
    assert html.headers["content-type"].startswith("text/html")
    page = html.text
    for chart in ("chart-daily", "chart-teams", "chart-models"):
        assert f'<svg id="{chart}"' in page
    assert page.count("<rect") >= 31 + 2 + 1
    assert "127.00" in page  # the month's total
    assert "in-house-7b" in page
    assert "<script" not in page
    assert "http" not in page.split("<body>")[1]


def test_report_rejects_bad_month(client: TestClient) -> None:
    for month in ("2026-13", "Oct", "2026-1"):
        response = client.get(
            "/api/v1/reports/costs", params={"month": month}, headers=bearer("read")
        )
        assert response.status_code == 422, month
    response = client.get(
        "/api/v1/reports/costs",
        params={"month": "2026-10", "format": "pdf"},
        headers=bearer("read"),
    )
    assert response.status_code == 422


@pytest.mark.usefixtures("seeded")
def test_metrics_export_costs_and_budgets(client: TestClient) -> None:
    _budget(client, "app", "bot", "10")
    text = client.get("/metrics").text
    assert "# TYPE genai_portal_budget_utilisation_ratio gauge" in text
    assert 'genai_portal_budget_usd{name="bot",scope="app"} 10.0' in text
    assert "genai_portal_app_cost_month_to_date_usd" in text


def test_cli_writes_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from portal_api.cli import app
    from portal_api.config import get_settings
    from portal_api.db import make_engine, migrate

    url = f"sqlite:///{tmp_path / 'portal.db'}"
    engine = make_engine(url)
    migrate(engine)
    with Database(engine).session_scope() as session:
        session.execute(
            insert(CostDaily), [cost_row("bot", OCT + i * DAY, "1.25") for i in range(4)]
        )
        refresh_aggregates(session=session, start=OCT, end=OCT + 4 * DAY)
    engine.dispose()
    monkeypatch.setenv("PORTAL_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        out = tmp_path / "report.csv"
        result = CliRunner().invoke(
            app, ["report", "costs", "--month", "2026-10", "--format", "csv", "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        assert next(r for r in rows if r["section"] == "total")["cost_usd"] == "5.00"
        html = CliRunner().invoke(app, ["report", "costs", "--month", "2026-10", "-f", "html"])
        assert html.exit_code == 0
        assert '<svg id="chart-daily"' in html.stdout
        bad = CliRunner().invoke(app, ["report", "costs", "--month", "October"])
        assert bad.exit_code == 2
    finally:
        get_settings.cache_clear()


@pytest.mark.usefixtures("seeded")
def test_month_in_progress_compares_the_same_days(db: Database) -> None:
    from portal_api.costs.report import cost_report
    from portal_api.sync.models import Freshness

    with db.session() as session:
        report = cost_report(
            session=session,
            month="2026-10",
            now=OCT + 9 * DAY + dt.timedelta(hours=5),  # Oct 10, 05:00
            thresholds=[80, 100],
            freshness=Freshness(source="prometheus", as_of=None, stale=True),
        )
    assert report.compared_days == 10
    assert report.previous_total == Decimal("3.00") * 10  # Sept 1..10: bot 1.00 + search 2.00


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    ("start", "end"),
    [
        # September whole (its monthly rows), Oct 1..14 daily; the previous period Aug only.
        (SEPT - 11 * DAY + dt.timedelta(hours=12), OCT + 14 * DAY + dt.timedelta(hours=6)),
        # October whole (with the spike on the 20th), Sept 10..30 daily; the previous period
        # ends inside September.
        (SEPT + 9 * DAY, OCT + 31 * DAY),
        # No whole month: daily rows only, across the month boundary.
        (SEPT + 20 * DAY, OCT + 10 * DAY),
    ],
)
@pytest.mark.parametrize("group_by", ["app", "model", "team"])
def test_org_costs_read_whole_months_from_the_rollup_to_the_cent(
    client: TestClient, start: dt.datetime, end: dt.datetime, group_by: str
) -> None:
    def day_costs(app: str, day: dt.datetime) -> Decimal:
        if app == "bot":
            return Decimal("1.00") if day < OCT else Decimal("20.00" if day.day == 20 else "1.50")
        return Decimal("2.00")

    def expected(first: dt.datetime, last: dt.datetime) -> dict[str, Decimal]:
        # Every priced daily row of the whole days of [first, last), summed by hand (no
        # hourly usage here: the hours around them split to nothing).
        teams = {"bot": "care", "search": "discovery"}
        out: dict[str, Decimal] = {}
        day = first if first.hour == 0 else (first + DAY).replace(hour=0)
        while day + DAY <= last:
            if SEPT <= day < OCT + 31 * DAY:
                for app in ("bot", "search"):
                    key = {"app": app, "model": "gpt-4o", "team": teams[app]}[group_by]
                    out[key] = out.get(key, Decimal(0)) + day_costs(app, day)
            day += DAY
        return out

    params = {"from": start.isoformat(), "to": end.isoformat(), "group_by": group_by}
    body = client.get("/api/v1/costs", params=params, headers=bearer("read")).json()
    got = {g["key"]: (Decimal(g["cost"]), Decimal(g["previous"])) for g in body["groups"]}
    now, before = expected(start, end), expected(start - (end - start), start)
    assert got == {k: (now.get(k, Decimal(0)), before.get(k, Decimal(0))) for k in now | before}
    assert Decimal(body["total"]) == sum(now.values(), Decimal(0))
    assert Decimal(body["previous_total"]) == sum(before.values(), Decimal(0))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        # Neither edge a whole day, across the month boundary; no whole month.
        (SEPT + 20 * DAY + dt.timedelta(hours=7), OCT + 10 * DAY + dt.timedelta(hours=19)),
        # A whole month (October) from the monthly rollup, hours before it from the hourly rows.
        (SEPT + 29 * DAY + dt.timedelta(hours=5), OCT + 31 * DAY),
        # Whole days only.
        (SEPT + 3 * DAY, OCT + 3 * DAY),
    ],
)
@pytest.mark.parametrize("group_by", ["app", "model", "team"])
def test_org_requests_from_the_rollups_equal_the_hourly_rows(
    client: TestClient, seeded: Database, start: dt.datetime, end: dt.datetime, group_by: str
) -> None:
    # Hourly usage under every cost row, its daily and monthly rollups rebuilt from it as the
    # usage step does: the requests per group read whole months, whole days and edge hours
    # from the three tables and must equal the hourly rows of [start, end) summed by hand.
    teams = {"bot": "care", "search": "discovery"}
    series = [("bot", "gpt-4o"), ("search", "gpt-4o"), ("search", "in-house-7b")]
    rows, hourly = [], []
    for h in range(61 * 24):
        hour = SEPT + dt.timedelta(hours=h)
        for n, (app, model) in enumerate(series):
            requests = (h * 7 + n * 3) % 11 + 1
            hourly.append((hour, app, model, requests))
            rows.append(
                {
                    "hour": hour,
                    "day": hour.replace(hour=0),
                    "app": app,
                    "namespace": "ns",
                    "model": model,
                    "provider": "openai",
                    "input_tokens": 10 * requests,
                    "output_tokens": requests,
                    "cached_input_tokens": 0,
                    "requests": requests,
                    "errors": 0,
                }
            )
    with seeded.session_scope() as session:
        session.execute(insert(UsageHourly), rows)
        rebuild_daily(session=session, start=SEPT, end=OCT + 31 * DAY)
    want: dict[str, int] = {}
    for hour, app, model, requests in hourly:
        if start <= hour < end:
            key = {"app": app, "model": model, "team": teams[app]}[group_by]
            want[key] = want.get(key, 0) + requests
    params = {"from": start.isoformat(), "to": end.isoformat(), "group_by": group_by}
    body = client.get("/api/v1/costs", params=params, headers=bearer("read")).json()
    got = {g["key"]: g["requests"] for g in body["groups"]}
    assert got == {key: want[key] for key in got}
    assert len(got) == (1 if group_by == "model" else 2)  # the unpriced model has no group


def test_app_costs_list_the_unpriced_tokens_of_its_days(db: Database, client: TestClient) -> None:
    """One app's costs read its whole days once: each bucket's sums and, per model, the tokens
    of the rows that have no price, even where a priced row of the same model and day (another
    namespace) shares the bucket."""
    with db.session_scope() as session:
        make_app(session, name="search", namespace="search", team="discovery")
        rows = []
        for i in range(10):
            rows.append(cost_row("search", OCT + i * DAY, "2.00"))
            rows.append(cost_row("search", OCT + i * DAY, None, model="in-house-7b"))
        shared = cost_row("search", OCT + 3 * DAY, None) | {"namespace": "other"}
        rows.append(shared | {"input_tokens": 7000, "output_tokens": 70})
        session.execute(insert(CostDaily), rows)
    params = {"from": OCT.isoformat(), "to": (OCT + 10 * DAY).isoformat(), "step": "day"}
    body = client.get("/api/v1/apps/search/costs", params=params, headers=bearer("read")).json()
    assert body["unpriced"] == [
        {
            "app": "search",
            "model": "gpt-4o",
            "input_tokens": 7000,
            "output_tokens": 70,
            "cached_input_tokens": 0,
        },
        {
            "app": "search",
            "model": "in-house-7b",
            "input_tokens": 10 * 1000,
            "output_tokens": 10 * 100,
            "cached_input_tokens": 0,
        },
    ]
    assert Decimal(body["by_model"]["gpt-4o"]) == Decimal("20.00")
    gpt = [b for b in body["buckets"] if b["model"] == "gpt-4o"]
    assert [b["priced"] for b in gpt] == [i != 3 for i in range(10)]
    assert gpt[3]["input_tokens"] == 8000
    assert Decimal(gpt[3]["cost"]) == Decimal("2.00")
    assert {b["priced"] for b in body["buckets"] if b["model"] == "in-house-7b"} == {False}
