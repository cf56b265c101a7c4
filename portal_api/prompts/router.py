"""Routes of prompt versions, labels and diffs."""

from __future__ import annotations

from typing import Annotated, TypedDict

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlmodel import Session

from portal_api.apps.models import NAMESPACE_PATTERN
from portal_api.db import utcnow
from portal_api.deps import IngestCaller, PageDep, ReadCaller, SessionDep, SettingsDep
from portal_api.params import AdminWriteDep, AppName
from portal_api.prompts import labels, service, versions
from portal_api.prompts.models import (
    LABEL_PATTERN,
    MAX_ID,
    PROMPT_NAME_PATTERN,
    DeploymentPublic,
    LabelMove,
    LabelMovePublic,
    LabelPublic,
    PromptBatch,
    PromptBatchResult,
    PromptDiff,
    PromptList,
    PromptVersionDetail,
    PromptVersionPage,
)
from portal_api.prompts.readers import PromptReaders, ScoreReader
from portal_api.prompts.usage import UsageReader
from portal_api.sync.deps import KubernetesFreshness

router = APIRouter(prefix="/apps/{app}/prompts", tags=["prompts"])

PromptName = Annotated[
    str, Path(min_length=1, max_length=63, pattern=PROMPT_NAME_PATTERN, description="Prompt name")
]
LabelName = Annotated[
    str, Path(min_length=1, max_length=63, pattern=LABEL_PATTERN, description="Label name")
]
Number = Annotated[int, Path(ge=1, le=MAX_ID, description="Version number")]


def _readers(request: Request) -> PromptReaders:
    readers: PromptReaders = request.app.state.prompt_readers
    return readers


def get_usage_reader(request: Request, settings: SettingsDep) -> UsageReader:
    """Per-version usage from the usage rollups, priced with the configured prices."""
    return _readers(request).usage(settings)


def get_score_reader(request: Request) -> ScoreReader:
    """Per-version evaluation scores, from the evaluation runs."""
    return _readers(request).scores


UsageReaderDep = Annotated[UsageReader, Depends(get_usage_reader)]
ScoreReaderDep = Annotated[ScoreReader, Depends(get_score_reader)]


def version_read(
    session: SessionDep, usage: UsageReaderDep, scores: ScoreReaderDep, _: ReadCaller
) -> service.VersionRead:
    return service.VersionRead(session, utcnow(), usage, scores)


VersionReadDep = Annotated[service.VersionRead, Depends(version_read)]


class PromptRead(TypedDict):
    """A read of one prompt's history: the transaction, and which prompt of which app."""

    session: Session
    app: str
    name: str


def prompt_read(session: SessionDep, _: ReadCaller, app: AppName, name: PromptName) -> PromptRead:
    return PromptRead(session=session, app=app, name=name)


PromptReadDep = Annotated[PromptRead, Depends(prompt_read)]


@router.get("", response_model=PromptList)
def list_prompts(read: VersionReadDep, cluster: KubernetesFreshness, app: AppName) -> PromptList:
    """Prompts of an app: latest version, labels, what runs now, regression flag."""
    return service.list_prompts(read, cluster=cluster, app=app)


@router.post(
    "",
    response_model=PromptBatchResult,
    responses={409: {"description": "Another push created a version of the prompt meanwhile"}},
)
def ingest_prompts(
    session: SessionDep, _: IngestCaller, app: AppName, batch: PromptBatch
) -> PromptBatchResult:
    """Record the prompt files of a CI build; content seen before is the same version."""
    return versions.ingest_batch(session=session, app=app, batch=batch, now=utcnow())


@router.get("/{name}/versions", response_model=PromptVersionPage)
def list_versions(
    read: VersionReadDep, fresh: KubernetesFreshness, app: AppName, name: PromptName, page: PageDep
) -> PromptVersionPage:
    """Versions of a prompt, newest first, with scores, usage and labels."""
    return service.list_versions(read, freshness=fresh, app=app, name=name, page=page)


@router.get("/{name}/versions/{number}", response_model=PromptVersionDetail)
def get_version(
    read: VersionReadDep, fresh: KubernetesFreshness, app: AppName, name: PromptName, number: Number
) -> PromptVersionDetail:
    """One version: content, scores, usage and its deploy timeline."""
    return service.version_detail(read, freshness=fresh, app=app, name=name, number=number)


@router.get("/{name}/versions/{number}/diff", response_model=PromptDiff)
def diff_version(
    session: SessionDep,
    fresh: KubernetesFreshness,
    _: ReadCaller,
    app: AppName,
    name: PromptName,
    number: Number,
    against: Annotated[int, Query(ge=1, le=MAX_ID, description="The version to compare with")],
) -> PromptDiff:
    """Unified diff of template and parameters between two versions."""
    return service.diff_versions(
        session=session, app=app, name=name, number=number, against=against, freshness=fresh
    )


@router.get("/{name}/timeline", response_model=list[DeploymentPublic])
def deploy_timeline(
    read: PromptReadDep,
    _fresh: KubernetesFreshness,  # a list: its marker is the X-Portal-Stale header
    namespace: Annotated[str | None, Query(max_length=63, pattern=NAMESPACE_PATTERN)] = None,
) -> list[DeploymentPublic]:
    """Which version ran in which workload, when (newest first): the deploy timeline."""
    return service.deploy_timeline(**read, namespace=namespace)


@router.put("/{name}/labels/{label}", response_model=LabelPublic)
def move_label(
    write: AdminWriteDep, app: AppName, name: PromptName, label: LabelName, move: LabelMove
) -> LabelPublic:
    """Point a label at a version; moving it back is a rollback."""
    return labels.move_label(
        **write, app=app, name=name, label=label, number=move.version, reason=move.reason
    )


@router.get("/{name}/labels/history", response_model=list[LabelMovePublic])
def label_history(
    read: PromptReadDep,
    label: Annotated[str | None, Query(max_length=63, pattern=LABEL_PATTERN)] = None,
) -> list[LabelMovePublic]:
    """Every move of the prompt's labels, newest first."""
    return labels.label_history(**read, label=label)
