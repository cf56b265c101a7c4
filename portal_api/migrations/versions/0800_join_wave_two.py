"""join the wave-two branches (eval ingest key, readiness and timeline, compute costs) into one head

Revision ID: 0800
Revises: 0720, 0760, 0770
Create Date: 2026-11-27 19:35:00

Built side by side off 0600; from here on, migrations are linear again.
"""

from collections.abc import Sequence

revision: str = "0800"
down_revision: str | Sequence[str] | None = ("0720", "0760", "0770")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
