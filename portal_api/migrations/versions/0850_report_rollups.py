"""usage_monthly and cost_daily_total: the monthly report's requests and daily chart as rollups

Create Date: 2026-11-28 07:00:00

The report read a month of ``usage_daily`` (requests per app and model) and of ``cost_daily``
(priced cost per day) on every computed read: 155,000 rows each at 1,000 apps x 5 models.
``usage_monthly`` (requests per month, app and model: rebuilt with the daily usage rows) and
``cost_daily_total`` (priced cost per day: rebuilt with the monthly costs) hold the same sums.
The upgrade fills both from the rows already stored.
"""

from collections.abc import Sequence

from alembic import op

from portal_api.migrations import ddl

revision: str = "0850"
down_revision: str | Sequence[str] | None = "0840"

TABLES = ddl.tables(
    """
usage_monthly: id int, month utc, app str253, model str200, requests bigint
    unique: month app model
cost_daily_total: day utc, cost money
    key: day
"""
)

# The first day of a stored day's month, as each database stores a UTC time.
MONTH_OF_DAY = {
    "sqlite": "substr(day, 1, 8) || '01 00:00:00.000000'",
    "postgresql": "date_trunc('month', day AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
}


def upgrade() -> None:
    ddl.create_tables(TABLES)
    month = MONTH_OF_DAY[op.get_bind().dialect.name]
    op.execute(
        "INSERT INTO usage_monthly (month, app, model, requests) "
        f"SELECT {month}, app, model, SUM(requests) FROM usage_daily "
        f"GROUP BY {month}, app, model"
    )
    op.execute(
        "INSERT INTO cost_daily_total (day, cost) SELECT day, SUM(cost) FROM cost_daily "
        "WHERE cost IS NOT NULL GROUP BY day"
    )


def downgrade() -> None:
    ddl.drop_tables(TABLES)
