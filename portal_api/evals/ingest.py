"""Runs posted by CI: the portal's JSON or a promptfoo file, stored once (replays are the stored
run)."""

from __future__ import annotations

import json
from typing import Any, TypedDict

from pydantic import ValidationError
from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.apps.service import get_app
from portal_api.errors import ConflictError, InvalidInputError, NotFoundError
from portal_api.evals.models import (
    EvalRun,
    EvalRunIn,
    EvalRunPublic,
    EvalSource,
    PromptRef,
)
from portal_api.evals.promptfoo import PromptfooRun, is_promptfoo, parse_promptfoo
from portal_api.evals.store import (
    IngestKey,
    Judging,
    RunFacts,
    resolve_ref,
    store_run,
    to_public,
)
from portal_api.kit.fields import copy_into
from portal_api.kit.ingest import insert_once, validation_message
from portal_api.prompts.models import PromptVersion


def _load_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise InvalidInputError("body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None


def _stored(session: Session, app_id: int, key: IngestKey) -> EvalRun | None:
    found = session.exec(
        select(EvalRun).where(EvalRun.app_id == app_id, EvalRun.ingest_key == key.key)
    ).first()
    if found is not None and found.ingest_digest not in (None, key.digest):
        raise ConflictError(
            f"{key.key.removeprefix('id:')!r} names another evaluation run of this app "
            f"(run {found.id}): a new run needs a new external_id (or promptfoo evalId)"
        )
    return found


def _store_once(session: Session, app_id: int, key: IngestKey, **run: Any) -> tuple[EvalRun, bool]:
    """The run stored under ``key``: stored now (True), or found (False) on a replay, even
    when an identical post stores it concurrently."""
    return insert_once(
        session,
        find=lambda: _stored(session, app_id, key),
        insert=lambda: store_run(session=session, key=key, **run),
    )


class IngestQuery(TypedDict):
    """What a post says beside its file: the prompt, its version by number or by content hash,
    and the dataset (all for promptfoo files, which name no version of the portal)."""

    prompt: str | None
    version: int | None
    hash: str | None
    dataset: str | None


def ingest_run(
    *, session: Session, app: str, raw: bytes, query: IngestQuery, judging: Judging
) -> tuple[EvalRunPublic, bool]:
    """Store a run posted by CI: the portal's JSON, or a promptfoo results file.

    A promptfoo file names no prompt version of the portal: the query's ``prompt`` (and
    ``version`` or ``hash``) say which; without them the version whose template is promptfoo's prompt.
    Idempotent: a run posted again (same ``external_id`` or promptfoo ``evalId``, else the
    same content) is the stored run, returned with ``False`` (not created).
    """
    app_row = get_app(session=session, name=app)
    assert app_row.id is not None
    body = _load_json(raw)
    prompt, version, dataset = query["prompt"], query["version"], query["dataset"]
    posted: PromptfooRun | EvalRunIn
    if is_promptfoo(body):
        posted = parse_promptfoo(body)
        pv = _promptfoo_version(session, app_row, posted, prompt, version, query["hash"])
        facts = copy_into(
            RunFacts, posted, source=EvalSource.PROMPTFOO, dataset=dataset or posted.dataset
        )
    else:
        try:
            posted = EvalRunIn.model_validate(body)
        except ValidationError as exc:
            raise InvalidInputError(validation_message(exc)) from None
        if posted.finished < posted.started:
            raise InvalidInputError("finished is before started")
        pv = resolve_ref(session, app_row, posted.prompt)
        facts = copy_into(RunFacts, posted, source=EvalSource.CI, model=posted.model or pv.model)
    key = IngestKey.of(posted.external_id, body, dict(query))
    run, created = _store_once(session, app_row.id, key, version=pv, facts=facts, judging=judging)
    return to_public(session, run), created


def _promptfoo_version(
    session: Session,
    app: App,
    parsed: PromptfooRun,
    prompt: str | None,
    version: int | None,
    digest: str | None,
) -> PromptVersion:
    """The version a promptfoo file ran: named by the query, else the one whose template is
    promptfoo's prompt."""
    if not prompt:
        raise InvalidInputError("a promptfoo file needs ?prompt=<prompt name>")
    try:
        ref = PromptRef(name=prompt, version=version, hash=digest)
    except ValidationError as exc:
        raise InvalidInputError(validation_message(exc, "prompt.")) from None
    if ref.version is None and ref.hash is None:
        return _version_by_template(session, app, prompt, parsed.template)
    return resolve_ref(session, app, ref)


def _version_by_template(
    session: Session, app: App, name: str, template: str | None
) -> PromptVersion:
    versions = session.exec(
        select(PromptVersion)
        .where(PromptVersion.app_id == app.id, PromptVersion.name == name)
        .order_by(col(PromptVersion.number).desc())
    ).all()
    if not versions:
        raise NotFoundError(f"no prompt named {name!r}")
    for v in versions:
        if template is not None and v.template.strip() == template.strip():
            return v
    raise InvalidInputError(
        f"no version of {name!r} has promptfoo's prompt as its template: pass ?version= or ?hash="
    )
