"""join the domain branches (usage, prompts and evals, security) into one head

Create Date: 2026-11-26 22:05:00

Domains were built side by side as branches off 0001; from here on, migrations are linear.
"""

from collections.abc import Sequence

revision: str = "0600"
down_revision: str | Sequence[str] | None = ("0300", "0400", "0500")


def upgrade() -> None:
    """A merge point only: no schema change either way."""


downgrade = upgrade
