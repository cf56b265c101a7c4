"""The benchmarks under bench/ reproduce the documented figures: each must at least import
(they share bench/common.py; a helper moved without its callers breaks only them)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
MODULES = sorted(p.stem for p in BENCH.glob("*.py") if p.stem != "__init__")


def test_every_benchmark_is_found() -> None:
    assert {"usage_sync", "readers", "guard", "common"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_benchmark_imports(name: str) -> None:
    module = importlib.import_module(f"bench.{name}")
    if name != "common":
        assert callable(getattr(module, "main", None)), f"bench/{name}.py has no main()"
