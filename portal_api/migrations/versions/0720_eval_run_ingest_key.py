"""eval runs: an ingest key (caller's id or content hash) unique per app, for replays;
eval cases: a blocked flag

Create Date: 2026-11-27 17:40:00

A retried CI post of the same evaluation run must find the run it stored instead of storing
another. Existing runs keep a null key (nulls never collide in a unique constraint on
PostgreSQL or SQLite); runs with an external id get ``id:<external_id>`` where it is unique.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0720"
down_revision: str | Sequence[str] | None = "0600"


def upgrade() -> None:
    with op.batch_alter_table("eval_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ingest_key", sqlmodel.sql.sqltypes.AutoString(length=210), nullable=True)
        )
        batch_op.add_column(
            sa.Column("ingest_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    # Earlier replays stored duplicates: key only the first run of each (app, external id).
    op.execute(
        """
        UPDATE eval_run SET ingest_key = 'id:' || external_id
        WHERE external_id IS NOT NULL AND id IN (
            SELECT MIN(id) FROM eval_run WHERE external_id IS NOT NULL
            GROUP BY app_id, external_id
        )
        """
    )
    with op.batch_alter_table("eval_run", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_eval_run_app_id_ingest_key", ["app_id", "ingest_key"])
    with op.batch_alter_table("eval_case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("blocked", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("eval_case", schema=None) as batch_op:
        batch_op.drop_column("blocked")
    with op.batch_alter_table("eval_run", schema=None) as batch_op:
        batch_op.drop_constraint("uq_eval_run_app_id_ingest_key", type_="unique")
        batch_op.drop_column("ingest_digest")
        batch_op.drop_column("ingest_key")
