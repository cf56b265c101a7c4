"""The monthly cost report: assembled from the cost rollups (``cost_report``), served as JSON,
CSV or HTML (inline SVG charts, no network at view time).

CSV columns (one row per line item; money in USD, exact decimals):
``section`` (total | team | app | model | mover | budget | anomaly | unpriced), ``name``,
``cost_usd``, ``previous_cost_usd``, ``change_usd``, ``change_pct``, ``budget_usd``,
``forecast_usd``, ``utilisation_pct``, ``state``, ``input_tokens``, ``output_tokens``,
``cached_input_tokens``, then the total cost of ownership: ``compute_cost_usd`` (the pods'
CPU, memory and GPUs not already in model spend), ``total_cost_usd`` (``cost_usd``, the model
spend, plus compute), ``previous_total_cost_usd``, ``requests`` and
``cost_per_1k_requests_usd`` (total per 1,000 model requests). Sections ``compute`` (per
resource) and ``unallocated`` (per namespace: pods without an app label) carry compute only.
Empty cells mean "does not apply".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session, col, select

from portal_api.costs import compute
from portal_api.costs.anomalies import stored_anomalies
from portal_api.costs.budgets import budget_statuses
from portal_api.costs.models import CostDailyTotal, CostGroup, CostReport, DailyTotal
from portal_api.costs.movers import explain_movers
from portal_api.costs.service import (
    UNASSIGNED,
    ZERO,
    compare_groups,
    teams_by_app,
    unpriced_usage,
)
from portal_api.costs.spend import month_spend, period_spend
from portal_api.deps import STALE_HEADER, stale_header
from portal_api.kit.timeutil import DAY, floor_day, month_name, parse_month
from portal_api.sync.models import Freshness
from portal_api.usage.models import UsageMonthly


def cost_report(
    *,
    session: Session,
    month: str,
    now: dt.datetime,
    thresholds: Sequence[int],
    freshness: Freshness,
    movers: int = 5,
) -> CostReport:
    """The monthly report a manager reads: totals by team, app and model, month over month,
    top movers, budget status, anomalies and unpriced usage.

    Raises:
        InvalidInputError: not a YYYY-MM month.
    """
    first, after = parse_month(month)
    prev_first = (first - DAY).replace(day=1)
    teams = teams_by_app(session)
    current = month_spend(session, first, teams)
    compared_days = None
    if now < after:
        # A month in progress is compared with the same days of the previous month.
        elapsed = min(floor_day(now) + DAY, after) - first
        compared_days = max(elapsed.days, 1)
        prev_end = min(prev_first + elapsed, first)
        previous = period_spend(session, prev_first, prev_end, teams)
    else:
        prev_end = first
        previous = month_spend(session, prev_first, teams)
    now_compute = compute.compute_by(session, first, after, teams, UNASSIGNED)
    before_compute = compute.compute_by(session, prev_first, prev_end, teams, UNASSIGNED)
    app_requests, model_requests = _requests(session, first)
    team_requests: dict[str, int] = defaultdict(int)
    for name, n in app_requests.items():
        team_requests[teams.get(name, UNASSIGNED)] += n
    apps = compute.join_compute(
        compare_groups(current.by_app, previous.by_app),
        compute=now_compute[0],
        previous_compute=before_compute[0],
        requests=app_requests,
    )
    # The org's priced cost per day, from the daily totals the costs step keeps.
    days = (col(CostDailyTotal.day) >= first, col(CostDailyTotal.day) < after)
    daily_query = select(CostDailyTotal).where(*days).order_by(col(CostDailyTotal.day))
    daily = compute.join_daily(
        session,
        [DailyTotal(day=d.day, cost=d.cost) for d in session.exec(daily_query).all()],
        first,
        after,
    )
    total, previous_total = sum(current.by_app.values(), ZERO), sum(previous.by_app.values(), ZERO)
    compute_total = sum(now_compute[0].values(), ZERO)
    previous_compute = sum(before_compute[0].values(), ZERO)
    return CostReport(
        month=month,
        previous_month=month_name(prev_first),
        compared_days=compared_days,
        generated_at=now,
        total=total,
        previous_total=previous_total,
        by_team=compute.join_compute(
            compare_groups(current.by_team, previous.by_team),
            compute=now_compute[1],
            previous_compute=before_compute[1],
            requests=team_requests,
        ),
        by_app=apps,
        by_model=compute.join_compute(
            compare_groups(current.by_model, previous.by_model),
            compute={},
            previous_compute={},
            requests=model_requests,
        ),
        top_movers=explain_movers(
            session=session,
            movers=sorted(apps, key=lambda g: (-abs(g.total_change), g.key))[:movers],
            start=prev_first,
            end=after,
        ),
        daily=daily,
        budgets=budget_statuses(
            session=session,
            month=month,
            now=now,
            thresholds=thresholds,
            spend=(current.by_app, current.by_team),
            compute_spend=now_compute,
        ),
        anomalies=stored_anomalies(session=session, start=first, end=after),
        unpriced=unpriced_usage(session, first, after),
        compute_total=compute_total,
        previous_compute_total=previous_compute,
        total_cost=total + compute_total,
        previous_total_cost=previous_total + previous_compute,
        compute_by_resource=compute.compute_by_resource(session, first, after),
        unallocated=compute.unallocated(session, first, after),
        freshness=freshness,
    )


def _requests(session: Session, first: dt.datetime) -> tuple[dict[str, int], dict[str, int]]:
    """Model requests of a month per app and per model, from the monthly rollup (an app x
    model row each) instead of a month of daily rows."""
    by_app: dict[str, int] = defaultdict(int)
    by_model: dict[str, int] = defaultdict(int)
    query = select(UsageMonthly.app, UsageMonthly.model, UsageMonthly.requests).where(
        UsageMonthly.month == first
    )
    for app, model, n in session.execute(query).all():
        by_app[app] += n
        by_model[model] += n
    return dict(by_app), dict(by_model)


CSV_COLUMNS = [
    "section",
    "name",
    "cost_usd",
    "previous_cost_usd",
    "change_usd",
    "change_pct",
    "budget_usd",
    "forecast_usd",
    "utilisation_pct",
    "state",
    "input_tokens",
    "output_tokens",
    "cached_input_tokens",
    "compute_cost_usd",
    "total_cost_usd",
    "previous_total_cost_usd",
    "requests",
    "cost_per_1k_requests_usd",
]
MEDIA_TYPES = {"json": "application/json", "csv": "text/csv", "html": "text/html"}

_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(Decimal('0.01'))}"


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def _group_row(section: str, g: CostGroup) -> dict[str, Any]:
    return {
        "section": section,
        "name": g.key,
        "cost_usd": _money(g.cost),
        "previous_cost_usd": _money(g.previous),
        # From the rounded amounts, so that each row adds up as printed.
        "change_usd": _money(_cents(g.cost) - _cents(g.previous)),
        "change_pct": "" if g.change_pct is None else f"{g.change_pct:.2f}",
        "compute_cost_usd": _money(g.compute_cost),
        "total_cost_usd": _money(g.total_cost),
        "previous_total_cost_usd": _money(g.previous_total_cost),
        "requests": "" if g.requests is None else g.requests,
        "cost_per_1k_requests_usd": ""
        if g.cost_per_1k_requests is None
        else f"{g.cost_per_1k_requests:.4f}",
    }


def render_csv(report: CostReport) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n", restval="")
    writer.writeheader()
    change = _cents(report.total) - _cents(report.previous_total)
    pct = f"{change / report.previous_total * 100:.2f}" if report.previous_total else ""
    writer.writerow(
        {
            "section": "total",
            "name": report.month,
            "cost_usd": _money(report.total),
            "previous_cost_usd": _money(report.previous_total),
            "change_usd": _money(change),
            "change_pct": pct,
            "compute_cost_usd": _money(report.compute_total),
            "total_cost_usd": _money(report.total_cost),
            "previous_total_cost_usd": _money(report.previous_total_cost),
        }
    )
    for resource, cost in report.compute_by_resource.items():
        writer.writerow({"section": "compute", "name": resource, "compute_cost_usd": _money(cost)})
    for pods in report.unallocated:
        writer.writerow(
            {
                "section": "unallocated",
                "name": pods.namespace,
                "compute_cost_usd": _money(pods.cost),
                "total_cost_usd": _money(pods.cost),
            }
        )
    for section, groups in (
        ("team", report.by_team),
        ("app", report.by_app),
        ("model", report.by_model),
        ("mover", report.top_movers),
    ):
        for g in groups:
            writer.writerow(_group_row(section, g))
    for b in report.budgets:
        writer.writerow(
            {
                "section": "budget",
                "name": f"{b.scope}:{b.name}",
                "cost_usd": _money(b.spent),
                "budget_usd": _money(b.amount),
                "forecast_usd": _money(b.forecast),
                "utilisation_pct": f"{b.utilisation * 100:.1f}",
                "state": b.state,
            }
        )
    for a in report.anomalies:
        writer.writerow(
            {
                "section": "anomaly",
                "name": f"{a.app}@{a.day:%Y-%m-%d}",
                "cost_usd": _money(a.cost),
                "previous_cost_usd": _money(a.baseline),
            }
        )
    for u in report.unpriced:
        writer.writerow(
            {
                "section": "unpriced",
                "name": f"{u.app}:{u.model}",
                "input_tokens": u.input_tokens,
                "output_tokens": u.output_tokens,
                "cached_input_tokens": u.cached_input_tokens,
            }
        )
    return out.getvalue()


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    # The compute part, stacked on the model spend (column: above it; bar: right of it).
    extra: float = 0.0


def _column_chart(report: CostReport, width: int = 720, height: int = 180) -> list[Bar]:
    if not report.daily:
        return []
    peak = max(max(d.total_cost, d.cost) for d in report.daily) or Decimal(1)
    slot = width / max(len(report.daily), 1)
    bars = []
    for i, d in enumerate(report.daily):
        h = float(d.cost / peak) * (height - 20)
        extra = float(d.compute_cost / peak) * (height - 20)
        label = f"{d.day:%d %b}"
        value = f"{_money(d.cost)} model + {_money(d.compute_cost)} compute"
        bars.append(Bar(i * slot + 1, height - h, max(slot - 2, 1), h, label, value, extra))
    return bars


def _bar_chart(groups: list[CostGroup], width: int = 480, row: int = 22) -> list[Bar]:
    top = groups[:12]
    peak = max((max(g.total_cost, g.cost) for g in top), default=Decimal(0)) or Decimal(1)
    scale = width - 260
    return [
        Bar(
            170,
            i * row,
            float(g.cost / peak) * scale,
            row - 6,
            g.key,
            _money(max(g.total_cost, g.cost)),
            float(g.compute_cost / peak) * scale,
        )
        for i, g in enumerate(top)
    ]


def render_html(report: CostReport) -> str:
    return _env.get_template("cost_report.html.j2").render(
        r=report,
        money=_money,
        daily_bars=_column_chart(report),
        team_bars=_bar_chart(report.by_team),
        model_bars=_bar_chart(report.by_model),
    )


def render(report: CostReport, format: str) -> str:
    if format == "csv":
        return render_csv(report)
    if format == "html":
        return render_html(report)
    return report.model_dump_json(indent=2)


def render_response(report: CostReport, format: str) -> Response:
    # CSV and HTML carry no freshness field: the header is their staleness marker.
    headers = {STALE_HEADER: stale_header(report.freshness)}
    if format != "json":
        headers["Content-Disposition"] = f'inline; filename="cost-report-{report.month}.{format}"'
    return Response(render(report, format), media_type=MEDIA_TYPES[format], headers=headers)
