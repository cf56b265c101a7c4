"""usage and costs: rollups, costs, budgets

Create Date: 2026-11-26 20:48:54.632926
"""

from collections.abc import Sequence

import sqlalchemy as sa

from portal_api.migrations import ddl

revision: str = "0300"
down_revision: str | Sequence[str] | None = "0001"


def _model_traffic() -> list[sa.Column[object]]:
    """Whose traffic to which model, and its tokens by type: in the usage and the cost rows."""
    return [
        ddl.string("app", 253),
        ddl.string("namespace", 63),
        ddl.string("model", 200),
        ddl.string("provider", 100, nullable=True),
        sa.Column("input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("output_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cached_input_tokens", sa.BigInteger(), nullable=False),
    ]


def _usage_columns() -> list[sa.Column[object]]:
    """What the hourly and the daily usage rows both hold, before their own time."""
    return [
        *_model_traffic(),
        sa.Column("requests", sa.BigInteger(), nullable=False),
        sa.Column("errors", sa.BigInteger(), nullable=False),
        sa.Column("latency_p50", sa.Float(), nullable=True),
        sa.Column("latency_p95", sa.Float(), nullable=True),
        sa.Column("ttft_p50", sa.Float(), nullable=True),
        sa.Column("ttft_p95", sa.Float(), nullable=True),
        ddl.id_key(),
    ]


TABLES = [
    ddl.Table(
        "budget",
        lambda: [
            sa.Column("scope", sa.String(length=20), nullable=False),
            ddl.string("name", 63),
            ddl.money("amount"),
            ddl.id_key(),
            ddl.utc("created_at"),
            ddl.utc("updated_at"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("scope", "name"),
        ],
    ),
    ddl.Table(
        "cost_daily",
        lambda: [
            ddl.id_key(),
            ddl.utc("day"),
            *_model_traffic(),
            sa.Column("gpu_hours", sa.Float(), nullable=False),
            ddl.money("input_cost", nullable=True),
            ddl.money("cached_input_cost", nullable=True),
            ddl.money("output_cost", nullable=True),
            ddl.money("gpu_cost", nullable=True),
            ddl.money("cost", nullable=True),
            sa.Column("price_source", sa.String(length=20), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("day", "app", "namespace", "model"),
        ],
        indexes=[
            ddl.Index("ix_cost_daily_app_day", ["app", "day"]),
            ddl.Index("ix_cost_daily_day_app_model_cost", ["day", "app", "model", "cost"]),
        ],
    ),
    ddl.Table(
        "usage_daily",
        lambda: [
            *_usage_columns(),
            ddl.utc("day"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("day", "app", "namespace", "model"),
        ],
        indexes=[
            ddl.Index("ix_usage_daily_app_day", ["app", "day"]),
        ],
    ),
    ddl.Table(
        "usage_hourly",
        lambda: [
            *_usage_columns(),
            ddl.utc("hour"),
            ddl.utc("day"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("hour", "app", "namespace", "model"),
        ],
        indexes=[
            ddl.Index("ix_usage_hourly_app_hour", ["app", "hour"]),
        ],
    ),
    ddl.Table(
        "cost_monthly",
        lambda: [
            ddl.id_key(),
            ddl.utc("month"),
            ddl.string("app", 253),
            ddl.string("model", 200),
            ddl.money("cost"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("month", "app", "model"),
        ],
    ),
    ddl.Table(
        "cost_anomaly",
        lambda: [
            ddl.id_key(),
            ddl.utc("day"),
            ddl.string("app", 253),
            ddl.money("cost"),
            ddl.money("baseline"),
            sa.Column("ratio", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("day", "app"),
        ],
    ),
]


def upgrade() -> None:
    ddl.create_tables(TABLES)


def downgrade() -> None:
    ddl.drop_tables(TABLES)
