"""Idempotent writes: what a client may retry is found again, never stored twice.

Every ingest route follows one rule: a write is keyed by the client's id or by a content
hash; the first post stores it, a replay (sequential or concurrent) returns what is stored.
The unique constraint on the key is the arbiter: the losing insert of a concurrent pair fails
inside a savepoint, and the row the winner committed is read back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

T = TypeVar("T")


def insert_once(
    session: Session, *, find: Callable[[], T | None], insert: Callable[[], T]
) -> tuple[T, bool]:
    """The stored row: ``find()`` if it exists, else ``insert()`` (True: created now).

    ``insert`` must add and flush; a unique violation (a concurrent identical write won the
    race) rolls back only its savepoint, and the winner's row is returned.
    """
    found = find()
    if found is not None:
        return found, False
    try:
        with session.begin_nested():
            created = insert()
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found, False
    return created, True


def validation_message(exc: ValidationError, prefix: str = "") -> str:
    """The first few problems of a pydantic validation, for a 422 detail."""
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{prefix}{loc}: {err.get('msg')}" if loc else f"{prefix}{err.get('msg')}")
    return "; ".join(parts)
