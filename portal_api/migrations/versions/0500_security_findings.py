"""security findings, history, guardrail rollups

Create Date: 2026-11-26 20:41:41.917092
"""

from collections.abc import Sequence

import sqlalchemy as sa

from portal_api.migrations import ddl

revision: str = "0500"
down_revision: str | Sequence[str] | None = "0001"


TABLES = [
    ddl.Table(
        "finding",
        lambda: [
            ddl.id_key(),
            ddl.string("fingerprint", 64),
            sa.Column("app_id", sa.Integer(), nullable=False),
            sa.Column("source", sa.String(length=20), nullable=False),
            ddl.string("check_id", 200),
            sa.Column("severity", sa.String(length=20), nullable=False),
            ddl.string("title", 500),
            ddl.string("detail", 4000),
            ddl.string("remediation", 2000),
            ddl.string("resource", 500),
            sa.Column("owasp", sa.String(length=10), nullable=True),
            sa.Column("data", sa.JSON(), nullable=False),
            sa.Column("status", sa.String(length=20), nullable=False),
            ddl.utc("first_seen"),
            ddl.utc("last_seen"),
            ddl.utc("resolved_at", nullable=True),
            ddl.utc("suppressed_until", nullable=True),
            ddl.string("suppression_reason", 1000, nullable=True),
            ddl.string("suppressed_by", 100, nullable=True),
            ddl.references("app_id", "app"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("fingerprint"),
        ],
        indexes=[
            ddl.Index("ix_finding_app_id", ["app_id"]),
            ddl.Index("ix_finding_severity", ["severity"]),
            ddl.Index("ix_finding_source", ["source"]),
            ddl.Index("ix_finding_status", ["status"]),
        ],
    ),
    ddl.app_table(
        "guardrailrollup",
        lambda: [
            ddl.string("rule", 100),
            ddl.string("direction", 20),
            ddl.string("action", 20),
            ddl.utc("hour"),
            sa.Column("events", sa.Float(), nullable=False),
        ],
        unique=[("app_id", "rule", "direction", "action", "hour")],
        indexes=[
            ddl.Index("ix_guardrailrollup_hour", ["hour"]),
        ],
    ),
    ddl.Table(
        "findingevent",
        lambda: [
            ddl.id_key(),
            sa.Column("finding_id", sa.Integer(), nullable=False),
            ddl.utc("at"),
            sa.Column("kind", sa.String(length=30), nullable=False),
            ddl.string("actor", 100, nullable=True),
            ddl.string("note", 1000, nullable=True),
            ddl.references("finding_id", "finding"),
            sa.PrimaryKeyConstraint("id"),
        ],
        indexes=[
            ddl.Index("ix_findingevent_finding_id", ["finding_id"]),
        ],
    ),
]


def upgrade() -> None:
    ddl.create_tables(TABLES)


def downgrade() -> None:
    ddl.drop_tables(TABLES)
