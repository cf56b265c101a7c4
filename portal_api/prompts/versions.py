"""Prompt versions: recorded when first seen (CI pushes, the cluster), found by number or hash."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from portal_api.apps.service import get_app
from portal_api.errors import ConflictError, InvalidInputError, NotFoundError
from portal_api.kit.fields import copy_into
from portal_api.kit.ingest import insert_once
from portal_api.prompts.content import CONTENT_FIELDS, content_hash, normalise
from portal_api.prompts.models import (
    IngestedVersion,
    PromptBatch,
    PromptBatchResult,
    PromptContent,
    PromptSource,
    PromptVersion,
)

R = TypeVar("R")


def record_version(
    *,
    session: Session,
    app_id: int,
    name: str,
    content: PromptContent,
    source: PromptSource,
    source_ref: str | None = None,
    author: str | None = None,
    now: dt.datetime,
) -> tuple[PromptVersion, bool]:
    """The version with this content, created (numbered next) when first seen."""
    content = normalise(content)
    digest = content_hash(content)

    def find() -> PromptVersion | None:
        return session.exec(of_prompt(PromptVersion, app_id, name, content_hash=digest)).first()

    def insert() -> PromptVersion:
        last = session.exec(
            select(func.max(PromptVersion.number)).where(
                PromptVersion.app_id == app_id, PromptVersion.name == name
            )
        ).one()
        version = copy_into(
            PromptVersion,
            content,
            app_id=app_id,
            name=name,
            number=(last or 0) + 1,
            content_hash=digest,
            source=source,
            source_ref=source_ref,
            author=author,
            created=now,
        )
        session.add(version)
        session.flush()
        return version

    # Concurrent pushes: the same content is found again; other content that took the next
    # number meanwhile makes this push number after it (a few tries, then 409).
    for _ in range(_NUMBERING_ATTEMPTS):
        try:
            return insert_once(session, find=find, insert=insert)
        except IntegrityError:
            continue
    raise ConflictError(
        f"prompt {name!r} of this app got new versions concurrently; retry the push"
    )


_NUMBERING_ATTEMPTS = 5


def ingest_batch(
    *, session: Session, app: str, batch: PromptBatch, now: dt.datetime
) -> PromptBatchResult:
    """Record every prompt file CI posted; content seen before is the same version."""
    app_row = get_app(session=session, name=app)
    assert app_row.id is not None
    results = []
    for item in batch.prompts:
        version, created = record_version(
            session=session,
            app_id=app_row.id,
            name=item.name,
            content=PromptContent.model_validate(item.model_dump(include=CONTENT_FIELDS)),
            source=PromptSource.CI,
            now=now,
            author=batch.author,
            source_ref=_ref(item.path, batch.commit),
        )
        results.append(
            IngestedVersion(
                name=item.name,
                number=version.number,
                content_hash=version.content_hash,
                created=created,
            )
        )
    return PromptBatchResult(versions=results)


def _ref(path: str | None, commit: str | None) -> str | None:
    if path and commit:
        return f"{path}@{commit}"
    return path or (f"@{commit}" if commit else None)


def app_id_of(session: Session, app: str) -> int:
    app_id = get_app(session=session, name=app).id
    assert app_id is not None
    return app_id


def of_prompt(table: type[R], app_id: int, name: str, **equal: Any) -> SelectOfScalar[R]:
    """The query of ``table``'s rows of one prompt of an app; each ``equal`` column given a
    value (not None) narrows it."""
    columns: Any = table
    query = select(table).where(columns.app_id == app_id, columns.name == name)
    for column, value in equal.items():
        if value is not None:
            query = query.where(getattr(columns, column) == value)
    return query


def versions_of(session: Session, app_id: int, name: str) -> list[PromptVersion]:
    rows = session.exec(of_prompt(PromptVersion, app_id, name).order_by(col(PromptVersion.number)))
    return list(rows.all())


def existing_versions(session: Session, app_id: int, name: str) -> list[PromptVersion]:
    """Raises NotFoundError when the app has no prompt of that name."""
    versions = versions_of(session, app_id, name)
    if not versions:
        raise NotFoundError(f"no prompt named {name!r}")
    return versions


def get_version(*, session: Session, app_id: int, name: str, number: int) -> PromptVersion:
    """Raises NotFoundError when the prompt or the version does not exist."""
    version = session.exec(of_prompt(PromptVersion, app_id, name, number=number)).first()
    if version is None:
        existing_versions(session, app_id, name)
        raise NotFoundError(f"prompt {name!r} has no version {number}")
    return version


def resolve_version(
    *, session: Session, app_id: int, name: str, number: int | None, digest: str | None
) -> PromptVersion:
    """A version by number or by (a prefix of) its content hash; neither: the latest.

    Raises:
        NotFoundError: no such version.
        InvalidInputError: the hash prefix matches several versions.
    """
    if number is not None:
        version = get_version(session=session, app_id=app_id, name=name, number=number)
        if digest and not version.content_hash.startswith(digest):
            raise InvalidInputError(
                f"prompt {name!r} version {number} has hash {version.content_hash[:12]}, "
                f"not {digest}"
            )
        return version
    versions = existing_versions(session, app_id, name)
    if digest is None:
        return versions[-1]
    matches = [v for v in versions if v.content_hash.startswith(digest)]
    if not matches:
        raise NotFoundError(f"prompt {name!r} has no version with hash {digest}")
    if len(matches) > 1:
        raise InvalidInputError(f"hash prefix {digest} matches several versions of {name!r}")
    return matches[0]
