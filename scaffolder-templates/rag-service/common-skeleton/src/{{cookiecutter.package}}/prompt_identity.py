# Generated from portal_api/kit/identity.py by `make templates`: edit that file, not this one.
"""The identity of a prompt version: the SHA-256 of its canonical content.

This file is the contract between the portal and the services its templates create: the
templates ship a copy (``prompt_identity.py``, generated from this file by ``make templates``),
so a service names the version it evaluated by the same hash the portal stores. Standard
library and Jinja2 only.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from jinja2 import Environment, nodes
from jinja2.meta import find_undeclared_variables

# Parsing only (nothing is rendered here): the portal renders in a sandbox.
_PARSER = Environment(autoescape=False)


def template_variables(template: str) -> list[str]:
    """The variables a Jinja2 template needs, in order of first use (names the template
    assigns itself, such as loop variables, are not among them).

    Raises:
        jinja2.TemplateSyntaxError: the template does not parse.
    """
    tree = _PARSER.parse(template)
    needed = find_undeclared_variables(tree)
    ordered: dict[str, None] = {}
    for name in tree.find_all(nodes.Name):
        if name.name in needed:
            ordered.setdefault(name.name, None)
    return list(ordered)


def canonical_content(
    template: str,
    variables: list[str] | None = None,
    model: str | None = None,
    parameters: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What a version is: variables default to those the template uses, in any order."""
    return {
        "template": template,
        "variables": sorted(set(variables or template_variables(template))),
        "model": model or None,
        "parameters": parameters or {},
    }


def content_hash(
    template: str,
    variables: list[str] | None = None,
    model: str | None = None,
    parameters: dict[str, Any] | None = None,
) -> str:
    """SHA-256 of the canonical JSON of the canonical content."""
    canonical = json.dumps(
        canonical_content(template, variables, model, parameters),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
