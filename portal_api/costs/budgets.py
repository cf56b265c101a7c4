"""Budgets per team or app: setting, changing and removing them (each change goes on the
timeline), and their status this month against spend and the month-end forecast."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.costs import compute
from portal_api.costs.models import (
    Budget,
    BudgetAlert,
    BudgetBasis,
    BudgetCreate,
    BudgetList,
    BudgetScope,
    BudgetStatus,
    BudgetUpdate,
)
from portal_api.costs.service import UNASSIGNED, ZERO, teams_by_app
from portal_api.costs.spend import spend_by
from portal_api.errors import ConflictError, or_not_found
from portal_api.kit.ingest import insert_once
from portal_api.kit.timeutil import month_name, parse_month
from portal_api.sync.models import Freshness
from portal_api.timeline.detect import DetectedChange
from portal_api.timeline.models import ChangeKind
from portal_api.timeline.service import record


def list_budget_rows(*, session: Session) -> Sequence[Budget]:
    return session.exec(select(Budget).order_by(col(Budget.scope), col(Budget.name))).all()


def create_budget(
    *, session: Session, data: BudgetCreate, now: dt.datetime, thresholds: Sequence[int]
) -> tuple[BudgetStatus, bool]:
    """Set a budget; returns its status this month, and whether it was created now (the
    same budget posted again is a replay).

    Raises:
        ConflictError: that team or app has another budget already.
    """

    def find() -> Budget | None:
        existing = session.exec(
            select(Budget).where(Budget.scope == data.scope, Budget.name == data.name)
        ).first()
        if existing is not None and existing.amount != data.amount:
            raise ConflictError(
                f"the {data.scope} {data.name!r} has a budget already (change it with PUT)"
            )
        return existing

    def insert() -> Budget:
        budget = Budget.model_validate(data, update={"created_at": now, "updated_at": now})
        session.add(budget)
        session.flush()
        return budget

    budget, created = insert_once(session, find=find, insert=insert)
    if created:
        record_budget_change(session=session, budget=budget, action="set", previous=None, now=now)
    assert budget.id is not None
    status = budget_status(session=session, budget_id=budget.id, now=now, thresholds=thresholds)
    return status, created


def budget_status(
    *, session: Session, budget_id: int, now: dt.datetime, thresholds: Sequence[int]
) -> BudgetStatus:
    statuses = budget_statuses(
        session=session, month=month_name(now), now=now, thresholds=thresholds
    )
    found = next((s for s in statuses if s.id == budget_id), None)
    return or_not_found(found, f"no budget {budget_id}")


def get_budget(*, session: Session, budget_id: int) -> Budget:
    return or_not_found(session.get(Budget, budget_id), f"no budget {budget_id}")


def update_budget(
    *,
    session: Session,
    budget_id: int,
    data: BudgetUpdate,
    now: dt.datetime,
    thresholds: Sequence[int],
) -> BudgetStatus:
    """Change a budget's amount.

    Raises:
        NotFoundError: no such budget.
    """
    budget = get_budget(session=session, budget_id=budget_id)
    previous = budget.amount
    budget.amount = data.amount
    if data.basis is not None:
        budget.basis = data.basis
    budget.updated_at = now
    session.add(budget)
    session.flush()
    if previous != budget.amount:
        record_budget_change(
            session=session, budget=budget, action="changed", previous=previous, now=now
        )
    return budget_status(session=session, budget_id=budget_id, now=now, thresholds=thresholds)


def delete_budget(*, session: Session, budget_id: int, now: dt.datetime) -> None:
    budget = get_budget(session=session, budget_id=budget_id)
    record_budget_change(session=session, budget=budget, action="removed", previous=None, now=now)
    session.delete(budget)
    session.flush()


def budget_statuses(
    *,
    session: Session,
    month: str,
    now: dt.datetime,
    thresholds: Sequence[int],
    spend: tuple[dict[str, Decimal], dict[str, Decimal]] | None = None,
    compute_spend: tuple[dict[str, Decimal], dict[str, Decimal]] | None = None,
) -> list[BudgetStatus]:
    """Every budget against the month's spend so far and its month-end forecast.

    The forecast extrapolates the month's spend linearly over the days elapsed (the whole
    month once it is over).

    Args:
        spend: the month's (per-app, per-team) model spend when the caller has it already.
        compute_spend: the same for compute (budgets on the total basis add it).
    """
    first, after = parse_month(month)
    by_app, by_team = spend if spend is not None else spend_by(session, first, after)
    budgets = list_budget_rows(session=session)
    if compute_spend is None and any(b.basis == BudgetBasis.TOTAL for b in budgets):
        compute_spend = compute.compute_by(session, first, after, teams_by_app(session), UNASSIGNED)
    compute_app, compute_team = compute_spend or ({}, {})
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    if now >= after:
        elapsed = float(days_in_month)
    else:
        elapsed = max((now - first).total_seconds() / 86400, 1.0)
    statuses = []
    for b in budgets:
        spent = (by_team if b.scope == BudgetScope.TEAM else by_app).get(b.name, ZERO)
        if b.basis == BudgetBasis.TOTAL:
            spent += (compute_team if b.scope == BudgetScope.TEAM else compute_app).get(
                b.name, ZERO
            )
        if elapsed >= days_in_month:
            forecast = spent
        else:
            forecast = (spent * Decimal(days_in_month) / Decimal(repr(elapsed))).quantize(
                Decimal("0.01")
            )
        util = float(spent / b.amount)
        forecast_util = float(forecast / b.amount)
        alerts = [
            BudgetAlert(threshold=t, basis=basis, firing=value * 100 >= t)
            for t in sorted(thresholds)
            for basis, value in (("actual", util), ("forecast", forecast_util))
        ]
        state: Literal["ok", "warning", "exceeded"] = "ok"
        if util >= 1:
            state = "exceeded"
        elif any(a.firing for a in alerts):
            state = "warning"
        assert b.id is not None
        statuses.append(
            BudgetStatus(
                id=b.id,
                scope=b.scope,
                name=b.name,
                basis=b.basis,
                month=month,
                amount=b.amount,
                spent=spent,
                forecast=forecast,
                utilisation=round(util, 4),
                forecast_utilisation=round(forecast_util, 4),
                state=state,
                alerts=alerts,
            )
        )
    return statuses


def list_budgets(
    *,
    session: Session,
    month: str | None,
    now: dt.datetime,
    thresholds: Sequence[int],
    freshness: Freshness,
) -> BudgetList:
    month = month or month_name(now)
    items = budget_statuses(session=session, month=month, now=now, thresholds=thresholds)
    return BudgetList(month=month, items=items, freshness=freshness)


def record_budget_change(
    *,
    session: Session,
    budget: Budget,
    action: str,
    previous: Decimal | None,
    now: dt.datetime,
    actor: str | None = None,
) -> None:
    """A budget set, changed or removed through the API (team budgets concern every app of
    the team)."""
    app_id = None
    team = None
    if budget.scope == BudgetScope.APP:
        app = session.exec(select(App).where(App.name == budget.name)).first()
        app_id = app.id if app is not None else None
    else:
        team = budget.name
    amount = f"${budget.amount:,.2f}"
    if action == "changed" and previous is not None:
        text = f"{budget.scope} budget {budget.name}: ${previous:,.2f} → {amount} a month"
    else:
        text = f"{budget.scope} budget {budget.name} {action}: {amount} a month"
    change = DetectedChange(
        ChangeKind.BUDGET,
        now,
        text,
        f"budget/{budget.scope}/{budget.name}/{action}",
        {
            "scope": str(budget.scope),
            "name": budget.name,
            "action": action,
            "amount": str(budget.amount),
            "previous": None if previous is None else str(previous),
            "actor": actor,
        },
    )
    record(session=session, change=change, app_id=app_id, team=team)
    session.flush()
