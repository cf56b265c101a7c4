"""Small dict builders for documents whose optional fields appear only when set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def compact(fields: Mapping[str, Any]) -> dict[str, Any]:
    """``fields`` without the unset ones (None, empty strings and empty collections); a
    present ``0`` or ``False`` stays."""
    return {k: v for k, v in fields.items() if v is not None and v != "" and v != [] and v != {}}


def resource(api_version: str, kind: str, metadata: dict[str, Any], spec: Any) -> dict[str, Any]:
    """The ``apiVersion`` / ``kind`` / ``metadata`` / ``spec`` envelope shared by Kubernetes
    objects and Backstage entities."""
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "spec": spec}
