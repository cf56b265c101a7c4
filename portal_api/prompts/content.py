"""A prompt version's content: normalised, and hashed into its identity (as the templates'
services hash it)."""

from __future__ import annotations

from typing import Any

from portal_api.kit import identity
from portal_api.kit.identity import canonical_content
from portal_api.prompts.models import (
    PromptContent,
)

CONTENT_FIELDS = {"template", "variables", "model", "parameters"}


def normalise(content: PromptContent) -> PromptContent:
    """Variables default to those the template uses; order does not make a new version."""
    return PromptContent.model_validate(canonical_content(**_content_args(content)))


def content_hash(content: PromptContent) -> str:
    """The version's identity: the hash the templates' services compute the same way."""
    return identity.content_hash(**_content_args(content))


def _content_args(content: PromptContent) -> dict[str, Any]:
    return content.model_dump(mode="json", include=CONTENT_FIELDS)
