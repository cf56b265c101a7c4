"""One input policy for strings, on every database.

PostgreSQL cannot store NUL in text, SQLite can: the same input must not be accepted by one
and crash the other. So the API refuses, with a 422 naming the field, every string that holds
a control character: C0 (U+0000-U+001F), DEL and C1 (U+0080-U+009F). Free text in bodies
(templates, descriptions, outputs) may hold tab, line feed and carriage return; query and path
parameters may not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

# Text of bodies: tab, LF and CR are ordinary in templates and outputs.
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Parameters (query, path): no control character at all.
_PARAM_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def control_character(value: str, *, free_text: bool = True) -> str | None:
    """The first control character ``value`` holds that the policy refuses, as ``U+XXXX``."""
    match = (_TEXT_CONTROL if free_text else _PARAM_CONTROL).search(value)
    return f"U+{ord(match.group()):04X}" if match else None


# Timestamps are stored as UTC: one that is not representable there (or so far out that a
# window around it overflows) is refused wherever it appears, as a parameter or in a body.
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


def timestamp_out_of_range(value: str) -> bool:
    """Whether ``value`` is an ISO 8601 timestamp outside 1900..9000 in UTC."""
    if not _TIMESTAMP.fullmatch(value.strip()):
        return False
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return False  # not a timestamp: the operation's own validation says so
    try:
        utc = parsed.astimezone(dt.UTC) if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    except OverflowError:
        return True
    return not EARLIEST <= utc <= LATEST


def _strings(value: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            # A refused key is named by where it is, never by its own (unprintable) text.
            yield (*path, "(a key)"), str(key)
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, str(i)))


def refused_string(document: Any) -> str | None:
    """``field: why`` for the first string (key or value) of a JSON document the policy
    refuses, or None when every string is acceptable."""
    for path, text in _strings(document, ()):
        where = ".".join(path) or "body"
        found = control_character(text)
        if found is not None:
            return f"{where}: control character {found} is not allowed"
        if timestamp_out_of_range(text):
            return f"{where}: timestamp out of range (1900-01-01 to 9000-01-01 UTC)"
    return None


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON text, without parsing it (so a hostile
    document cannot exhaust the parser's recursion)."""
    # Strings may hold brackets: drop them first (escaped quotes stay inside their string).
    skeleton = _JSON_STRING.sub("", text)
    brackets = _NOT_BRACKET.sub("", skeleton)
    if not brackets:
        return 0
    # Running depth in C (accumulate over a lookup), not a Python loop per bracket.
    return max(0, max(accumulate(map(_STEP.__getitem__, brackets))))


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
