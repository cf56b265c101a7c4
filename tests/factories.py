"""Plain factory functions: Kubernetes objects as the API server returns them, and rows."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict, Unpack

from sqlmodel import Session

from portal_api.apps.models import App, AppOrigin
from portal_api.db import utcnow
from portal_api.evals.models import EvalRun, EvalSource
from portal_api.prompts.models import PromptContent, PromptDeployment, PromptSource, PromptVersion
from portal_api.prompts.versions import record_version

APP_LABEL = "backstage.io/kubernetes-id"


def container(
    name: str = "app",
    image: str = "registry.example.com/team/app@sha256:" + "a" * 64,
    *,
    env: list[dict[str, Any]] | None = None,
    resources: dict[str, Any] | None = None,
    security_context: dict[str, Any] | None = None,
    readiness: bool = True,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": name,
        "image": image,
        "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
        "env": env if env is not None else [],
        "resources": resources
        if resources is not None
        else {
            "requests": {"cpu": "100m", "memory": "256Mi"},
            "limits": {"cpu": "1", "memory": "512Mi"},
        },
        "securityContext": security_context
        if security_context is not None
        else {
            "runAsNonRoot": True,
            "readOnlyRootFilesystem": True,
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
        },
        "terminationMessagePath": "/dev/termination-log",
        "imagePullPolicy": "IfNotPresent",
    }
    if readiness:
        spec["readinessProbe"] = {
            "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
            "periodSeconds": 10,
        }
    return spec


def _template(
    app_id: str | None,
    containers: list[dict[str, Any]] | None,
    volumes: list[dict[str, Any]] | None,
    pod_annotations: dict[str, str] | None,
) -> dict[str, Any]:
    labels = {"app.kubernetes.io/name": app_id or "x"}
    if app_id:
        labels[APP_LABEL] = app_id
    return {
        "metadata": {"labels": labels, "annotations": pod_annotations or {}},
        "spec": {
            "containers": containers or [container()],
            "volumes": volumes or [],
            "restartPolicy": "Always",
            "serviceAccountName": "default",
        },
    }


class ObjectFields(TypedDict, total=False):
    """What every object factory puts in the object's metadata besides its name and namespace."""

    labels: dict[str, str]
    annotations: dict[str, str]


class WorkloadFields(ObjectFields, total=False):
    """What every workload factory takes (Deployment, StatefulSet, Knative Service)."""

    app_id: str  # the app label's value: the object's name when not given, "" for no label
    containers: list[dict[str, Any]]


def _metadata(name: str, namespace: str, fields: ObjectFields, app_id: str = "") -> dict[str, Any]:
    """An object's metadata, labelled as ``app_id``'s when one is given."""
    return {
        "name": name,
        "namespace": namespace,
        "labels": {**fields.get("labels", {}), **({APP_LABEL: app_id} if app_id else {})},
        "annotations": fields.get("annotations", {}),
    }


def deployment(
    name: str,
    namespace: str = "default",
    *,
    replicas: int | None = 2,
    volumes: list[dict[str, Any]] | None = None,
    pod_annotations: dict[str, str] | None = None,
    kind: str = "Deployment",
    **fields: Unpack[WorkloadFields],
) -> dict[str, Any]:
    """A Deployment (or StatefulSet with kind=) of app ``app_id``."""
    app_id = fields.get("app_id", name)
    spec: dict[str, Any] = {
        "selector": {"matchLabels": {"app.kubernetes.io/name": app_id or name}},
        "template": _template(app_id, fields.get("containers"), volumes, pod_annotations),
    }
    if replicas is not None:
        spec["replicas"] = replicas
    if kind == "StatefulSet":
        spec["serviceName"] = name
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {**_metadata(name, namespace, fields, app_id), "generation": 1},
        "spec": spec,
        "status": {"replicas": replicas or 1, "readyReplicas": replicas or 1},
    }


def stateful_set(name: str, namespace: str = "default", **kwargs: Any) -> dict[str, Any]:
    return deployment(name, namespace, kind="StatefulSet", **kwargs)


def knative_service(
    name: str,
    namespace: str = "default",
    *,
    min_scale: int | None = None,
    **fields: Unpack[WorkloadFields],
) -> dict[str, Any]:
    """A Knative Service of app ``app_id``."""
    app_id = fields.get("app_id", name)
    pod_annotations = {"autoscaling.knative.dev/min-scale": str(min_scale)} if min_scale else {}
    template = _template(app_id, fields.get("containers"), None, pod_annotations)
    return {
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": _metadata(name, namespace, fields, app_id),
        "spec": {"template": template},
        "status": {"url": f"http://{name}.{namespace}.example.com"},
    }


def config_map(
    name: str,
    namespace: str = "default",
    *,
    data: dict[str, str] | None = None,
    **fields: Unpack[ObjectFields],
) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": _metadata(name, namespace, fields),
        "data": data or {},
    }


def make_app(session: Session, **overrides: Any) -> App:
    now = overrides.pop("now", None) or utcnow()
    values: dict[str, Any] = {
        "name": "support-bot",
        "namespace": "support",
        "team": "customer-care",
        "origin": AppOrigin.KUBERNETES,
        "first_seen": now - dt.timedelta(days=30),
        "last_seen": now,
    }
    values.update(overrides)
    app = App(**values)
    session.add(app)
    session.flush()
    return app


def deploy_prompt(
    session: Session,
    app: App,
    version_id: int,
    *,
    started: dt.datetime,
    ended: dt.datetime | None = None,
) -> None:
    """Prompt ``answer`` at ``version_id`` running in the app's Deployment (named and placed as
    the app), mounted from a ConfigMap, from ``started`` until ``ended`` (None: still runs)."""
    assert app.id is not None
    assert app.namespace is not None
    session.add(
        PromptDeployment(
            app_id=app.id,
            name="answer",
            version_id=version_id,
            workload_kind="Deployment",
            namespace=app.namespace,
            workload=app.name,
            via="configmap",
            started=started,
            ended=ended,
        )
    )


def deployed_answer(
    session: Session, *, model: str, recorded: dt.datetime, started: dt.datetime, ended: dt.datetime
) -> App:
    """App ``chat`` (namespace ``support``) with version 1 of prompt ``answer`` on ``model``,
    recorded by CI at ``recorded``, that ran from ``started`` to ``ended``."""
    app = make_app(session, name="chat")
    assert app.id is not None
    version, _ = record_version(
        session=session,
        app_id=app.id,
        name="answer",
        content=PromptContent(template="Answer {{q}}", model=model),
        source=PromptSource.CI,
        now=recorded,
    )
    assert version.id is not None
    deploy_prompt(session, app, version.id, started=started, ended=ended)
    return app


def prompt_version(session: Session, app_id: int, **fields: Any) -> PromptVersion:
    """Version 1 of prompt ``answer`` (``Answer {{ q }}``) as CI stored it; ``fields`` override."""
    version = PromptVersion(
        **{
            "app_id": app_id,
            "name": "answer",
            "number": 1,
            "content_hash": "f" * 64,
            "template": "Answer {{ q }}",
            "source": PromptSource.CI,
            **fields,
        }
    )
    session.add(version)
    session.flush()
    assert version.id is not None
    return version


def eval_run(
    session: Session,
    app_id: int,
    version_id: int,
    *,
    started: dt.datetime,
    finished: dt.datetime,
    **results: Any,
) -> None:
    """A CI evaluation of a prompt version on dataset ``golden``; ``results``: cases, scores..."""
    session.add(
        EvalRun(
            app_id=app_id,
            prompt_version_id=version_id,
            dataset="golden",
            source=EvalSource.CI,
            started=started,
            finished=finished,
            **results,
        )
    )
