"""security findings, history, guardrail rollups

Create Date: 2026-11-26 20:41:41.917092
"""

from collections.abc import Sequence

from portal_api.migrations import ddl

revision: str = "0500"
down_revision: str | Sequence[str] | None = "0001"

TABLES = ddl.tables(
    """
finding: id int, fingerprint str64, app_id int, source str20, check_id str200
    severity str20, title str500, detail str4000, remediation str2000, resource str500
    owasp str10?, data json, status str20, first_seen utc, last_seen utc, resolved_at utc?
    suppressed_until utc?, suppression_reason str1000?, suppressed_by str100?
    refs: app_id app
    unique: fingerprint
    index: app_id
    index: severity
    index: source
    index: status
guardrailrollup [app]: rule str100, direction str20, action str20, hour utc, events float
    unique: app_id rule direction action hour
    index: hour
findingevent: id int, finding_id int, at utc, kind str30, actor str100?, note str1000?
    refs: finding_id finding
    index: finding_id
"""
)

upgrade, downgrade = ddl.revision_of(TABLES)
