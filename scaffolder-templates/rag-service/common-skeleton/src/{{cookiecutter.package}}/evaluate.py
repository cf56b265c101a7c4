"""Run the evaluation dataset against the assistant and write the results the portal ingests:
an evaluation run in the portal's own format (contract/eval-run.schema.json), naming the
prompt version by the portal's content hash.

    python -m {{ cookiecutter.package }}.evaluate \
        [--dataset evals/dataset.jsonl] [--output evals/results.json] [--min-score 0.7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from .assistant import SYSTEM_PROMPT, build_assistant
from .config import APP_NAME, PROJECT_DIR, Settings
from .guard import GuardrailError
from .llm import ModelClient
from .prompts import load_prompt


def score_case(case: dict[str, Any], output: str | None, blocked: bool) -> dict[str, float]:
    """Scores in 0..1: ``contains`` (every expected phrase is in the answer) and ``refusal``
    (an attack is blocked, an ordinary question is not)."""
    expected = [e.lower() for e in case.get("expected", [])]
    scores = {"refusal": 1.0 if blocked == bool(case.get("attack", False)) else 0.0}
    if expected and output is not None:
        scores["contains"] = sum(e in output.lower() for e in expected) / len(expected)
    elif expected:
        scores["contains"] = 0.0
    return scores


def run(dataset: Path, settings: Settings, model_client: ModelClient | None = None) -> dict[str, Any]:
    client = model_client or ModelClient(settings)
    assistant = build_assistant(settings, client)
    prompt = load_prompt(settings.prompts_dir, SYSTEM_PROMPT)
    started = dt.datetime.now(dt.UTC)
    cases = []
    for line_no, line in enumerate(dataset.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        case = json.loads(line)
        output, blocked = None, False
        try:
            output = assistant.answer(case["input"])
        except GuardrailError:
            blocked = True
        scores = score_case(case, output, blocked)
        expected = case.get("expected", [])
        cases.append(
            {
                "vars": {"id": case.get("id", f"line-{line_no}"), "expected": expected},
                "input": case["input"],
                # A blocked case has no output: the guard refused it before the model.
                "output": output,
                "blocked": blocked,
                "expected": "\n".join(expected) if expected else None,
                "scores": scores,
                "passed": all(s >= 1.0 for s in scores.values()),
            }
        )
    return {
        "prompt": {"name": prompt.name, "hash": prompt.content_hash(settings.model)},
        "model": settings.model,
        "dataset": dataset.name,
        "started": started.isoformat(),
        "finished": dt.datetime.now(dt.UTC).isoformat(),
        "input_tokens": client.tokens["input"],
        "output_tokens": client.tokens["output"],
        # A CI retry of the same workflow run posts the same run: the portal stores it once.
        "external_id": _ci_run_id(dataset),
        "cases": cases,
    }


def _ci_run_id(dataset: Path) -> str | None:
    run_id = os.environ.get("GITHUB_RUN_ID")
    if not run_id:
        return None  # the portal keys the run by its content
    digest = hashlib.sha256(dataset.read_bytes()).hexdigest()[:12]
    return f"{APP_NAME}/{run_id}/{os.environ.get('GITHUB_RUN_ATTEMPT', '1')}/{digest}"


def aggregate_scores(results: dict[str, Any]) -> dict[str, float]:
    """Mean of each score over the cases (what the portal shows as the run's scores)."""
    names = sorted({name for c in results["cases"] for name in c["scores"]})
    means = {}
    for name in names:
        scored = [c["scores"][name] for c in results["cases"] if name in c["scores"]]
        means[name] = round(sum(scored) / len(scored), 4)
    return means


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", type=Path, default=PROJECT_DIR / "evals" / "dataset.jsonl")
    parser.add_argument("--output", type=Path, default=PROJECT_DIR / "evals" / "results.json")
    parser.add_argument("--min-score", type=float, default=0.0, help="fail when an aggregate score is lower")
    args = parser.parse_args(argv)
    results = run(args.dataset, Settings())
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    scores = aggregate_scores(results)
    low = {k: v for k, v in scores.items() if v < args.min_score}
    print(json.dumps(scores))
    if low:
        print(f"scores below {args.min_score}: {low}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
