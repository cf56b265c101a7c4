"""Every table of every domain, imported in one place for Alembic and create_all."""

from portal_api.apps.models import App, Workload
from portal_api.security.models import Finding, FindingEvent, GuardrailRollup
from portal_api.sync.models import SourceStatus

__all__ = [
    "App",
    "Finding",
    "FindingEvent",
    "GuardrailRollup",
    "SourceStatus",
    "Workload",
]
