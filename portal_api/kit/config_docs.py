"""docs/configuration.md, written from ``Settings``: every variable, its type, default and
description, so the table cannot drift from the code (a test compares the checked-in file).

Run ``python -m portal_api.kit.config_docs docs/configuration.md`` (``make docs-config``).
"""

from __future__ import annotations

import enum
import sys
import types
import typing
from pathlib import Path
from typing import Any

import annotated_types
from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

from portal_api.config import Settings

HEADER = """\
# Configuration

<!-- Generated from portal_api/config.py by `make docs-config`; do not edit by hand
     (a test fails when this file is stale). -->

The portal reads its settings once, from environment variables with the prefix `PORTAL_`
(`portal_api/config.py`). A list is written comma-separated (where its description says so, a
JSON list works too); a JSON list or object as JSON. A value that does not validate stops
start-up naming the setting, never echoing its value.

Secrets (marked **secret**) are never logged or returned; API tokens are kept in memory only
as SHA-256 digests.

| variable | type | default | description |
|---|---|---|---|
"""


def _is_secret(annotation: Any) -> bool:
    """Whether a value of this type holds a secret (a SecretStr, at any depth)."""
    if annotation is SecretStr:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return any(_is_secret(f.annotation) for f in annotation.model_fields.values())
    return any(_is_secret(arg) for arg in typing.get_args(annotation))


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return _type_name(args[0]) if len(args) == 1 else " or ".join(map(_type_name, args))
    if origin is typing.Literal:
        return ", ".join(f"`{a}`" for a in args)
    if origin is list:
        item = args[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "JSON list"
        return f"list of {_type_name(item)}s"
    if origin is dict:
        return "JSON object"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return ", ".join(f"`{member.value}`" for member in annotation)
    names = {str: "string", int: "integer", float: "number", bool: "boolean", Path: "path"}
    if annotation is SecretStr:
        return "string"
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _bounds(info: FieldInfo) -> str:
    low = high = ""
    for item in info.metadata:
        if isinstance(item, annotated_types.Ge):
            low = f">= {item.ge}"
        elif isinstance(item, annotated_types.Gt):
            low = f"> {item.gt}"
        elif isinstance(item, annotated_types.Le):
            high = f"<= {item.le}"
        elif isinstance(item, annotated_types.Lt):
            high = f"< {item.lt}"
    return ", ".join(part for part in (low, high) if part)


def _default(info: FieldInfo) -> str:
    value = info.get_default(call_default_factory=True)
    if value is None:
        return "unset"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list):
        return f"`{','.join(map(str, value))}`" if value else "empty"
    if isinstance(value, dict):
        return f"`{value}`" if value else "`{}`"
    return f"`{value}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(settings: type[BaseSettings] = Settings) -> str:
    """The configuration page: one row per field of ``settings``, in declaration order."""
    prefix = settings.model_config.get("env_prefix", "")
    rows = []
    for name, info in settings.model_fields.items():
        if not info.description:
            raise ValueError(
                f"{settings.__name__}.{name} has no description: give it a docstring under the field"
            )
        kind = _type_name(info.annotation)
        if bounds := _bounds(info):
            kind = f"{kind} ({bounds})"
        description = " ".join(info.description.split())  # docstrings wrap
        if _is_secret(info.annotation):
            description = f"**secret**. {description}"
        rows.append(
            f"| `{(prefix + name).upper()}` | {_cell(kind)} | {_cell(_default(info))} "
            f"| {_cell(description)} |"
        )
    return HEADER + "\n".join(rows) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m portal_api.kit.config_docs docs/configuration.md", file=sys.stderr)  # noqa: T201
        return 2
    target = Path(argv[0])
    text = render()
    if target.exists() and target.read_text() == text:
        print(f"{target} is current")  # noqa: T201
        return 0
    target.write_text(text)
    print(f"wrote {target}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
