"""Budget and cost gauges on /metrics, read from the database at scrape time.

A handful of grouped queries per scrape (this month's spend per app, the budgets): cheap,
and Alertmanager can page on ``genai_portal_budget_utilisation_ratio > 1``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from portal_api.costs.budgets import budget_statuses
from portal_api.costs.models import BudgetStatus
from portal_api.costs.spend import spend_by
from portal_api.db import Database, utcnow
from portal_api.kit.timeutil import parse_month

# One gauge per budget figure, labelled by the budget's scope and name.
BUDGET_GAUGES: tuple[tuple[str, str, Callable[[BudgetStatus], float]], ...] = (
    ("genai_portal_budget_usd", "Monthly budget, in USD.", lambda b: float(b.amount)),
    (
        "genai_portal_budget_spent_usd",
        "Spend this month against the budget.",
        lambda b: float(b.spent),
    ),
    (
        "genai_portal_budget_utilisation_ratio",
        "Spend / budget this month.",
        lambda b: b.utilisation,
    ),
    (
        "genai_portal_budget_forecast_utilisation_ratio",
        "Month-end forecast / budget.",
        lambda b: b.forecast_utilisation,
    ),
)


class CostCollector(Collector):
    def __init__(self, db: Database, thresholds: Sequence[int]) -> None:
        self.db = db
        self.thresholds = thresholds

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = utcnow()
        month = now.strftime("%Y-%m")
        first, after = parse_month(month)
        with self.db.session() as session:
            by_app, by_team = spend_by(session, first, after)
            budgets = budget_statuses(
                session=session,
                month=month,
                now=now,
                thresholds=self.thresholds,
                spend=(by_app, by_team),
            )
        for metric, label, spend in (
            ("genai_portal_app_cost_month_to_date_usd", "app", by_app),
            ("genai_portal_team_cost_month_to_date_usd", "team", by_team),
        ):
            help_text = f"Cost of each {label}'s model usage this calendar month (UTC), in USD."
            gauge = GaugeMetricFamily(metric, help_text, labels=[label])
            for name, amount in sorted(spend.items()):
                gauge.add_metric([name], float(amount))
            yield gauge
        for name, help_text, value in BUDGET_GAUGES:
            gauge = GaugeMetricFamily(name, help_text, labels=["scope", "name"])
            for b in budgets:
                gauge.add_metric([str(b.scope), b.name], value(b))
            yield gauge
