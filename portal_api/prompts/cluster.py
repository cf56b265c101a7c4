"""Prompts in the cluster: ConfigMaps labelled ``genai-portal.io/prompt`` parsed into versions,
and the deploy timeline of what each workload runs."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.prompts.models import (
    AUTHOR_ANNOTATION,
    PROMPT_LABEL,
    PROMPT_NAME_PATTERN,
    VERSIONS_ANNOTATION,
    PromptContent,
    PromptDeployment,
    PromptSource,
    PromptVersion,
)
from portal_api.prompts.versions import record_version
from portal_api.sources.models import APP_LABEL, ObjectInfo, WorkloadInfo

log = logging.getLogger(__name__)


_CONTENT_KEYS = ("prompt.yaml", "prompt.yml", "prompt.json")


_TEMPLATE_KEYS = ("template", "prompt", "prompt.txt", "prompt.md", "system")


_NAME = re.compile(PROMPT_NAME_PATTERN)

WorkloadKey = tuple[str, str, str]  # kind, namespace, name


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


def started_deployment(
    app_id: int, name: str, version_id: int, key: WorkloadKey, via: str, now: dt.datetime
) -> PromptDeployment:
    """A version of a prompt that starts running now in the workload ``key``."""
    return PromptDeployment(
        app_id=app_id,
        name=name,
        version_id=version_id,
        workload_kind=key[0],
        namespace=key[1],
        workload=key[2],
        via=via,
        started=now,
    )


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
            session.add(started_deployment(workload_app[key], name, version_id, key, via, now))
            result.deployments_started += 1
    session.flush()
    return result
