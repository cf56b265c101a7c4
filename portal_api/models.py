"""Every table of every domain, imported in one place for Alembic and create_all."""

from portal_api.apps.models import App, Workload
from portal_api.evals.models import EvalCase, EvalRun
from portal_api.prompts.models import PromptDeployment, PromptLabel, PromptLabelMove, PromptVersion
from portal_api.sync.models import SourceStatus

__all__ = [
    "App",
    "EvalCase",
    "EvalRun",
    "PromptDeployment",
    "PromptLabel",
    "PromptLabelMove",
    "PromptVersion",
    "SourceStatus",
    "Workload",
]
