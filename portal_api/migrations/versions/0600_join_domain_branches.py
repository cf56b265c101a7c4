"""join the domain branches (usage, prompts and evals, security) into one head

Revision ID: 0600
Revises: 0300, 0400, 0500
Create Date: 2026-11-26 22:05:00

Domains were built side by side as branches off 0001; from here on, migrations are linear.
"""

from collections.abc import Sequence

revision: str = "0600"
down_revision: str | Sequence[str] | None = ("0300", "0400", "0500")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
