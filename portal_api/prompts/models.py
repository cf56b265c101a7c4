"""Prompt versions (immutable), labels that point at them, and which version ran where, when."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, field_validator
from sqlalchemy import JSON, Column, String, Text, UniqueConstraint
from sqlmodel import Field

from portal_api.apps.models import AppRow
from portal_api.db import MAX_ID as MAX_ID  # re-exported: routes import the bound here
from portal_api.db import UTCDateTime, utcnow
from portal_api.kit import templates
from portal_api.pagination import Page
from portal_api.sync.models import Freshness

# Prompt and label names: a ConfigMap label value is at most 63 chars of [A-Za-z0-9._-].
PROMPT_NAME_PATTERN = r"^[a-zA-Z0-9](?:[a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$"
LABEL_PATTERN = PROMPT_NAME_PATTERN
PROMPT_LABEL = "genai-portal.io/prompt"
VERSIONS_ANNOTATION = "genai-portal.io/prompt-versions"
AUTHOR_ANNOTATION = "genai-portal.io/author"
MAX_TEMPLATE_CHARS = 200_000


class PromptSource(StrEnum):
    CI = "ci"
    KUBERNETES = "kubernetes"
    DEMO = "demo"


class PromptContent(BaseModel):
    """What a version is: the hash covers exactly these fields."""

    template: str = Field(min_length=1, max_length=MAX_TEMPLATE_CHARS)
    variables: list[str] = Field(default_factory=list, max_length=200)
    model: str | None = Field(default=None, max_length=200)
    parameters: dict[str, Any] = Field(default_factory=dict)

    @field_validator("template")
    @classmethod
    def _renderable(cls, value: str) -> str:
        # The one template language (Jinja2): a template that does not parse is refused.
        templates.variables(value)
        return value


class PromptVersion(AppRow, table=True):
    __tablename__ = "prompt_version"
    __table_args__ = (
        UniqueConstraint("app_id", "name", "content_hash"),
        UniqueConstraint("app_id", "name", "number"),
    )

    name: str = Field(max_length=63)
    number: int
    content_hash: str = Field(max_length=64, index=True)
    template: str = Field(sa_column=Column(Text, nullable=False))
    variables: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    model: str | None = Field(default=None, max_length=200)
    parameters: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    source: PromptSource = Field(sa_type=String(20))
    source_ref: str | None = Field(default=None, max_length=500)
    author: str | None = Field(default=None, max_length=200)
    created: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PromptLabel(AppRow, table=True):
    """A movable pointer (``production``, ``staging``, ...) at one version of a prompt."""

    __tablename__ = "prompt_label"
    __table_args__ = (UniqueConstraint("app_id", "name", "label"),)

    name: str = Field(max_length=63)
    label: str = Field(max_length=63)
    version_id: int = Field(foreign_key="prompt_version.id")
    updated: dt.datetime = Field(sa_type=UTCDateTime)
    updated_by: str | None = Field(default=None, max_length=100)


class PromptLabelMove(AppRow, table=True):
    """One move of a label: the history that makes a rollback a move back."""

    __tablename__ = "prompt_label_move"

    name: str = Field(max_length=63)
    label: str = Field(max_length=63)
    from_version_id: int | None = Field(default=None, foreign_key="prompt_version.id")
    to_version_id: int = Field(foreign_key="prompt_version.id")
    moved: dt.datetime = Field(sa_type=UTCDateTime)
    moved_by: str | None = Field(default=None, max_length=100)
    reason: str | None = Field(default=None, max_length=500)


class PromptDeployment(AppRow, table=True):
    """A version running in one workload from ``started`` until ``ended`` (open: still runs)."""

    __tablename__ = "prompt_deployment"

    name: str = Field(max_length=63)
    version_id: int = Field(foreign_key="prompt_version.id", index=True)
    workload_kind: str = Field(max_length=20)
    namespace: str = Field(max_length=63)
    workload: str = Field(max_length=253)
    via: str = Field(max_length=20)  # configmap | annotation
    started: dt.datetime = Field(sa_type=UTCDateTime)
    ended: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- API shapes ---------------------------------------------------------------------------


class PromptFile(PromptContent):
    """One prompt file as CI posts it."""

    name: str = Field(max_length=63, schema_extra={"pattern": PROMPT_NAME_PATTERN})
    path: str | None = Field(default=None, max_length=500, description="File in the repository")


class PromptBatch(BaseModel):
    """CI posts every prompt file of a commit at once; unchanged content is not a new version."""

    prompts: list[PromptFile] = Field(min_length=1, max_length=500)
    author: str | None = Field(default=None, max_length=200)
    commit: str | None = Field(default=None, max_length=100)

    @field_validator("prompts")
    @classmethod
    def _unique_names(cls, value: list[PromptFile]) -> list[PromptFile]:
        names = [p.name for p in value]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"prompt names repeat in one batch: {', '.join(duplicates)}")
        return value


class IngestedVersion(BaseModel):
    name: str
    number: int
    content_hash: str
    created: bool  # False: this content was known already


class PromptBatchResult(BaseModel):
    versions: list[IngestedVersion]


class VersionScores(BaseModel):
    """Evaluation results of a version: the mean over its runs' aggregate scores."""

    runs: int = 0
    mean_scores: dict[str, float] = Field(default_factory=dict)
    aggregate_score: float | None = None
    pass_rate: float | None = None
    regression: bool = False
    latest_run_id: int | None = None


class VersionUsage(BaseModel):
    """Tokens and cost per request while the version ran (null when usage is unknown)."""

    requests: int
    input_tokens_per_request: float
    output_tokens_per_request: float
    cost_per_request: str | None  # Decimal as a string: exact


class PromptVersionSummary(BaseModel):
    name: str
    number: int
    content_hash: str
    model: str | None
    source: PromptSource
    source_ref: str | None
    author: str | None
    created: dt.datetime
    labels: list[str]
    running_in: list[str]  # "namespace/workload" running it now
    scores: VersionScores
    usage: VersionUsage | None


class DeploymentPublic(BaseModel):
    version: int
    content_hash: str
    workload_kind: str
    namespace: str
    workload: str
    via: str
    started: dt.datetime
    ended: dt.datetime | None


class PromptVersionDetail(PromptVersionSummary):
    template: str
    variables: list[str]
    parameters: dict[str, Any]
    deployments: list[DeploymentPublic]
    freshness: Freshness  # the cluster: where the version runs


class LabelPublic(BaseModel):
    label: str
    version: int
    updated: dt.datetime
    updated_by: str | None


class PromptPublic(BaseModel):
    name: str
    versions: int
    latest: PromptVersionSummary
    labels: list[LabelPublic]
    running: list[DeploymentPublic]
    regression: bool


class PromptList(BaseModel):
    prompts: list[PromptPublic]
    # What runs now is read from the cluster: how fresh that reading is.
    cluster: Freshness


class LabelMove(BaseModel):
    version: int = Field(ge=1, le=MAX_ID)
    reason: str | None = Field(default=None, max_length=500)


class LabelMovePublic(BaseModel):
    label: str
    from_version: int | None
    to_version: int
    moved: dt.datetime
    moved_by: str | None
    reason: str | None


class PromptDiff(BaseModel):
    name: str
    from_version: int
    to_version: int
    template_diff: str
    parameters_diff: str
    changed: list[str]  # which fields differ: template, variables, model, parameters
    freshness: Freshness  # the cluster, whose ConfigMaps add versions


class PromptVersionPage(Page[PromptVersionSummary]):
    freshness: Freshness  # the cluster: versions from ConfigMaps, what runs where
