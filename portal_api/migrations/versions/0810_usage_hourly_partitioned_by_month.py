"""usage_hourly partitioned by month on PostgreSQL (old months drop in O(1))

Create Date: 2026-11-27 21:00:00

PostgreSQL only: the table becomes ``PARTITION BY RANGE (hour)`` with one partition per month
(schema ``portal_partitions``, out of the application's table list) and a default partition
for rows written before their month's partition exists. The rows are copied over; the id
sequence is kept. SQLite keeps its plain table (retention deletes rows there).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from portal_api.db import PARTITION_SCHEMA, ensure_month_partitions

revision: str = "0810"
down_revision: str | Sequence[str] | None = "0800"

COLUMNS = (
    "id, hour, day, app, namespace, model, provider, input_tokens, output_tokens,"
    " cached_input_tokens, requests, errors, latency_p50, latency_p95, ttft_p50, ttft_p95"
)
TABLE = """
CREATE TABLE usage_hourly (
    app VARCHAR(253) NOT NULL,
    namespace VARCHAR(63) NOT NULL,
    model VARCHAR(200) NOT NULL,
    provider VARCHAR(100),
    input_tokens BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    cached_input_tokens BIGINT NOT NULL,
    requests BIGINT NOT NULL,
    errors BIGINT NOT NULL,
    latency_p50 FLOAT,
    latency_p95 FLOAT,
    ttft_p50 FLOAT,
    ttft_p95 FLOAT,
    id INTEGER NOT NULL DEFAULT nextval('usage_hourly_id_seq'::regclass),
    hour TIMESTAMP WITH TIME ZONE NOT NULL,
    day TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT usage_hourly_pkey PRIMARY KEY ({key}),
    CONSTRAINT usage_hourly_hour_app_namespace_model_key UNIQUE (hour, app, namespace, model)
){partitioning}
"""


def _set_aside() -> None:
    """Rename the current table, its constraints and index out of the way, keep its ids."""
    op.execute("ALTER TABLE usage_hourly RENAME TO usage_hourly_previous")
    op.execute("ALTER TABLE usage_hourly_previous RENAME CONSTRAINT usage_hourly_pkey TO uhp_pkey")
    op.execute(
        "ALTER TABLE usage_hourly_previous RENAME CONSTRAINT "
        "usage_hourly_hour_app_namespace_model_key TO uhp_key"
    )
    op.execute("ALTER INDEX ix_usage_hourly_app_hour RENAME TO uhp_app_hour")
    op.execute("ALTER SEQUENCE usage_hourly_id_seq OWNED BY NONE")


def _take_over() -> None:
    op.execute("ALTER SEQUENCE usage_hourly_id_seq OWNED BY usage_hourly.id")
    op.execute("CREATE INDEX ix_usage_hourly_app_hour ON usage_hourly (app, hour)")
    op.execute(f"INSERT INTO usage_hourly ({COLUMNS}) SELECT {COLUMNS} FROM usage_hourly_previous")
    op.execute("DROP TABLE usage_hourly_previous")


def _recreate(*, key: str, partitioning: str) -> sa.Connection | None:
    """On PostgreSQL: set the current table aside and create the table anew (the connection);
    elsewhere: nothing (None)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return None
    _set_aside()
    op.execute(TABLE.format(key=key, partitioning=partitioning))
    return bind


def upgrade() -> None:
    bind = _recreate(key="id, hour", partitioning=" PARTITION BY RANGE (hour)")
    if bind is None:
        return
    op.execute(f"CREATE SCHEMA IF NOT EXISTS {PARTITION_SCHEMA}")
    op.execute(
        f"CREATE TABLE {PARTITION_SCHEMA}.usage_hourly_default PARTITION OF usage_hourly DEFAULT"
    )
    first, last = bind.execute(
        sa.text("SELECT min(hour), max(hour) FROM usage_hourly_previous")
    ).one()
    if first is not None:
        ensure_month_partitions(bind, "usage_hourly", first, last)
    _take_over()


def downgrade() -> None:
    if _recreate(key="id", partitioning="") is None:
        return
    _take_over()
    op.execute(f"DROP SCHEMA IF EXISTS {PARTITION_SCHEMA} CASCADE")
