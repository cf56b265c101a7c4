"""Prompt labels (``production``, ``staging``): pointing them at versions, and their history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlmodel import Session, col, select

from portal_api.prompts.models import (
    LabelMovePublic,
    LabelPublic,
    PromptLabel,
    PromptLabelMove,
)
from portal_api.prompts.versions import app_id_of, existing_versions, get_version, of_prompt


def labels_by_version(
    session: Session, app_id: int, name: str | None = None
) -> dict[int, list[str]]:
    query = select(PromptLabel).where(PromptLabel.app_id == app_id)
    if name is not None:
        query = query.where(PromptLabel.name == name)
    out: dict[int, list[str]] = defaultdict(list)
    for row in session.exec(query.order_by(col(PromptLabel.label))).all():
        out[row.version_id].append(row.label)
    return out


def move_label(
    *,
    session: Session,
    app: str,
    name: str,
    label: str,
    number: int,
    actor: str | None,
    reason: str | None,
    now: dt.datetime,
) -> LabelPublic:
    """Point a label at a version (creating the label); every move is kept in its history."""
    app_id = app_id_of(session, app)
    version = get_version(session=session, app_id=app_id, name=name, number=number)
    assert version.id is not None
    row = session.exec(of_prompt(PromptLabel, app_id, name, label=label)).first()
    previous = row.version_id if row is not None else None
    if row is None:
        row = PromptLabel(app_id=app_id, name=name, label=label, version_id=version.id, updated=now)
    if previous != version.id:
        row.version_id = version.id
        row.updated = now
        row.updated_by = actor
        session.add(row)
        session.add(
            PromptLabelMove(
                app_id=app_id,
                name=name,
                label=label,
                from_version_id=previous,
                to_version_id=version.id,
                moved=now,
                moved_by=actor,
                reason=reason,
            )
        )
        session.flush()
    return LabelPublic(
        label=label, version=version.number, updated=row.updated, updated_by=row.updated_by
    )


def label_history(
    *, session: Session, app: str, name: str, label: str | None = None
) -> list[LabelMovePublic]:
    """Moves of a prompt's labels, newest first."""
    app_id = app_id_of(session, app)
    numbers = {v.id: v.number for v in existing_versions(session, app_id, name)}
    query = of_prompt(PromptLabelMove, app_id, name, label=label)
    rows = session.exec(
        query.order_by(col(PromptLabelMove.moved).desc(), col(PromptLabelMove.id).desc())
    ).all()
    return [
        LabelMovePublic(
            label=r.label,
            from_version=numbers.get(r.from_version_id) if r.from_version_id else None,
            to_version=numbers[r.to_version_id],
            moved=r.moved,
            moved_by=r.moved_by,
            reason=r.reason,
        )
        for r in rows
    ]
