"""JSON bodies of the hot reads, written straight from plain values.

FastAPI validates a handler's answer against its ``response_model`` and serialises it with
pydantic; for one app's 90-day usage (450 buckets) building the models and validating them
cost more than reading the rows. A hot read builds its answer as plain dicts and lists, in
the model's field order and with the values validation would leave (floats as floats, money
as Decimal, aware datetimes), and pydantic-core writes them with the serialisers the model
uses: the same bytes (``tests/test_jsonbody.py`` checks them against the model's). The
route keeps its ``response_model`` for the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

import pydantic_core

# A model's default for NaN and infinities (``ser_json_inf_nan``); to_json's own is 'constants'.
_INF_NAN: Final[Literal["null"]] = "null"


def json_bytes(document: Mapping[str, Any]) -> bytes:
    """``document`` as the JSON its model's ``model_dump_json()`` writes."""
    return pydantic_core.to_json(document, inf_nan_mode=_INF_NAN)
