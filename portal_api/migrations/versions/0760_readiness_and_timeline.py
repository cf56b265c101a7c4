"""readiness history, change events, workload snapshots

Create Date: 2026-11-27 17:31:28.937296
"""

from collections.abc import Sequence

from portal_api.migrations import ddl

revision: str = "0760"
down_revision: str | Sequence[str] | None = "0600"

TABLES = ddl.tables(
    """
change_event: id int, fingerprint str64, app_id int?, team str63?, kind str30, at utc
    summary str500, data json
    refs: app_id app
    unique: fingerprint
    index ix_change_event_app_at: app_id at
    index: at
readiness_daily [app]: day utc, level str31?, score int, passed int, failed int
    unknown int, statuses json, recorded utc
    unique: app_id day
    index: day
workload_snapshot [app]: kind str20, namespace str63, name str253, images json
    replicas int?, revision str253?, traffic json, seen utc
    unique: kind namespace name
"""
)

upgrade, downgrade = ddl.revision_of(TABLES)
