"""portal_data_version: the row every write bumps, the response cache's key; an index that
covers requests per app or model over a period (usage_daily)

Revision ID: 0820
Revises: 0810
Create Date: 2026-11-28 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0820"
down_revision: str | Sequence[str] | None = "0810"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "portal_data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])
    op.create_index(
        "ix_usage_daily_day_app_model_requests",
        "usage_daily",
        ["day", "app", "model", "requests"],
    )


def downgrade() -> None:
    op.drop_index("ix_usage_daily_day_app_model_requests", table_name="usage_daily")
    op.drop_table("portal_data_version")
