"""foundation: apps, workloads, source status

Create Date: 2026-11-26 20:06:38.396574
"""

from collections.abc import Sequence

import sqlalchemy as sa

from portal_api.migrations import ddl

revision: str = "0001"
down_revision: str | Sequence[str] | None = None


TABLES = [
    ddl.Table(
        "app",
        lambda: [
            ddl.string("name", 63),
            ddl.string("namespace", 63, nullable=True),
            ddl.string("title", 200, nullable=True),
            ddl.string("description", 2000, nullable=True),
            ddl.string("team", 63, nullable=True),
            sa.Column("lifecycle", sa.String(length=20), nullable=True),
            ddl.string("system", 63, nullable=True),
            ddl.string("cost_center", 100, nullable=True),
            ddl.id_key(),
            sa.Column("origin", sa.String(length=20), nullable=False),
            sa.Column("status", sa.String(length=20), nullable=False),
            sa.Column("links", sa.JSON(), nullable=False),
            ddl.utc("first_seen"),
            ddl.utc("last_seen"),
            ddl.utc("gone_since", nullable=True),
            sa.PrimaryKeyConstraint("id"),
        ],
        indexes=[
            ddl.Index("ix_app_name", ["name"], unique=True),
            ddl.Index("ix_app_status", ["status"]),
            ddl.Index("ix_app_team", ["team"]),
        ],
    ),
    ddl.Table(
        "sourcestatus",
        lambda: [
            ddl.string("step", 100),
            ddl.string("source", 50),
            ddl.utc("last_attempt", nullable=True),
            ddl.utc("last_success", nullable=True),
            ddl.string("last_error", 2000, nullable=True),
            ddl.utc("last_error_at", nullable=True),
            sa.Column("last_duration_seconds", sa.Float(), nullable=True),
            sa.Column("consecutive_failures", sa.Integer(), nullable=False),
            ddl.utc("watermark", nullable=True),
            sa.Column("stats", sa.JSON(), nullable=False),
            sa.PrimaryKeyConstraint("step"),
        ],
        indexes=[
            ddl.Index("ix_sourcestatus_source", ["source"]),
        ],
    ),
    ddl.app_table(
        "workload",
        lambda: [
            sa.Column("kind", sa.String(length=20), nullable=False),
            ddl.string("namespace", 63),
            ddl.string("name", 253),
            sa.Column("replicas", sa.Integer(), nullable=True),
            sa.Column("images", sa.JSON(), nullable=False),
            sa.Column("present", sa.Boolean(), nullable=False),
            ddl.utc("first_seen"),
            ddl.utc("last_seen"),
        ],
        unique=[("kind", "namespace", "name")],
    ),
]


def upgrade() -> None:
    ddl.create_tables(TABLES)


def downgrade() -> None:
    ddl.drop_tables(TABLES)
