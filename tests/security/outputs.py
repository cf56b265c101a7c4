"""What the output tests ask of the guard: the labels of the secrets and personal data it finds."""

from __future__ import annotations

from portal_api.security.guard.engine import Guard
from portal_api.security.guard.models import Direction


def findings(text: str) -> list[str]:
    """The labels of the secrets and personal-data spans the default guard finds in ``text``
    read as a model's output."""
    result = Guard().check(text, Direction.OUTPUT)
    return [s.label for r in result.scanners if r.scanner in ("secrets", "pii") for s in r.spans]
