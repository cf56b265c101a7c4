"""foundation: apps, workloads, source status

Create Date: 2026-11-26 20:06:38.396574
"""

from collections.abc import Sequence

from portal_api.migrations import ddl

revision: str = "0001"
down_revision: str | Sequence[str] | None = None

TABLES = ddl.tables(
    """
app: name str63, namespace str63?, title str200?, description str2000?, team str63?
    lifecycle str20?, system str63?, cost_center str100?, id int, origin str20, status str20
    links json, first_seen utc, last_seen utc, gone_since utc?
    index: name !
    index: status
    index: team
sourcestatus: step str100, source str50, last_attempt utc?, last_success utc?
    last_error str2000?, last_error_at utc?, last_duration_seconds float?
    consecutive_failures int, watermark utc?, stats json
    key: step
    index: source
workload [app]: kind str20, namespace str63, name str253, replicas int?, images json
    present bool, first_seen utc, last_seen utc
    unique: kind namespace name
"""
)

upgrade, downgrade = ddl.revision_of(TABLES)
