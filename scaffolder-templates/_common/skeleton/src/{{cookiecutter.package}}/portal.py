"""Push prompts and evaluation results to the GenAI Portal (run by CI).

    python -m {{ cookiecutter.package }}.portal prompts
    python -m {{ cookiecutter.package }}.portal evals evals/results.json

Needs PORTAL_URL and PORTAL_INGEST_TOKEN (a token with the ``ingest`` scope).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx

from {{ cookiecutter.package }}.config import APP_NAME, Settings
from {{ cookiecutter.package }}.prompts import list_prompts


def prompts_payload(settings: Settings) -> dict[str, Any]:
    return {
        "source": "ci",
        "author": os.environ.get("GITHUB_ACTOR"),
        "commit": os.environ.get("GITHUB_SHA"),
        "prompts": [
            {
                "name": p.name,
                "template": p.text,
                "sha256": p.sha256,
                "model": p.model or settings.model,
                "parameters": p.parameters,
                "variables": list(p.variables),
            }
            for p in list_prompts(settings.prompts_dir)
        ],
    }


def evals_payload(results: dict[str, Any], versions: dict[str, str]) -> dict[str, Any]:
    """evaluate.py's results in the portal's eval run shape, naming the prompt version by the
    content hash the portal gave it (``versions``: name -> hash, from the prompts push)."""
    name = results["prompt"]["name"]
    if name not in versions:
        raise SystemExit(f"prompt {name!r} is not in prompts/: nothing to link the evaluation to")
    return {
        "prompt": {"name": name, "hash": versions[name]},
        "model": results.get("model"),
        "dataset": results["dataset"],
        "started": results["started_at"],
        "finished": results["finished_at"],
        "input_tokens": results.get("input_tokens"),
        "output_tokens": results.get("output_tokens"),
        "cases": [
            {
                "input": case["input"],
                # A case the guard blocked has no output.
                "output": case["output"] or "",
                "vars": {"id": case["id"], "blocked": case["output"] is None},
                "expected": "; ".join(case["expected"]) or None,
                "scores": case["scores"],
                "passed": case["passed"],
            }
            for case in results["cases"]
        ],
    }


def post(
    path: str, payload: dict[str, Any], *, portal_url: str, token: str, client: httpx.Client | None = None
) -> httpx.Response:
    """POST ``payload`` to the portal; raises on any non-2xx answer."""
    http = client or httpx.Client(timeout=30)
    response = http.post(
        f"{portal_url.rstrip('/')}/api/v1/apps/{APP_NAME}/{path}",
        json=payload,
        headers={"Authorization": f"Bearer {token}"},
    )
    if response.status_code >= 300:
        raise SystemExit(f"portal answered {response.status_code} to {path}: {response.text[:500]}")
    return response


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("prompts", help="post every prompt in prompts/")
    evals = sub.add_parser("evals", help="post an evaluation results file")
    evals.add_argument("results", type=Path)
    args = parser.parse_args(argv)
    portal_url = os.environ.get("PORTAL_URL")
    token = os.environ.get("PORTAL_INGEST_TOKEN")
    if not portal_url or not token:
        print("PORTAL_URL and PORTAL_INGEST_TOKEN must be set", file=sys.stderr)
        return 2
    answer = post("prompts", prompts_payload(Settings()), portal_url=portal_url, token=token)
    if args.what == "evals":
        # Posting the prompts again is idempotent: it returns the versions the run belongs to.
        versions = {v["name"]: v["content_hash"] for v in answer.json()["versions"]}
        results = json.loads(args.results.read_text(encoding="utf-8"))
        post("evals", evals_payload(results, versions), portal_url=portal_url, token=token)
    print(f"posted {args.what} of {APP_NAME} to {portal_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
