"""Prompt versions: ingest (CI and cluster), labels, deploy timeline, diffs, reads."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.apps.service import get_app
from portal_api.errors import ConflictError, InvalidInputError, NotFoundError
from portal_api.evals.models import EvalRun
from portal_api.kit import identity
from portal_api.kit.identity import canonical_content
from portal_api.kit.ingest import insert_once
from portal_api.pagination import PageParams
from portal_api.prompts.models import (
    AUTHOR_ANNOTATION,
    PROMPT_LABEL,
    PROMPT_NAME_PATTERN,
    VERSIONS_ANNOTATION,
    DeploymentPublic,
    IngestedVersion,
    LabelMovePublic,
    LabelPublic,
    PromptBatch,
    PromptBatchResult,
    PromptContent,
    PromptDeployment,
    PromptDiff,
    PromptLabel,
    PromptLabelMove,
    PromptList,
    PromptPublic,
    PromptSource,
    PromptVersion,
    PromptVersionDetail,
    PromptVersionPage,
    PromptVersionSummary,
    VersionScores,
)
from portal_api.prompts.usage import UsageReader, version_usage
from portal_api.sources.models import APP_LABEL, ObjectInfo, WorkloadInfo
from portal_api.sync.models import Freshness

log = logging.getLogger(__name__)

MIN_HASH_PREFIX = 8


# --- content --------------------------------------------------------------------------------


def normalise(content: PromptContent) -> PromptContent:
    """Variables default to those the template uses; order does not make a new version."""
    return PromptContent.model_validate(canonical_content(**_content_args(content)))


def content_hash(content: PromptContent) -> str:
    """The version's identity: the hash the templates' services compute the same way."""
    return identity.content_hash(**_content_args(content))


def _content_args(content: PromptContent) -> dict[str, Any]:
    return content.model_dump(mode="json", include=_CONTENT_FIELDS)


def record_version(
    *,
    session: Session,
    app_id: int,
    name: str,
    content: PromptContent,
    source: PromptSource,
    now: dt.datetime,
    author: str | None = None,
    source_ref: str | None = None,
) -> tuple[PromptVersion, bool]:
    """The version with this content, created (numbered next) when first seen."""
    content = normalise(content)
    digest = content_hash(content)

    def find() -> PromptVersion | None:
        return session.exec(
            select(PromptVersion).where(
                PromptVersion.app_id == app_id,
                PromptVersion.name == name,
                PromptVersion.content_hash == digest,
            )
        ).first()

    def insert() -> PromptVersion:
        last = session.exec(
            select(func.max(PromptVersion.number)).where(
                PromptVersion.app_id == app_id, PromptVersion.name == name
            )
        ).one()
        version = PromptVersion(
            app_id=app_id,
            name=name,
            number=(last or 0) + 1,
            content_hash=digest,
            template=content.template,
            variables=content.variables,
            model=content.model,
            parameters=content.parameters,
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
            content=PromptContent.model_validate(item.model_dump(include=_CONTENT_FIELDS)),
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


_CONTENT_FIELDS = {"template", "variables", "model", "parameters"}


def _ref(path: str | None, commit: str | None) -> str | None:
    if path and commit:
        return f"{path}@{commit}"
    return path or (f"@{commit}" if commit else None)


# --- lookups --------------------------------------------------------------------------------


def _app_id(session: Session, app: str) -> int:
    app_id = get_app(session=session, name=app).id
    assert app_id is not None
    return app_id


def _versions(session: Session, app_id: int, name: str) -> list[PromptVersion]:
    rows = session.exec(
        select(PromptVersion)
        .where(PromptVersion.app_id == app_id, PromptVersion.name == name)
        .order_by(col(PromptVersion.number))
    ).all()
    return list(rows)


def get_version(*, session: Session, app_id: int, name: str, number: int) -> PromptVersion:
    """Raises NotFoundError when the prompt or the version does not exist."""
    version = session.exec(
        select(PromptVersion).where(
            PromptVersion.app_id == app_id,
            PromptVersion.name == name,
            PromptVersion.number == number,
        )
    ).first()
    if version is None:
        if not _versions(session, app_id, name):
            raise NotFoundError(f"no prompt named {name!r}")
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
    versions = _versions(session, app_id, name)
    if not versions:
        raise NotFoundError(f"no prompt named {name!r}")
    if digest is None:
        return versions[-1]
    matches = [v for v in versions if v.content_hash.startswith(digest)]
    if not matches:
        raise NotFoundError(f"prompt {name!r} has no version with hash {digest}")
    if len(matches) > 1:
        raise InvalidInputError(f"hash prefix {digest} matches several versions of {name!r}")
    return matches[0]


# --- reads ----------------------------------------------------------------------------------


def _labels_by_version(
    session: Session, app_id: int, name: str | None = None
) -> dict[int, list[str]]:
    query = select(PromptLabel).where(PromptLabel.app_id == app_id)
    if name is not None:
        query = query.where(PromptLabel.name == name)
    out: dict[int, list[str]] = defaultdict(list)
    for row in session.exec(query.order_by(col(PromptLabel.label))).all():
        out[row.version_id].append(row.label)
    return out


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


def version_scores(*, session: Session, version_ids: list[int]) -> dict[int, VersionScores]:
    """Mean evaluation scores and pass rate per version, over all its runs."""
    out: dict[int, VersionScores] = {}
    if not version_ids:
        return out
    runs = session.exec(
        select(EvalRun)
        .where(col(EvalRun.prompt_version_id).in_(version_ids))
        .order_by(col(EvalRun.finished), col(EvalRun.id))
    ).all()
    by_version: dict[int, list[EvalRun]] = defaultdict(list)
    for run in runs:
        by_version[run.prompt_version_id].append(run)
    for vid, items in by_version.items():
        names = sorted({k for r in items for k in r.scores})
        cases = sum(r.cases for r in items)
        out[vid] = VersionScores(
            runs=len(items),
            mean_scores={
                n: round(_mean([r.scores[n] for r in items if n in r.scores]), 4) for n in names
            },
            aggregate_score=round(_mean([r.aggregate_score for r in items]), 4),
            pass_rate=round(sum(r.passed for r in items) / cases, 4) if cases else None,
            regression=items[-1].regression,
            latest_run_id=items[-1].id,
        )
    return out


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


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
    return PromptVersionSummary(
        name=version.name,
        number=version.number,
        content_hash=version.content_hash,
        model=version.model,
        source=version.source,
        source_ref=version.source_ref,
        author=version.author,
        created=version.created,
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
    return DeploymentPublic(
        version=v.number,
        content_hash=v.content_hash,
        workload_kind=d.workload_kind,
        namespace=d.namespace,
        workload=d.workload,
        via=d.via,
        started=d.started,
        ended=d.ended,
    )


def list_prompts(
    *,
    session: Session,
    app: str,
    now: dt.datetime,
    cluster: Freshness,
    usage_reader: UsageReader | None = None,
) -> PromptList:
    """Every prompt of an app with its latest version, labels and what runs now (and, with a
    ``usage_reader``, the latest version's usage)."""
    app_id = _app_id(session, app)
    versions = session.exec(
        select(PromptVersion)
        .where(PromptVersion.app_id == app_id)
        .order_by(col(PromptVersion.name), col(PromptVersion.number))
    ).all()
    by_name: dict[str, list[PromptVersion]] = defaultdict(list)
    for v in versions:
        by_name[v.name].append(v)
    by_id = {v.id: v for v in versions if v.id is not None}
    labels = _labels_by_version(session, app_id)
    label_rows = session.exec(
        select(PromptLabel).where(PromptLabel.app_id == app_id).order_by(col(PromptLabel.label))
    ).all()
    running = _open_deployments(session, app_id)
    scores = version_scores(session=session, version_ids=list(by_id))
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
    *,
    session: Session,
    app: str,
    name: str,
    page: PageParams,
    now: dt.datetime,
    freshness: Freshness,
    usage_reader: UsageReader | None = None,
) -> PromptVersionPage:
    """Versions of one prompt, newest first."""
    app_id = _app_id(session, app)
    versions = _versions(session, app_id, name)
    if not versions:
        raise NotFoundError(f"no prompt named {name!r}")
    ordered = list(reversed(versions))
    window = ordered[page.offset : page.offset + page.limit]
    labels = _labels_by_version(session, app_id, name)
    running = _open_deployments(session, app_id, name)
    scores = version_scores(session=session, version_ids=[v.id for v in window if v.id])
    return PromptVersionPage(
        items=[_summary(session, v, labels, running, scores, now, usage_reader) for v in window],
        total=len(versions),
        limit=page.limit,
        offset=page.offset,
        freshness=freshness,
    )


def version_detail(
    *,
    session: Session,
    app: str,
    name: str,
    number: int,
    now: dt.datetime,
    freshness: Freshness,
    usage_reader: UsageReader | None = None,
) -> PromptVersionDetail:
    """One version with its content and its deploy timeline."""
    app_id = _app_id(session, app)
    version = get_version(session=session, app_id=app_id, name=name, number=number)
    assert version.id is not None
    labels = _labels_by_version(session, app_id, name)
    running = _open_deployments(session, app_id, name)
    scores = version_scores(session=session, version_ids=[version.id])
    deployments = session.exec(
        select(PromptDeployment)
        .where(PromptDeployment.version_id == version.id)
        .order_by(col(PromptDeployment.started).desc())
    ).all()
    summary = _summary(session, version, labels, running, scores, now, usage_reader)
    return PromptVersionDetail(
        **summary.model_dump(),
        template=version.template,
        variables=version.variables,
        parameters=version.parameters,
        deployments=[_deployment_public(d, {version.id: version}) for d in deployments],
        freshness=freshness,
    )


def deploy_timeline(
    *, session: Session, app: str, name: str, namespace: str | None = None
) -> list[DeploymentPublic]:
    """Which version ran in which workload, when: newest first."""
    app_id = _app_id(session, app)
    versions = {v.id: v for v in _versions(session, app_id, name) if v.id is not None}
    if not versions:
        raise NotFoundError(f"no prompt named {name!r}")
    query = select(PromptDeployment).where(
        PromptDeployment.app_id == app_id, PromptDeployment.name == name
    )
    if namespace is not None:
        query = query.where(PromptDeployment.namespace == namespace)
    rows = session.exec(
        query.order_by(col(PromptDeployment.started).desc(), col(PromptDeployment.id).desc())
    ).all()
    return [_deployment_public(d, versions) for d in rows]


def _settings_text(version: PromptVersion) -> list[str]:
    body = {
        "model": version.model,
        "variables": version.variables,
        "parameters": version.parameters,
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False).splitlines(keepends=True)


def diff_versions(
    *, session: Session, app: str, name: str, number: int, against: int, freshness: Freshness
) -> PromptDiff:
    """Unified diff of template and settings from version ``against`` to ``number``."""
    app_id = _app_id(session, app)
    new = get_version(session=session, app_id=app_id, name=name, number=number)
    old = get_version(session=session, app_id=app_id, name=name, number=against)
    template_diff = "".join(
        difflib.unified_diff(
            old.template.splitlines(keepends=True),
            new.template.splitlines(keepends=True),
            fromfile=f"{name}@v{old.number}/template",
            tofile=f"{name}@v{new.number}/template",
        )
    )
    parameters_diff = "".join(
        difflib.unified_diff(
            _settings_text(old),
            _settings_text(new),
            fromfile=f"{name}@v{old.number}/settings",
            tofile=f"{name}@v{new.number}/settings",
        )
    )
    changed = [
        f
        for f in ("template", "variables", "model", "parameters")
        if getattr(old, f) != getattr(new, f)
    ]
    return PromptDiff(
        name=name,
        from_version=old.number,
        to_version=new.number,
        template_diff=template_diff,
        parameters_diff=parameters_diff,
        changed=changed,
        freshness=freshness,
    )


# --- labels ---------------------------------------------------------------------------------


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
    app_id = _app_id(session, app)
    version = get_version(session=session, app_id=app_id, name=name, number=number)
    assert version.id is not None
    row = session.exec(
        select(PromptLabel).where(
            PromptLabel.app_id == app_id, PromptLabel.name == name, PromptLabel.label == label
        )
    ).first()
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
    app_id = _app_id(session, app)
    numbers = {v.id: v.number for v in _versions(session, app_id, name)}
    if not numbers:
        raise NotFoundError(f"no prompt named {name!r}")
    query = select(PromptLabelMove).where(
        PromptLabelMove.app_id == app_id, PromptLabelMove.name == name
    )
    if label is not None:
        query = query.where(PromptLabelMove.label == label)
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


# --- the cluster ----------------------------------------------------------------------------

_CONTENT_KEYS = ("prompt.yaml", "prompt.yml", "prompt.json")
_TEMPLATE_KEYS = ("template", "prompt", "prompt.txt", "prompt.md", "system")
_NAME = re.compile(PROMPT_NAME_PATTERN)


class PromptConfigMapError(ValueError):
    pass


def parse_config_map(obj: ObjectInfo) -> tuple[str, PromptContent]:
    """The prompt name and content of a ConfigMap labelled ``genai-portal.io/prompt``.

    The content is either one ``prompt.yaml`` (or .yml/.json) key holding ``template``,
    ``variables``, ``model`` and ``parameters``, or separate keys: ``template`` (or
    ``prompt``, ``prompt.txt``, ``prompt.md``), ``model``, ``variables`` (comma-separated or
    a YAML list) and ``parameters`` (YAML or JSON mapping).

    Raises:
        PromptConfigMapError: the ConfigMap holds no usable prompt.
    """
    name = obj.labels.get(PROMPT_LABEL, "")
    if not _NAME.match(name):
        raise PromptConfigMapError(f"label {PROMPT_LABEL}={name!r} is not a prompt name")
    data: dict[str, Any] = dict(obj.body.get("data") or {})
    raw: dict[str, Any]
    key = next((k for k in _CONTENT_KEYS if k in data), None)
    try:
        if key is not None:
            loaded = yaml.safe_load(data[key])
            if not isinstance(loaded, dict):
                raise PromptConfigMapError(f"{key} is not a mapping")
            raw = loaded
        else:
            template_key = next((k for k in _TEMPLATE_KEYS if k in data), None)
            if template_key is None:
                raise PromptConfigMapError(
                    f"no prompt.yaml and no template key ({', '.join(_TEMPLATE_KEYS)})"
                )
            raw = {"template": data[template_key], "model": data.get("model")}
            if "variables" in data:
                loaded = yaml.safe_load(data["variables"])
                raw["variables"] = (
                    [v.strip() for v in loaded.split(",") if v.strip()]
                    if isinstance(loaded, str)
                    else loaded
                )
            if "parameters" in data:
                raw["parameters"] = yaml.safe_load(data["parameters"]) or {}
        return name, PromptContent.model_validate(
            {
                k: raw.get(k)
                for k in ("template", "variables", "model", "parameters")
                if raw.get(k) is not None
            }
        )
    except yaml.YAMLError:
        raise PromptConfigMapError("prompt content is not valid YAML") from None
    except ValueError as exc:
        if isinstance(exc, PromptConfigMapError):
            raise
        raise PromptConfigMapError(f"invalid prompt content: {exc}") from None


def parse_versions_annotation(value: str) -> dict[str, str]:
    """``name=hash,name=hash`` -> {name: hash}; malformed entries are skipped."""
    out: dict[str, str] = {}
    for part in value.split(","):
        name, sep, digest = part.strip().partition("=")
        digest = digest.strip().lower().removeprefix("sha256:")
        if sep and _NAME.match(name.strip()) and re.fullmatch(r"[0-9a-f]{8,64}", digest):
            out[name.strip()] = digest
    return out


@dataclass
class PromptSyncResult:
    config_maps: int = 0
    invalid: list[str] = field(default_factory=list)
    versions_created: int = 0
    deployments_started: int = 0
    deployments_ended: int = 0
    unresolved: list[str] = field(default_factory=list)


def sync_prompts(
    *,
    session: Session,
    config_maps: list[ObjectInfo],
    workloads: list[WorkloadInfo],
    now: dt.datetime,
) -> PromptSyncResult:
    """Record the versions the cluster holds and bring the deploy timeline up to date."""
    result = PromptSyncResult(config_maps=len(config_maps))
    apps = {a.name: a.id for a in session.exec(select(App)).all() if a.id is not None}
    # Which app a ConfigMap belongs to: its own app label, else the workloads that use it.
    users: dict[tuple[str, str], set[str]] = defaultdict(set)
    for w in workloads:
        for cm in w.config_maps:
            users[(w.namespace, cm)].add(w.app_id)

    # (namespace, configmap name, app id) -> (prompt name, version)
    by_config_map: dict[tuple[str, str, int], tuple[str, PromptVersion]] = {}
    for obj in sorted(config_maps, key=lambda o: (o.namespace or "", o.name)):
        ref = f"{obj.namespace}/{obj.name}"
        try:
            name, content = parse_config_map(obj)
        except PromptConfigMapError as exc:
            log.warning("prompt ConfigMap %s skipped: %s", ref, exc)
            result.invalid.append(f"{ref}: {exc}")
            continue
        owners = (
            {obj.labels[APP_LABEL]}
            if obj.labels.get(APP_LABEL)
            else users.get((obj.namespace or "", obj.name), set())
        )
        known = sorted(o for o in owners if o in apps)
        if not known:
            result.invalid.append(f"{ref}: no known app (label {APP_LABEL} or a workload using it)")
            continue
        for app_name in known:
            version, created = record_version(
                session=session,
                app_id=apps[app_name],
                name=name,
                content=content,
                source=PromptSource.KUBERNETES,
                now=now,
                author=obj.annotations.get(AUTHOR_ANNOTATION),
                source_ref=f"configmap/{ref}",
            )
            result.versions_created += int(created)
            by_config_map[(obj.namespace or "", obj.name, apps[app_name])] = (name, version)

    # What each workload runs now: (kind, ns, name) -> {prompt: (version_id, via)}
    current: dict[tuple[str, str, str], dict[str, tuple[int, str]]] = {}
    workload_app: dict[tuple[str, str, str], int] = {}
    for w in workloads:
        app_id = apps.get(w.app_id)
        if app_id is None:
            continue
        key = (w.kind, w.namespace, w.name)
        workload_app[key] = app_id
        running: dict[str, tuple[int, str]] = {}
        for cm in sorted(w.config_maps):
            found = by_config_map.get((w.namespace, cm, app_id))
            if found is not None and found[1].id is not None:
                running[found[0]] = (found[1].id, "configmap")
        annotation = w.annotations.get(VERSIONS_ANNOTATION) or w.pod_annotations.get(
            VERSIONS_ANNOTATION
        )
        for name, digest in parse_versions_annotation(annotation or "").items():
            matches = session.exec(
                select(PromptVersion).where(
                    PromptVersion.app_id == app_id,
                    PromptVersion.name == name,
                    col(PromptVersion.content_hash).startswith(digest),
                )
            ).all()
            if len(matches) == 1 and matches[0].id is not None:
                # The annotation is explicit: it wins over a mounted ConfigMap.
                running[name] = (matches[0].id, "annotation")
            else:
                result.unresolved.append(f"{w.namespace}/{w.name}: {name}={digest}")
        current[key] = running

    open_rows = session.exec(
        select(PromptDeployment).where(col(PromptDeployment.ended).is_(None))
    ).all()
    open_by_key: dict[tuple[str, str, str], dict[str, PromptDeployment]] = defaultdict(dict)
    for row in open_rows:
        open_by_key[(row.workload_kind, row.namespace, row.workload)][row.name] = row
    for key, rows in open_by_key.items():
        running = current.get(key, {})
        for name, row in rows.items():
            now_running = running.get(name)
            if now_running is None or now_running[0] != row.version_id:
                row.ended = now
                session.add(row)
                result.deployments_ended += 1
    for key, running in current.items():
        for name, (version_id, via) in running.items():
            row_open = open_by_key.get(key, {}).get(name)
            if row_open is not None and row_open.version_id == version_id:
                if row_open.via != via:
                    row_open.via = via
                    session.add(row_open)
                continue
            session.add(
                PromptDeployment(
                    app_id=workload_app[key],
                    name=name,
                    version_id=version_id,
                    workload_kind=key[0],
                    namespace=key[1],
                    workload=key[2],
                    via=via,
                    started=now,
                )
            )
            result.deployments_started += 1
    session.flush()
    return result
