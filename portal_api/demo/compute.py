"""Demo compute costs: what OpenCost would report for the demo apps' pods, hour by hour.

Pods scale with the app's traffic (more replicas at the daily peak); node prices drop by 12 %
30 days ago (a committed-use discount), so month over month shows it; the apps that run llama
on their own GPUs have their GPUs flagged as model spend (the costs demo prices them per
GPU-hour); two namespaces run pods without an app label (unallocated). Written straight into
the rollups, as the other demo seeders do.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from portal_api.costs.compute import compute_by_app, rebuild_compute_daily
from portal_api.costs.compute_models import ComputeCostHourly
from portal_api.costs.models import Budget, BudgetBasis, BudgetScope
from portal_api.costs.spend import spend_by
from portal_api.demo.costs import GPU_APPS
from portal_api.demo.org import DemoOrg
from portal_api.kit.timeutil import floor_day, month_start
from portal_api.usage.service import bulk_insert

HOUR = dt.timedelta(hours=1)
# OpenCost's default on-demand node prices (USD per vCPU-hour, GiB-hour, GPU-hour).
NODE_PRICES = {"cpu": Decimal("0.031611"), "memory": Decimal("0.004237"), "gpu": Decimal("2.95")}
DISCOUNT = Decimal("0.88")
DISCOUNT_DAYS_AGO = 30
# Per pod: vCPU and GiB requested (bigger for retrieval apps and GPU servers).
POD_SIZE = {"search-rag": (4.0, 16.0), "query-rewriter": (4.0, 24.0), "churn-insights": (4.0, 16.0)}
DEFAULT_POD = (2.0, 4.0)
# Pods without a backstage.io/kubernetes-id label, per namespace: (vCPU, GiB).
UNLABELLED = {"support": (0.5, 1.0), "search": (3.0, 12.0)}  # a cache; a vector DB
TOTAL_BUDGET_APP = "search-rag"


def _price(resource: str, hour: dt.datetime, discount_from: dt.datetime) -> Decimal:
    price = NODE_PRICES[resource]
    return (price * DISCOUNT).quantize(Decimal("0.000001")) if hour >= discount_from else price


def hourly_rows(org: DemoOrg) -> list[dict[str, Any]]:
    rng = random.Random(org.seed + 17)
    discount_from = floor_day(org.end) - dt.timedelta(days=DISCOUNT_DAYS_AGO)
    rows: list[dict[str, Any]] = []

    def add(hour: dt.datetime, app: str, ns: str, resource: str, qty: float, spent: bool) -> None:
        qty = round(qty, 6)
        rows.append(
            {
                "hour": hour,
                "day": floor_day(hour),
                "app": app,
                "namespace": ns,
                "resource": resource,
                "quantity": qty,
                "cost": Decimal(repr(qty)) * _price(resource, hour, discount_from),
                "model_spend": spent,
                "source": "opencost",
            }
        )

    for index, app in enumerate(a for a in org.apps if a.in_cluster):
        cpu, memory = POD_SIZE.get(app.name, DEFAULT_POD)
        hour = org.start + dt.timedelta(hours=7 * index)  # as the demo usage starts
        while hour < org.end:
            daily = 0.75 + 0.25 * math.sin((hour.hour - 8) / 24 * 2 * math.pi)
            pods = app.replicas * daily * rng.uniform(0.95, 1.05)
            add(hour, app.name, app.namespace, "cpu", pods * cpu, False)
            add(hour, app.name, app.namespace, "memory", pods * memory, False)
            gpus = GPU_APPS.get(app.name)
            if gpus:  # self-hosted llama: these GPUs are priced as model spend
                add(hour, app.name, app.namespace, "gpu", gpus, True)
            hour += HOUR
    hour = org.start
    while hour < org.end:
        for ns, (cpu, memory) in UNLABELLED.items():
            add(hour, "", ns, "cpu", cpu, False)
            add(hour, "", ns, "memory", memory, False)
        hour += HOUR
    return rows


def seed(session: Session, org: DemoOrg) -> None:
    if session.exec(select(ComputeCostHourly.id).limit(1)).first() is None:
        bulk_insert(session, ComputeCostHourly, hourly_rows(org))
        rebuild_compute_daily(session=session, start=org.start, end=org.end)
    exists = session.exec(
        select(Budget.id).where(Budget.scope == BudgetScope.APP, Budget.name == TOTAL_BUDGET_APP)
    ).first()
    if exists is None:
        # One budget on the total cost of ownership, so the demo shows both bases: sized
        # from last month's total, tight enough that the forecast warns.
        first = month_start(org.end)
        before = month_start(first - dt.timedelta(days=1))
        model, _ = spend_by(session, before, first)
        total = model.get(TOTAL_BUDGET_APP, Decimal(0)) + compute_by_app(
            session, before, first
        ).get(TOTAL_BUDGET_APP, Decimal(0))
        session.add(
            Budget(
                scope=BudgetScope.APP,
                name=TOTAL_BUDGET_APP,
                amount=max((total * Decimal("1.05")).quantize(Decimal(10)), Decimal(10)),
                basis=BudgetBasis.TOTAL,
            )
        )
    session.flush()
