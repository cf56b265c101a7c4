"""Building one record from another: the fields both name alike are copied, not spelled out."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


def _field_names(target: type[Any]) -> list[str]:
    if issubclass(target, BaseModel):
        return list(target.model_fields)
    return [f.name for f in dataclasses.fields(target)]


def copy_into(target: type[T], source: object, /, **given: Any) -> T:
    """A ``target`` (a pydantic model or a dataclass) of the ``given`` values and, for its other
    fields, the values of ``source``'s attributes of the same name (fields ``source`` lacks keep
    their defaults)."""
    copied = {
        name: getattr(source, name)
        for name in _field_names(target)
        if name not in given and hasattr(source, name)
    }
    return target(**copied, **given)
