"""Every table of every domain, imported in one place for Alembic and create_all."""

from portal_api.apps.models import App, Workload
from portal_api.costs.models import Budget, CostAnomalyRow, CostDaily, CostMonthly
from portal_api.sync.models import SourceStatus
from portal_api.usage.models import UsageDaily, UsageHourly

__all__ = [
    "App",
    "Budget",
    "CostAnomalyRow",
    "CostDaily",
    "CostMonthly",
    "SourceStatus",
    "UsageDaily",
    "UsageHourly",
    "Workload",
]
