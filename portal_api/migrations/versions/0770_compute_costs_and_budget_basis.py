"""compute costs hourly and daily, budget basis

Create Date: 2026-11-27 17:28:27

Compute (pods' CPU, memory, GPU) costs per app x namespace x resource x hour and day;
budgets get a basis (model spend, the default for existing rows, or total).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from portal_api.migrations import ddl

revision: str = "0770"
down_revision: str | Sequence[str] | None = "0600"


def _compute_columns() -> list[sa.Column[object]]:
    """What the hourly and the daily compute rows both hold, before their own key and time."""
    return [
        ddl.string("app", 253),
        ddl.string("namespace", 63),
        sa.Column("resource", sa.String(length=10), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        ddl.money("cost", nullable=True),
        sa.Column("model_spend", sa.Boolean(), nullable=False),
        ddl.id_key(),
    ]


TABLES = [
    ddl.Table(
        "compute_cost_daily",
        lambda: [
            *_compute_columns(),
            ddl.utc("day"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("day", "app", "namespace", "resource"),
        ],
        indexes=[ddl.Index("ix_compute_cost_daily_app_day", ["app", "day"])],
    ),
    ddl.Table(
        "compute_cost_hourly",
        lambda: [
            *_compute_columns(),
            ddl.utc("hour"),
            ddl.utc("day"),
            sa.Column("source", sa.String(length=20), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("hour", "app", "namespace", "resource"),
        ],
        indexes=[ddl.Index("ix_compute_cost_hourly_app_hour", ["app", "hour"])],
    ),
]


def upgrade() -> None:
    ddl.create_tables(TABLES)
    with op.batch_alter_table("budget", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("basis", sa.String(length=10), server_default="model", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("budget", schema=None) as batch_op:
        batch_op.drop_column("basis")
    ddl.drop_tables(TABLES)
