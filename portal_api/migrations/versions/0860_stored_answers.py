"""portal_answer: the response cache's second level, stored answers shared by every worker

Create Date: 2026-11-28 20:40:00

The sync stores the dashboards' default reads of every app after each pass (``portal_api.stored``):
the first read of an app after a pass, in any worker or replica, is one primary-key lookup
instead of a computed read. Nothing else reads the table; the downgrade drops it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0860"
down_revision: str | Sequence[str] | None = "0850"


def upgrade() -> None:
    op.create_table(
        "portal_answer",
        sa.Column("key", sa.String(length=512), primary_key=True),
        sa.Column("context", sa.String(length=128), nullable=False),
        sa.Column("deps", sa.String(), nullable=False),
        sa.Column("expires", sa.Float(precision=53), nullable=False),
        sa.Column("etag", sa.String(length=64), nullable=False),
        sa.Column("headers", sa.String(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("portal_answer")
