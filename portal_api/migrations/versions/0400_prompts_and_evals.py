"""prompts and evals

Create Date: 2026-11-26 20:48:47.582357
"""

from collections.abc import Sequence

from portal_api.migrations import ddl

revision: str = "0400"
down_revision: str | Sequence[str] | None = "0001"

TABLES = ddl.tables(
    """
prompt_version [app]: name str63, number int, content_hash str64, template text
    variables json, model str200?, parameters json, source str20, source_ref str500?
    author str200?, created utc
    unique: app_id name content_hash
    unique: app_id name number
    index: content_hash
eval_run [app]: prompt_version_id int, model str200?, dataset str200, source str20
    started utc, finished utc, cases int, passed int, errors int, scores json
    aggregate_score float, input_tokens int, output_tokens int, cost money?, regression bool
    baseline_run_id int?, baseline_score float?, margin float?, external_id str200?
    created utc
    refs: baseline_run_id eval_run, prompt_version_id prompt_version
    index: dataset
    index: finished
    index: prompt_version_id
    index: regression
prompt_deployment [app]: name str63, version_id int, workload_kind str20, namespace str63
    workload str253, via str20, started utc, ended utc?
    refs: version_id prompt_version
    index: version_id
prompt_label [app]: name str63, label str63, version_id int, updated utc
    updated_by str100?
    refs: version_id prompt_version
    unique: app_id name label
prompt_label_move [app]: name str63, label str63, from_version_id int?, to_version_id int
    moved utc, moved_by str100?, reason str500?
    refs: from_version_id prompt_version, to_version_id prompt_version
eval_case: id int, run_id int, index int, vars json, input text, output text
    expected text?, scores json, passed bool, error str2000?, reasons json
    input_tokens int, output_tokens int, latency_ms int?
    refs: run_id eval_run
    index: run_id
"""
)

upgrade, downgrade = ddl.revision_of(TABLES)
