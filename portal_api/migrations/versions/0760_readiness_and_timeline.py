"""readiness history, change events, workload snapshots

Create Date: 2026-11-27 17:31:28.937296
"""

from collections.abc import Sequence

import sqlalchemy as sa

from portal_api.migrations import ddl

revision: str = "0760"
down_revision: str | Sequence[str] | None = "0600"


TABLES = [
    ddl.Table(
        "change_event",
        lambda: [
            ddl.id_key(),
            ddl.string("fingerprint", 64),
            sa.Column("app_id", sa.Integer(), nullable=True),
            ddl.string("team", 63, nullable=True),
            sa.Column("kind", sa.String(length=30), nullable=False),
            ddl.utc("at"),
            ddl.string("summary", 500),
            sa.Column("data", sa.JSON(), nullable=False),
            ddl.references("app_id", "app"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("fingerprint"),
        ],
        indexes=[
            ddl.Index("ix_change_event_app_at", ["app_id", "at"]),
            ddl.Index("ix_change_event_at", ["at"]),
        ],
    ),
    ddl.app_table(
        "readiness_daily",
        lambda: [
            ddl.utc("day"),
            sa.Column("level", sa.String(length=31), nullable=True),
            sa.Column("score", sa.Integer(), nullable=False),
            sa.Column("passed", sa.Integer(), nullable=False),
            sa.Column("failed", sa.Integer(), nullable=False),
            sa.Column("unknown", sa.Integer(), nullable=False),
            sa.Column("statuses", sa.JSON(), nullable=False),
            ddl.utc("recorded"),
        ],
        unique=[("app_id", "day")],
        indexes=[
            ddl.Index("ix_readiness_daily_day", ["day"]),
        ],
    ),
    ddl.app_table(
        "workload_snapshot",
        lambda: [
            ddl.string("kind", 20),
            ddl.string("namespace", 63),
            ddl.string("name", 253),
            sa.Column("images", sa.JSON(), nullable=False),
            sa.Column("replicas", sa.Integer(), nullable=True),
            ddl.string("revision", 253, nullable=True),
            sa.Column("traffic", sa.JSON(), nullable=False),
            ddl.utc("seen"),
        ],
        unique=[("kind", "namespace", "name")],
    ),
]


def upgrade() -> None:
    ddl.create_tables(TABLES)


def downgrade() -> None:
    ddl.drop_tables(TABLES)
