"""prompts and evals

Create Date: 2026-11-26 20:48:47.582357
"""

from collections.abc import Sequence

import sqlalchemy as sa

from portal_api.migrations import ddl

revision: str = "0400"
down_revision: str | Sequence[str] | None = "0001"


TABLES = [
    ddl.app_table(
        "prompt_version",
        lambda: [
            ddl.string("name", 63),
            sa.Column("number", sa.Integer(), nullable=False),
            ddl.string("content_hash", 64),
            sa.Column("template", sa.Text(), nullable=False),
            sa.Column("variables", sa.JSON(), nullable=False),
            ddl.string("model", 200, nullable=True),
            sa.Column("parameters", sa.JSON(), nullable=False),
            sa.Column("source", sa.String(length=20), nullable=False),
            ddl.string("source_ref", 500, nullable=True),
            ddl.string("author", 200, nullable=True),
            ddl.utc("created"),
        ],
        unique=[("app_id", "name", "content_hash"), ("app_id", "name", "number")],
        indexes=[
            ddl.Index("ix_prompt_version_content_hash", ["content_hash"]),
        ],
    ),
    ddl.app_table(
        "eval_run",
        lambda: [
            sa.Column("prompt_version_id", sa.Integer(), nullable=False),
            ddl.string("model", 200, nullable=True),
            ddl.string("dataset", 200),
            sa.Column("source", sa.String(length=20), nullable=False),
            ddl.utc("started"),
            ddl.utc("finished"),
            sa.Column("cases", sa.Integer(), nullable=False),
            sa.Column("passed", sa.Integer(), nullable=False),
            sa.Column("errors", sa.Integer(), nullable=False),
            sa.Column("scores", sa.JSON(), nullable=False),
            sa.Column("aggregate_score", sa.Float(), nullable=False),
            sa.Column("input_tokens", sa.Integer(), nullable=False),
            sa.Column("output_tokens", sa.Integer(), nullable=False),
            ddl.money("cost", nullable=True),
            sa.Column("regression", sa.Boolean(), nullable=False),
            sa.Column("baseline_run_id", sa.Integer(), nullable=True),
            sa.Column("baseline_score", sa.Float(), nullable=True),
            sa.Column("margin", sa.Float(), nullable=True),
            ddl.string("external_id", 200, nullable=True),
            ddl.utc("created"),
        ],
        foreign_keys={"baseline_run_id": "eval_run", "prompt_version_id": "prompt_version"},
        indexes=[
            ddl.Index("ix_eval_run_dataset", ["dataset"]),
            ddl.Index("ix_eval_run_finished", ["finished"]),
            ddl.Index("ix_eval_run_prompt_version_id", ["prompt_version_id"]),
            ddl.Index("ix_eval_run_regression", ["regression"]),
        ],
    ),
    ddl.app_table(
        "prompt_deployment",
        lambda: [
            ddl.string("name", 63),
            sa.Column("version_id", sa.Integer(), nullable=False),
            ddl.string("workload_kind", 20),
            ddl.string("namespace", 63),
            ddl.string("workload", 253),
            ddl.string("via", 20),
            ddl.utc("started"),
            ddl.utc("ended", nullable=True),
        ],
        foreign_keys={"version_id": "prompt_version"},
        indexes=[
            ddl.Index("ix_prompt_deployment_version_id", ["version_id"]),
        ],
    ),
    ddl.app_table(
        "prompt_label",
        lambda: [
            ddl.string("name", 63),
            ddl.string("label", 63),
            sa.Column("version_id", sa.Integer(), nullable=False),
            ddl.utc("updated"),
            ddl.string("updated_by", 100, nullable=True),
        ],
        foreign_keys={"version_id": "prompt_version"},
        unique=[("app_id", "name", "label")],
    ),
    ddl.app_table(
        "prompt_label_move",
        lambda: [
            ddl.string("name", 63),
            ddl.string("label", 63),
            sa.Column("from_version_id", sa.Integer(), nullable=True),
            sa.Column("to_version_id", sa.Integer(), nullable=False),
            ddl.utc("moved"),
            ddl.string("moved_by", 100, nullable=True),
            ddl.string("reason", 500, nullable=True),
        ],
        foreign_keys={"from_version_id": "prompt_version", "to_version_id": "prompt_version"},
    ),
    ddl.Table(
        "eval_case",
        lambda: [
            ddl.id_key(),
            sa.Column("run_id", sa.Integer(), nullable=False),
            sa.Column("index", sa.Integer(), nullable=False),
            sa.Column("vars", sa.JSON(), nullable=False),
            sa.Column("input", sa.Text(), nullable=False),
            sa.Column("output", sa.Text(), nullable=False),
            sa.Column("expected", sa.Text(), nullable=True),
            sa.Column("scores", sa.JSON(), nullable=False),
            sa.Column("passed", sa.Boolean(), nullable=False),
            ddl.string("error", 2000, nullable=True),
            sa.Column("reasons", sa.JSON(), nullable=False),
            sa.Column("input_tokens", sa.Integer(), nullable=False),
            sa.Column("output_tokens", sa.Integer(), nullable=False),
            sa.Column("latency_ms", sa.Integer(), nullable=True),
            ddl.references("run_id", "eval_run"),
            sa.PrimaryKeyConstraint("id"),
        ],
        indexes=[
            ddl.Index("ix_eval_case_run_id", ["run_id"]),
        ],
    ),
]


def upgrade() -> None:
    ddl.create_tables(TABLES)


def downgrade() -> None:
    ddl.drop_tables(TABLES)
