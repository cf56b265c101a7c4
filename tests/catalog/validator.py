"""Backstage's own entity validators (catalog/tests/validate-entities.mjs), run with Node.js.

The npm dependencies are installed on first use (``npm ci`` from the checked-in lock file).
"""

from __future__ import annotations

import functools
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from tests.servers.process import run

VALIDATOR_DIR = Path(__file__).resolve().parents[2] / "catalog" / "tests"
CATALOG_DIR = VALIDATOR_DIR.parent


@functools.cache
def _node() -> str:
    node, npm = shutil.which("node"), shutil.which("npm")
    assert node, "Node.js is required to run Backstage's validators"
    assert npm, "npm is required to install Backstage's validators"
    installed = VALIDATOR_DIR / "node_modules" / ".package-lock.json"
    lock = VALIDATOR_DIR / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=VALIDATOR_DIR,
            timeout=600,
            check=True,
        )
    return node


def validate(paths: list[Path]) -> list[dict[str, Any]]:
    """One result per YAML document: ``{"file", "index", "kind", "name", "ok", "error"?}``."""
    assert paths
    result = run(
        [_node(), "validate-entities.mjs", *map(str, paths)], cwd=VALIDATOR_DIR, timeout=120
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the validator printed nothing:\n{result.stderr}"
    assert (result.returncode == 0) == all(line["ok"] for line in lines), result.stderr
    return lines


def invalid(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in results if not r["ok"]]


def check_github_workflow(path: Path) -> None:
    """Fails the test unless ``path`` is valid against the GitHub Actions workflow schema
    that check-jsonschema ships."""
    run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(path),
        ],
        timeout=120,
        check=True,
    )
