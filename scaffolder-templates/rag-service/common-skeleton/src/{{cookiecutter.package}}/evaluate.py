"""Run the evaluation dataset against the assistant and write the results the portal ingests.

    python -m {{ cookiecutter.package }}.evaluate \
        [--dataset evals/dataset.jsonl] [--output evals/results.json] [--min-score 0.7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from {{ cookiecutter.package }}.assistant import SYSTEM_PROMPT, build_assistant
from {{ cookiecutter.package }}.config import APP_NAME, PROJECT_DIR, Settings
from {{ cookiecutter.package }}.guard import GuardrailError
from {{ cookiecutter.package }}.llm import ModelClient
from {{ cookiecutter.package }}.prompts import load_prompt


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
        cases.append(
            {
                "id": case.get("id", f"line-{line_no}"),
                "input": case["input"],
                "output": output,
                "expected": case.get("expected", []),
                "scores": scores,
                "passed": all(s >= 1.0 for s in scores.values()),
            }
        )
    names = sorted({name for c in cases for name in c["scores"]})
    aggregate = {}
    for name in names:
        scored = [c["scores"][name] for c in cases if name in c["scores"]]
        aggregate[name] = round(sum(scored) / len(scored), 4)
    return {
        "app": APP_NAME,
        "prompt": {"name": prompt.name, "sha256": prompt.sha256},
        "model": settings.model,
        "dataset": dataset.name,
        "dataset_sha256": hashlib.sha256(dataset.read_bytes()).hexdigest(),
        "started_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
        "scores": aggregate,
        "input_tokens": client.tokens["input"],
        "output_tokens": client.tokens["output"],
        "cases": cases,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", type=Path, default=PROJECT_DIR / "evals" / "dataset.jsonl")
    parser.add_argument("--output", type=Path, default=PROJECT_DIR / "evals" / "results.json")
    parser.add_argument("--min-score", type=float, default=0.0, help="fail when an aggregate score is lower")
    args = parser.parse_args(argv)
    results = run(args.dataset, Settings())
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    low = {k: v for k, v in results["scores"].items() if v < args.min_score}
    print(json.dumps(results["scores"]))
    if low:
        print(f"scores below {args.min_score}: {low}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
