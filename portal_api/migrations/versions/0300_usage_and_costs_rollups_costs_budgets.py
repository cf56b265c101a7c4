"""usage and costs: rollups, costs, budgets

Create Date: 2026-11-26 20:48:54.632926
"""

from collections.abc import Sequence

from portal_api.migrations import ddl

revision: str = "0300"
down_revision: str | Sequence[str] | None = "0001"

# Whose traffic to which model, and its tokens by type: in the usage and the cost rows.
MODEL_TRAFFIC = (
    "app str253, namespace str63, model str200, provider str100?, input_tokens bigint,"
    " output_tokens bigint, cached_input_tokens bigint"
)
# What the hourly and the daily usage rows both hold, before their own time.
USAGE = (
    f"{MODEL_TRAFFIC}, requests bigint, errors bigint, latency_p50 float?, latency_p95 float?,"
    " ttft_p50 float?, ttft_p95 float?, id int"
)

TABLES = ddl.tables(
    f"""
budget: scope str20, name str63, amount money, id int, created_at utc, updated_at utc
    unique: scope name
cost_daily: id int, day utc, {MODEL_TRAFFIC}, gpu_hours float, input_cost money?
    cached_input_cost money?, output_cost money?, gpu_cost money?, cost money?
    price_source str20
    unique: day app namespace model
    index: app day
    index: day app model cost
usage_daily: {USAGE}, day utc
    unique: day app namespace model
    index: app day
usage_hourly: {USAGE}, hour utc, day utc
    unique: hour app namespace model
    index: app hour
cost_monthly: id int, month utc, app str253, model str200, cost money
    unique: month app model
cost_anomaly: id int, day utc, app str253, cost money, baseline money, ratio float
    unique: day app
"""
)

upgrade, downgrade = ddl.revision_of(TABLES)
