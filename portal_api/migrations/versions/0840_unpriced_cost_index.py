"""cost_daily: a partial index of the unpriced rows (the reports' unpriced usage reads them
alone, not a month of priced rows)

Create Date: 2026-11-28 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0840"
down_revision: str | Sequence[str] | None = "0830"

UNPRICED = sa.text("cost IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_cost_daily_unpriced_day",
        "cost_daily",
        ["day", "app", "model"],
        sqlite_where=UNPRICED,
        postgresql_where=UNPRICED,
    )


def downgrade() -> None:
    op.drop_index("ix_cost_daily_unpriced_day", table_name="cost_daily")
