"""Demo costs and budgets: the demo usage priced (llama on GPUs, embeddings left unpriced to
show how unpriced usage looks), team and app budgets with one breach."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlmodel import Session, select

from portal_api.costs.models import Budget, BudgetScope, CostDaily
from portal_api.costs.pricing import price_days
from portal_api.costs.spend import spend_by
from portal_api.demo.org import DemoOrg
from portal_api.kit.timeutil import floor_day, parse_month
from portal_api.prices.book import PriceBook, PriceOverrides, SelfHosted

DAY = dt.timedelta(days=1)
GPU_HOUR = Decimal("2.40")
# Apps that run llama on their own GPUs, and how many GPUs their pods request.
GPU_APPS = {"query-rewriter": 2.0, "churn-insights": 1.0}
BREACHED_TEAM = "merchandising"


def demo_price_book() -> PriceBook:
    return PriceBook(
        PriceOverrides(
            discounts={"openai": Decimal(10)},
            self_hosted={"llama-3.1-8b-instruct": SelfHosted(gpu_hour=GPU_HOUR)},
        )
    )


def seed(session: Session, org: DemoOrg) -> None:
    if session.exec(select(CostDaily.id).limit(1)).first() is None:
        start, end = floor_day(org.start), floor_day(org.end) + DAY
        gpu: dict[tuple[dt.datetime, str], float] = {}
        day = start
        while day < end:
            hours = 24.0 if day + DAY <= org.end else (org.end - day).total_seconds() / 3600
            for app, gpus in GPU_APPS.items():
                gpu[(day, app)] = gpus * hours
            day += DAY
        price_days(session=session, book=demo_price_book(), start=start, end=end, gpu_hours=gpu)
    if session.exec(select(Budget.id).limit(1)).first() is not None:
        return
    first, after = parse_month(org.end.strftime("%Y-%m"))
    # Budgets sized from last month's spend: generous for most, too tight for one team.
    prev_first = (first - DAY).replace(day=1)
    by_app, by_team = spend_by(session, prev_first, first)
    if not by_team:
        by_app, by_team = spend_by(session, first, after)
    for team, spent in sorted(by_team.items()):
        factor = Decimal("0.5") if team == BREACHED_TEAM else Decimal("1.4")
        amount = max((spent * factor).quantize(Decimal(10)), Decimal(10))
        session.add(Budget(scope=BudgetScope.TEAM, name=team, amount=amount))
    for app in ("support-assistant", "code-review-bot"):
        amount = max(
            (by_app.get(app, Decimal(0)) * Decimal("1.2")).quantize(Decimal(10)), Decimal(10)
        )
        session.add(Budget(scope=BudgetScope.APP, name=app, amount=amount))
    session.flush()
