"""Small statistics shared by the domains."""

from __future__ import annotations

from collections.abc import Sequence


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean; 0.0 for no values (a version without runs scores nothing)."""
    return sum(values) / len(values) if values else 0.0
