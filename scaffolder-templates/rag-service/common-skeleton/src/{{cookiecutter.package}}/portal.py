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

from .config import APP_NAME, PROJECT_DIR, Settings
from .prompts import list_prompts

CONTRACT_DIR = PROJECT_DIR / "contract"


def prompts_payload(settings: Settings) -> dict[str, Any]:
    """The body of the portal's prompts push (contract/prompts.schema.json)."""
    return {
        "author": os.environ.get("GITHUB_ACTOR"),
        "commit": os.environ.get("GITHUB_SHA"),
        "prompts": [
            {
                "name": p.name,
                "template": p.text,
                "model": p.model or settings.model,
                "parameters": p.parameters,
                "variables": list(p.variables),
            }
            for p in list_prompts(settings.prompts_dir)
        ],
    }


def check_contract(what: str, payload: dict[str, Any]) -> None:
    """Validate ``payload`` against the portal's schema when jsonschema is installed (the
    test extra has it); the portal validates it again either way."""
    try:
        import jsonschema
    except ImportError:
        return
    schema = json.loads((CONTRACT_DIR / f"{'prompts' if what == 'prompts' else 'eval-run'}.schema.json").read_text())
    jsonschema.validate(payload, schema)


def register(*, portal_url: str, token: str, client: httpx.Client | None = None) -> None:
    """Register the app (a replay answers 200; an app the portal discovered in the cluster
    answers 409): prompts and evaluation runs belong to a known app."""
    http = client or httpx.Client(timeout=30)
    response = http.post(
        f"{portal_url.rstrip('/')}/api/v1/apps",
        json=REGISTRATION,
        headers={"Authorization": f"Bearer {token}"},
    )
    if response.status_code not in (200, 201, 409):
        raise SystemExit(f"portal answered {response.status_code} to the registration: {response.text[:500]}")


REGISTRATION = {
    "name": APP_NAME,
    "namespace": "{{ cookiecutter.namespace }}",
    "team": "{{ cookiecutter.team }}",
    "system": "{{ cookiecutter.system }}",
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
    register(portal_url=portal_url, token=token)
    # The prompts first (idempotent): an evaluation run belongs to a version the portal knows.
    prompts = prompts_payload(Settings())
    check_contract("prompts", prompts)
    post("prompts", prompts, portal_url=portal_url, token=token)
    if args.what == "evals":
        results = json.loads(args.results.read_text(encoding="utf-8"))
        check_contract("evals", results)
        post("evals", results, portal_url=portal_url, token=token)
    print(f"posted {args.what} of {APP_NAME} to {portal_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
