"""Every table of every domain, imported in one place for Alembic and create_all."""

from portal_api.apps.models import App, Workload
from portal_api.cache import TableVersion
from portal_api.costs.compute_models import ComputeCostDaily, ComputeCostHourly
from portal_api.costs.models import (
    Budget,
    CostAnomalyRow,
    CostDaily,
    CostDailyTotal,
    CostMonthly,
)
from portal_api.evals.models import EvalCase, EvalRun
from portal_api.prompts.models import PromptDeployment, PromptLabel, PromptLabelMove, PromptVersion
from portal_api.readiness.models import ReadinessDaily
from portal_api.security.models import Finding, FindingEvent, GuardrailRollup
from portal_api.stored import StoredAnswer
from portal_api.sync.models import SourceStatus
from portal_api.timeline.models import ChangeEvent, WorkloadSnapshot
from portal_api.usage.models import UsageDaily, UsageHourly, UsageMonthly

__all__ = [
    "App",
    "Budget",
    "ChangeEvent",
    "ComputeCostDaily",
    "ComputeCostHourly",
    "CostAnomalyRow",
    "CostDaily",
    "CostDailyTotal",
    "CostMonthly",
    "EvalCase",
    "EvalRun",
    "Finding",
    "FindingEvent",
    "GuardrailRollup",
    "PromptDeployment",
    "PromptLabel",
    "PromptLabelMove",
    "PromptVersion",
    "ReadinessDaily",
    "SourceStatus",
    "StoredAnswer",
    "TableVersion",
    "UsageDaily",
    "UsageHourly",
    "UsageMonthly",
    "Workload",
    "WorkloadSnapshot",
]
