"""Reading prompts: the list, versions with their scores and usage, deploy timeline, diffs."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from portal_api.kit.fields import copy_into
from portal_api.pagination import PageParams, paginate
from portal_api.prompts.labels import labels_by_version
from portal_api.prompts.models import (
    DeploymentPublic,
    LabelPublic,
    PromptDeployment,
    PromptDiff,
    PromptLabel,
    PromptList,
    PromptPublic,
    PromptVersion,
    PromptVersionDetail,
    PromptVersionPage,
    PromptVersionSummary,
    VersionScores,
)
from portal_api.prompts.readers import ScoreReader
from portal_api.prompts.usage import UsageReader, version_usage
from portal_api.prompts.versions import app_id_of, existing_versions, get_version, of_prompt
from portal_api.sync.models import Freshness


def _open_deployments(
    session: Session, app_id: int, name: str | None = None
) -> list[PromptDeployment]:
    query = select(PromptDeployment).where(
        PromptDeployment.app_id == app_id, col(PromptDeployment.ended).is_(None)
    )
    if name is not None:
        query = query.where(PromptDeployment.name == name)
    return list(
        session.exec(
            query.order_by(col(PromptDeployment.namespace), col(PromptDeployment.workload))
        ).all()
    )


def _scores(
    reader: ScoreReader | None, session: Session, version_ids: list[int]
) -> dict[int, VersionScores]:
    return {} if reader is None else reader(session=session, version_ids=version_ids)


def _windows(
    session: Session, version_id: int, now: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    rows = session.exec(
        select(PromptDeployment).where(PromptDeployment.version_id == version_id)
    ).all()
    return [(r.started, r.ended or now) for r in rows]


def _summary(
    session: Session,
    version: PromptVersion,
    labels: dict[int, list[str]],
    running: list[PromptDeployment],
    scores: dict[int, VersionScores],
    now: dt.datetime,
    usage_reader: UsageReader | None,
) -> PromptVersionSummary:
    assert version.id is not None
    return copy_into(
        PromptVersionSummary,
        version,
        labels=labels.get(version.id, []),
        running_in=sorted(
            {f"{d.namespace}/{d.workload}" for d in running if d.version_id == version.id}
        ),
        scores=scores.get(version.id, VersionScores()),
        # No query for the deploy windows without a usage reader.
        usage=None
        if usage_reader is None
        else version_usage(
            session=session,
            app_id=version.app_id,
            model=version.model,
            windows=_windows(session, version.id, now),
            reader=usage_reader,
        ),
    )


def _deployment_public(d: PromptDeployment, versions: dict[int, PromptVersion]) -> DeploymentPublic:
    v = versions[d.version_id]
    return copy_into(DeploymentPublic, d, version=v.number, content_hash=v.content_hash)


@dataclass(frozen=True)
class VersionRead:
    """What a read of prompt versions is computed against: the transaction, the time, and the
    readers of usage and scores (without them, usage and scores are null)."""

    session: Session
    now: dt.datetime
    usage_reader: UsageReader | None = None
    score_reader: ScoreReader | None = None


def list_prompts(read: VersionRead, *, app: str, cluster: Freshness) -> PromptList:
    """Every prompt of an app with its latest version, labels and what runs now (and, with
    the read's readers, the latest version's usage and scores)."""
    session, now = read.session, read.now
    usage_reader, score_reader = read.usage_reader, read.score_reader
    app_id = app_id_of(session, app)
    versions = session.exec(
        select(PromptVersion)
        .where(PromptVersion.app_id == app_id)
        .order_by(col(PromptVersion.name), col(PromptVersion.number))
    ).all()
    by_name: dict[str, list[PromptVersion]] = defaultdict(list)
    for v in versions:
        by_name[v.name].append(v)
    by_id = {v.id: v for v in versions if v.id is not None}
    labels = labels_by_version(session, app_id)
    label_rows = session.exec(
        select(PromptLabel).where(PromptLabel.app_id == app_id).order_by(col(PromptLabel.label))
    ).all()
    running = _open_deployments(session, app_id)
    scores = _scores(score_reader, session, list(by_id))
    out = []
    for name, items in by_name.items():
        latest = items[-1]
        ids = {v.id for v in items}
        out.append(
            PromptPublic(
                name=name,
                versions=len(items),
                latest=_summary(session, latest, labels, running, scores, now, usage_reader),
                labels=[
                    LabelPublic(
                        label=row.label,
                        version=by_id[row.version_id].number,
                        updated=row.updated,
                        updated_by=row.updated_by,
                    )
                    for row in label_rows
                    if row.name == name
                ],
                running=[_deployment_public(d, by_id) for d in running if d.version_id in ids],
                regression=_open_regression(items, scores),
            )
        )
    return PromptList(
        prompts=out,
        cluster=cluster,
    )


def _open_regression(versions: list[PromptVersion], scores: dict[int, VersionScores]) -> bool:
    """Whether the newest evaluated version's latest run regressed (a later fix clears it)."""
    for version in reversed(versions):
        if version.id in scores:
            return scores[version.id].regression
    return False


def list_versions(
    read: VersionRead, *, app: str, name: str, page: PageParams, freshness: Freshness
) -> PromptVersionPage:
    """Versions of one prompt, newest first."""
    session, now, usage_reader = read.session, read.now, read.usage_reader
    app_id = app_id_of(session, app)
    window = paginate(list(reversed(existing_versions(session, app_id, name))), page)
    labels = labels_by_version(session, app_id, name)
    running = _open_deployments(session, app_id, name)
    scores = _scores(read.score_reader, session, [v.id for v in window.rows if v.id])
    return copy_into(
        PromptVersionPage,
        window,
        items=[
            _summary(session, v, labels, running, scores, now, usage_reader) for v in window.rows
        ],
        freshness=freshness,
    )


def version_detail(
    read: VersionRead, *, app: str, name: str, number: int, freshness: Freshness
) -> PromptVersionDetail:
    """One version with its content and its deploy timeline."""
    session, now, usage_reader = read.session, read.now, read.usage_reader
    app_id = app_id_of(session, app)
    version = get_version(session=session, app_id=app_id, name=name, number=number)
    assert version.id is not None
    labels = labels_by_version(session, app_id, name)
    running = _open_deployments(session, app_id, name)
    scores = _scores(read.score_reader, session, [version.id])
    deployments = session.exec(
        select(PromptDeployment)
        .where(PromptDeployment.version_id == version.id)
        .order_by(col(PromptDeployment.started).desc())
    ).all()
    summary = _summary(session, version, labels, running, scores, now, usage_reader)
    return copy_into(
        PromptVersionDetail,
        version,
        **summary.model_dump(),
        deployments=[_deployment_public(d, {version.id: version}) for d in deployments],
        freshness=freshness,
    )


def deploy_timeline(
    *, session: Session, app: str, name: str, namespace: str | None = None
) -> list[DeploymentPublic]:
    """Which version ran in which workload, when: newest first."""
    app_id = app_id_of(session, app)
    versions = {v.id: v for v in existing_versions(session, app_id, name) if v.id is not None}
    query = of_prompt(PromptDeployment, app_id, name, namespace=namespace)
    rows = session.exec(
        query.order_by(col(PromptDeployment.started).desc(), col(PromptDeployment.id).desc())
    ).all()
    return [_deployment_public(d, versions) for d in rows]


def _template_text(version: PromptVersion) -> list[str]:
    return version.template.splitlines(keepends=True)


def _settings_text(version: PromptVersion) -> list[str]:
    body = {
        "model": version.model,
        "variables": version.variables,
        "parameters": version.parameters,
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False).splitlines(keepends=True)


def _unified_diff(
    name: str,
    old: PromptVersion,
    new: PromptVersion,
    part: str,
    text: Callable[[PromptVersion], list[str]],
) -> str:
    """The unified diff of one part (``template``, ``settings``) of two versions."""
    return "".join(
        difflib.unified_diff(
            text(old),
            text(new),
            fromfile=f"{name}@v{old.number}/{part}",
            tofile=f"{name}@v{new.number}/{part}",
        )
    )


def diff_versions(
    *, session: Session, app: str, name: str, number: int, against: int, freshness: Freshness
) -> PromptDiff:
    """Unified diff of template and settings from version ``against`` to ``number``."""
    app_id = app_id_of(session, app)
    new = get_version(session=session, app_id=app_id, name=name, number=number)
    old = get_version(session=session, app_id=app_id, name=name, number=against)
    return PromptDiff(
        name=name,
        from_version=old.number,
        to_version=new.number,
        template_diff=_unified_diff(name, old, new, "template", _template_text),
        parameters_diff=_unified_diff(name, old, new, "settings", _settings_text),
        changed=[f for f in _DIFFED if getattr(old, f) != getattr(new, f)],
        freshness=freshness,
    )


# The fields a diff names when they differ.
_DIFFED = ("template", "variables", "model", "parameters")
