"""portal_table_version: one data version per table (the response cache's key)

Create Date: 2026-11-28 03:40:00

A write to one table no longer drops the cached answers read from others. Replaces the single
row of ``portal_data_version``; the downgrade brings that row back at version 0 (a cache keyed
on it recomputes everything once).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0830"
down_revision: str | Sequence[str] | None = "0820"


def upgrade() -> None:
    op.create_table(
        "portal_table_version",
        sa.Column("name", sa.String(length=128), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )
    op.drop_table("portal_data_version")


def downgrade() -> None:
    op.create_table(
        "portal_data_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )
    op.execute("INSERT INTO portal_data_version (id, version) VALUES (1, 0)")
    op.drop_table("portal_table_version")
