"""Schemathesis hooks for tests/test_api_fuzz.py (loaded through SCHEMATHESIS_HOOKS).

The catalog's entities are a YAML stream (one document per entity, what a Backstage url
location reads), documented as a string: validate the text, not a parse of its first document.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.core import media_types


# Every YAML media type: the built-in deserializer is registered under each of them.
@schemathesis.deserializer(*media_types.YAML_MEDIA_TYPES)
def yaml_stream_as_text(ctx: Any, response: Any) -> str:  # noqa: ARG001 (the hook's signature)
    return str(response.content.decode("utf-8"))
