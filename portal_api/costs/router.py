"""Routes of costs: per app, org-wide, anomalies, budgets, and the monthly cost report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Literal, TypedDict

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlmodel import Session

from portal_api.costs import anomalies as cost_anomalies
from portal_api.costs import budgets, report, service
from portal_api.costs.models import (
    AnomalyList,
    AppCosts,
    BudgetCreate,
    BudgetList,
    BudgetStatus,
    BudgetUpdate,
    CostReport,
    OrgCosts,
)
from portal_api.db import MAX_ID, utcnow
from portal_api.deps import (
    STALE_HEADER_DOC,
    AdminCaller,
    ReadCaller,
    SessionDep,
    SettingsDep,
)
from portal_api.params import (
    AppName,
    From,
    PrometheusReadDep,
    To,
    create_route,
    created_or_replayed,
    window,
)
from portal_api.sync.deps import PrometheusFreshness
from portal_api.usage.deps import SeriesReaderDep

router = APIRouter(tags=["costs"])

Month = Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="Month, YYYY-MM")]
BudgetId = Annotated[int, Path(ge=1, le=MAX_ID)]


class BudgetClock(TypedDict):
    """What every budget status is computed against: the transaction, the time and the alert
    thresholds."""

    session: Session
    now: dt.datetime
    thresholds: Sequence[int]


def budget_clock(session: SessionDep, settings: SettingsDep) -> BudgetClock:
    return BudgetClock(session=session, now=utcnow(), thresholds=settings.budget_thresholds)


BudgetClockDep = Annotated[BudgetClock, Depends(budget_clock)]


@router.get("/apps/{app}/costs", response_model=AppCosts)
async def app_costs(
    read: SeriesReaderDep,
    app: AppName,
    start: From = None,
    end: To = None,
    step: Literal["day", "week", "month"] = "day",
) -> Response:
    """An app's costs (USD) per model and bucket; unpriced usage is listed, never costed at 0."""
    asked = window(start, end)
    return await read(lambda r: service.app_costs(**r, **asked, app=app, step=step))


@router.get("/costs", response_model=OrgCosts)
def org_costs(
    read: PrometheusReadDep,
    start: From = None,
    end: To = None,
    group_by: Literal["team", "app", "model"] = "team",
) -> OrgCosts:
    """Org-wide costs by team, app or model, with the previous period and the change."""
    return service.org_costs(**read, **window(start, end), group_by=group_by)


@router.get("/costs/anomalies", response_model=AnomalyList)
def anomalies(
    session: SessionDep,
    fresh: PrometheusFreshness,
    _: ReadCaller,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
    baseline_days: Annotated[int, Query(ge=3, le=90)] = 14,
) -> AnomalyList:
    """Days on which an app's cost jumped far above its trailing baseline."""
    return cost_anomalies.list_anomalies(
        session=session, days=days, baseline_days=baseline_days, now=utcnow(), freshness=fresh
    )


@router.get(
    "/reports/costs",
    response_model=CostReport,
    responses={
        200: {
            "content": {"text/csv": {}, "text/html": {}},
            "headers": {"X-Portal-Stale": STALE_HEADER_DOC},
        }
    },
)
def cost_report(
    clock: BudgetClockDep,
    fresh: PrometheusFreshness,
    _: ReadCaller,
    month: Month,
    format: Literal["json", "csv", "html"] = "json",
) -> Response:
    """The monthly cost report: by team, app and model, month over month, budgets, unpriced."""
    return report.render_response(report.cost_report(**clock, month=month, freshness=fresh), format)


@router.get("/budgets", response_model=BudgetList)
def list_budgets(
    clock: BudgetClockDep,
    fresh: PrometheusFreshness,
    _: ReadCaller,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
) -> BudgetList:
    """Monthly budgets with spend so far, month-end forecast and alert states."""
    return budgets.list_budgets(**clock, month=month, freshness=fresh)


@create_route(
    router,
    "/budgets",
    BudgetStatus,
    "this budget was set already",
    "That team or app has another budget already",
)
def create_budget(
    response: Response, clock: BudgetClockDep, _: AdminCaller, data: BudgetCreate
) -> BudgetStatus:
    """Set a monthly budget (USD) for a team or an app (the same budget again: 200)."""
    status, created = budgets.create_budget(**clock, data=data)
    created_or_replayed(response, created)
    return status


@router.put("/budgets/{budget_id}", response_model=BudgetStatus)
def update_budget(
    clock: BudgetClockDep, _: AdminCaller, budget_id: BudgetId, data: BudgetUpdate
) -> BudgetStatus:
    """Change a budget's monthly amount."""
    return budgets.update_budget(**clock, budget_id=budget_id, data=data)


@router.delete("/budgets/{budget_id}", status_code=204)
def delete_budget(session: SessionDep, _: AdminCaller, budget_id: BudgetId) -> Response:
    """Remove a budget."""
    budgets.delete_budget(session=session, budget_id=budget_id, now=utcnow())
    return Response(status_code=204)
