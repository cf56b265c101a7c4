"""join the wave-two branches (eval ingest key, readiness and timeline, compute costs) into one head

Create Date: 2026-11-27 19:35:00

Built side by side off 0600; from here on, migrations are linear again.
"""

from collections.abc import Sequence

revision: str = "0800"
down_revision: str | Sequence[str] | None = ("0720", "0760", "0770")


def upgrade() -> None:
    """A merge point only: no schema change either way."""


downgrade = upgrade
