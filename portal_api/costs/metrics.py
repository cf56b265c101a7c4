"""Budget and cost gauges on /metrics, read from the database at scrape time.

A handful of grouped queries per scrape (this month's spend per app, the budgets): cheap,
and Alertmanager can page on ``genai_portal_budget_utilisation_ratio > 1``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from portal_api.costs.budgets import budget_statuses
from portal_api.costs.spend import spend_by
from portal_api.db import Database, utcnow
from portal_api.kit.timeutil import parse_month


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
        app_cost = GaugeMetricFamily(
            "genai_portal_app_cost_month_to_date_usd",
            "Cost of each app's model usage this calendar month (UTC), in USD.",
            labels=["app"],
        )
        for app, amount in sorted(by_app.items()):
            app_cost.add_metric([app], float(amount))
        team_cost = GaugeMetricFamily(
            "genai_portal_team_cost_month_to_date_usd",
            "Cost of each team's model usage this calendar month (UTC), in USD.",
            labels=["team"],
        )
        for team, amount in sorted(by_team.items()):
            team_cost.add_metric([team], float(amount))
        labels = ["scope", "name"]
        budget = GaugeMetricFamily(
            "genai_portal_budget_usd", "Monthly budget, in USD.", labels=labels
        )
        spent = GaugeMetricFamily(
            "genai_portal_budget_spent_usd", "Spend this month against the budget.", labels=labels
        )
        util = GaugeMetricFamily(
            "genai_portal_budget_utilisation_ratio", "Spend / budget this month.", labels=labels
        )
        forecast = GaugeMetricFamily(
            "genai_portal_budget_forecast_utilisation_ratio",
            "Month-end forecast / budget.",
            labels=labels,
        )
        for b in budgets:
            key = [str(b.scope), b.name]
            budget.add_metric(key, float(b.amount))
            spent.add_metric(key, float(b.spent))
            util.add_metric(key, b.utilisation)
            forecast.add_metric(key, b.forecast_utilisation)
        yield from (app_cost, team_cost, budget, spent, util, forecast)
