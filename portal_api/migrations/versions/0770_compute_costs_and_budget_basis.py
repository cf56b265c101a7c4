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


# What the hourly and the daily compute rows both hold, before their own key and time.
COMPUTE = (
    "app str253, namespace str63, resource str10, quantity float, cost money?,"
    " model_spend bool, id int"
)

TABLES = ddl.tables(
    f"""
compute_cost_daily: {COMPUTE}, day utc
    unique: day app namespace resource
    index: app day
compute_cost_hourly: {COMPUTE}, hour utc, day utc, source str20
    unique: hour app namespace resource
    index: app hour
"""
)


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
