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

TABLES = [
    ddl.Table(
        "budget",
        "scope str20, name str63, amount money, id int, created_at utc, updated_at utc",
        unique=[("scope", "name")],
    ),
    ddl.Table(
        "cost_daily",
        f"id int, day utc, {MODEL_TRAFFIC}, gpu_hours float, input_cost money?,"
        " cached_input_cost money?, output_cost money?, gpu_cost money?, cost money?,"
        " price_source str20",
        unique=[("day", "app", "namespace", "model")],
        indexes=["app,day", "day,app,model,cost"],
    ),
    ddl.Table(
        "usage_daily",
        f"{USAGE}, day utc",
        unique=[("day", "app", "namespace", "model")],
        indexes=["app,day"],
    ),
    ddl.Table(
        "usage_hourly",
        f"{USAGE}, hour utc, day utc",
        unique=[("hour", "app", "namespace", "model")],
        indexes=["app,hour"],
    ),
    ddl.Table(
        "cost_monthly",
        "id int, month utc, app str253, model str200, cost money",
        unique=[("month", "app", "model")],
    ),
    ddl.Table(
        "cost_anomaly",
        "id int, day utc, app str253, cost money, baseline money, ratio float",
        unique=[("day", "app")],
    ),
]

upgrade, downgrade = ddl.revision_of(TABLES)
