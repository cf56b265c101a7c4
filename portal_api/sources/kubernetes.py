"""Kubernetes adapter: lists workloads and other objects with the official client."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import urllib3

from portal_api.config import KubernetesMode, Settings
from portal_api.errors import SourceError
from portal_api.kit.mapping import resource
from portal_api.sources.models import (
    APP_LABEL,
    Container,
    EnvVar,
    LeaseInfo,
    ObjectInfo,
    Probe,
    TrafficTarget,
    WorkloadInfo,
)

if TYPE_CHECKING:
    from kubernetes import client as k8s

log = logging.getLogger(__name__)

SOURCE = "kubernetes"
PAGE_SIZE = 500
KNATIVE = ("serving.knative.dev", "v1", "services")
# Core (group-less) resources the portal reads, by plural -> CoreV1Api method stems.
_CORE = {"configmaps": "config_map", "pods": "pod", "services": "service"}


def _parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _probe(spec: dict[str, Any] | None) -> Probe | None:
    if not spec:
        return None
    kind = next((k for k in ("httpGet", "tcpSocket", "exec", "grpc") if k in spec), "unknown")
    return Probe(kind=kind)


def _container(spec: dict[str, Any]) -> Container:
    env = []
    for item in spec.get("env") or []:
        value_from = item.get("valueFrom") or {}
        secret = value_from.get("secretKeyRef")
        cm = value_from.get("configMapKeyRef")
        env.append(
            EnvVar(
                name=item.get("name", ""),
                has_value="value" in item and item.get("value") not in (None, ""),
                secret_ref=f"{secret.get('name')}/{secret.get('key')}" if secret else None,
                config_map_ref=f"{cm.get('name')}/{cm.get('key')}" if cm else None,
            )
        )
    env_from = spec.get("envFrom") or []
    resources = spec.get("resources") or {}
    sc = spec.get("securityContext") or {}
    return Container(
        name=spec.get("name", ""),
        image=spec.get("image", ""),
        env=env,
        env_from_secrets=[e["secretRef"]["name"] for e in env_from if e.get("secretRef")],
        env_from_config_maps=[e["configMapRef"]["name"] for e in env_from if e.get("configMapRef")],
        requests={k: str(v) for k, v in (resources.get("requests") or {}).items()},
        limits={k: str(v) for k, v in (resources.get("limits") or {}).items()},
        run_as_non_root=sc.get("runAsNonRoot"),
        run_as_user=sc.get("runAsUser"),
        read_only_root_filesystem=sc.get("readOnlyRootFilesystem"),
        allow_privilege_escalation=sc.get("allowPrivilegeEscalation"),
        privileged=sc.get("privileged"),
        readiness_probe=_probe(spec.get("readinessProbe")),
        liveness_probe=_probe(spec.get("livenessProbe")),
    )


def parse_workload(kind: str, obj: dict[str, Any]) -> WorkloadInfo | None:
    """Turn a Deployment, StatefulSet or Knative Service into a WorkloadInfo.

    Returns None for an object without the app label (a caller asked too broadly).
    """
    meta = obj.get("metadata") or {}
    labels = meta.get("labels") or {}
    app_id = labels.get(APP_LABEL)
    if not app_id:
        return None
    spec = obj.get("spec") or {}
    template = spec.get("template") or {}
    pod_meta = template.get("metadata") or {}
    pod_spec = template.get("spec") or {}
    pod_sc = pod_spec.get("securityContext") or {}
    replicas = spec.get("replicas")
    revision: str | None = None
    traffic: list[TrafficTarget] = []
    if kind == "KnativeService":
        status = obj.get("status") or {}
        revision = status.get("latestReadyRevisionName")
        traffic = [
            TrafficTarget(
                revision=t.get("revisionName"),
                percent=int(t.get("percent") or 0),
                tag=t.get("tag"),
                latest=bool(t.get("latestRevision")),
            )
            for t in status.get("traffic") or []
        ]
        # Knative scales itself; min-scale is what guarantees a floor.
        min_scale = (pod_meta.get("annotations") or {}).get("autoscaling.knative.dev/min-scale")
        replicas = int(min_scale) if min_scale and min_scale.isdigit() else None
    elif replicas is None:
        replicas = 1  # the API server's default
    return WorkloadInfo(
        kind=kind,
        namespace=meta.get("namespace", "default"),
        name=meta.get("name", ""),
        uid=meta.get("uid"),
        app_id=app_id,
        labels=labels,
        annotations=meta.get("annotations") or {},
        pod_labels=pod_meta.get("labels") or {},
        pod_annotations=pod_meta.get("annotations") or {},
        replicas=replicas,
        created=_parse_time(meta.get("creationTimestamp")),
        containers=[_container(c) for c in pod_spec.get("containers") or []],
        pod_run_as_non_root=pod_sc.get("runAsNonRoot"),
        pod_run_as_user=pod_sc.get("runAsUser"),
        service_account=pod_spec.get("serviceAccountName"),
        config_map_volumes=[
            v["configMap"]["name"]
            for v in pod_spec.get("volumes") or []
            if (v.get("configMap") or {}).get("name")
        ]
        + [
            src["configMap"]["name"]
            for v in pod_spec.get("volumes") or []
            for src in (v.get("projected") or {}).get("sources") or []
            if (src.get("configMap") or {}).get("name")
        ],
        revision=revision,
        traffic=traffic,
    )


def _micro_time(value: dt.datetime | None) -> str | None:
    # MicroTime: RFC 3339 with microseconds, as the API server expects for Lease times.
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if value else None


def parse_lease(obj: dict[str, Any]) -> LeaseInfo:
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    return LeaseInfo(
        namespace=meta.get("namespace", ""),
        name=meta.get("name", ""),
        holder=spec.get("holderIdentity"),
        duration_seconds=spec.get("leaseDurationSeconds"),
        acquire_time=_parse_time(spec.get("acquireTime")),
        renew_time=_parse_time(spec.get("renewTime")),
        transitions=spec.get("leaseTransitions") or 0,
        resource_version=meta.get("resourceVersion"),
    )


def lease_body(lease: LeaseInfo) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": lease.name, "namespace": lease.namespace}
    if lease.resource_version:
        metadata["resourceVersion"] = lease.resource_version
    spec = {
        "holderIdentity": lease.holder,
        "leaseDurationSeconds": lease.duration_seconds,
        "acquireTime": _micro_time(lease.acquire_time),
        "renewTime": _micro_time(lease.renew_time),
        "leaseTransitions": lease.transitions,
    }
    return resource("coordination.k8s.io/v1", "Lease", metadata, spec)


def parse_object(obj: dict[str, Any], kind: str) -> ObjectInfo:
    meta = obj.get("metadata") or {}
    return ObjectInfo(
        kind=obj.get("kind") or kind,
        namespace=meta.get("namespace"),
        name=meta.get("name", ""),
        uid=meta.get("uid"),
        labels=meta.get("labels") or {},
        annotations=meta.get("annotations") or {},
        created=_parse_time(meta.get("creationTimestamp")),
        body=obj,
    )


class KubernetesSource:
    """Reads the cluster through the official client; every call is a bounded list."""

    def __init__(
        self, api_client: k8s.ApiClient, *, namespaces: Iterable[str] = (), timeout: float = 20.0
    ) -> None:
        self.api_client = api_client
        self.namespaces = [ns for ns in namespaces if ns]
        self.timeout = timeout
        # The client library is heavy (~38 MB): loaded when a source is built, not at import.
        from kubernetes import client as k8s

        self._core = k8s.CoreV1Api(api_client)
        self._custom = k8s.CustomObjectsApi(api_client)
        self._coordination = k8s.CoordinationV1Api(api_client)

    @classmethod
    def from_settings(cls, settings: Settings) -> KubernetesSource | None:
        """Build the source, or None when Kubernetes is off.

        Raises:
            SourceError: the configuration cannot be loaded.
        """
        if settings.kubernetes is KubernetesMode.OFF:
            return None
        from kubernetes import client as k8s
        from kubernetes import config as k8s_config

        try:
            if settings.kubernetes is KubernetesMode.IN_CLUSTER:
                configuration = k8s.Configuration()
                k8s_config.load_incluster_config(client_configuration=configuration)
            else:
                configuration = k8s.Configuration()
                k8s_config.load_kube_config(
                    config_file=str(settings.kubeconfig) if settings.kubeconfig else None,
                    client_configuration=configuration,
                    persist_config=False,
                )
        except (k8s_config.ConfigException, OSError) as exc:
            raise SourceError(SOURCE, f"cannot load configuration: {exc}") from None
        # Fail fast when the API server is down: the sync retries on its next pass.
        configuration.retries = 1
        return cls(
            k8s.ApiClient(configuration),
            namespaces=settings.namespaces,
            timeout=settings.kubernetes_timeout_seconds,
        )

    def close(self) -> None:
        self.api_client.close()

    # -- reading -------------------------------------------------------------------------

    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        from kubernetes.client.exceptions import ApiException

        try:
            response = fn(*args, _preload_content=False, _request_timeout=self.timeout, **kwargs)
            data: dict[str, Any] = json.loads(response.data)
            return data
        except ApiException as exc:
            raise SourceError(
                SOURCE, f"API server answered {exc.status} {exc.reason}", status=exc.status
            ) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise SourceError(SOURCE, f"API server unreachable: {type(exc).__name__}") from None
        except ValueError:
            raise SourceError(SOURCE, "API server answered with invalid JSON") from None

    def _pages(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            page_kwargs = dict(kwargs, limit=PAGE_SIZE)
            if token:
                page_kwargs["_continue"] = token
            data = self._call(fn, *args, **page_kwargs)
            items.extend(data.get("items") or [])
            token = (data.get("metadata") or {}).get("continue")
            if not token:
                return items

    def list_raw(
        self, group: str, version: str, plural: str, *, label_selector: str | None = None
    ) -> list[dict[str, Any]]:
        """List objects of one resource in the configured namespaces (or all of them).

        Args:
            group: API group ("" for the core group).
            version: API version, e.g. "v1".
            plural: resource plural, e.g. "deployments".
            label_selector: Kubernetes label selector.

        Returns:
            The objects as plain dicts (this module's parse_* helpers read them).

        Raises:
            SourceError: the API server failed, refused, or could not be reached.
        """
        selector = {"label_selector": label_selector} if label_selector else {}
        if not group:
            stem = _CORE[plural]
            if not self.namespaces:
                fn = getattr(self._core, f"list_{stem}_for_all_namespaces")
                return self._pages(fn, **selector)
            fn = getattr(self._core, f"list_namespaced_{stem}")
            return [o for ns in self.namespaces for o in self._pages(fn, ns, **selector)]
        if not self.namespaces:
            return self._pages(
                self._custom.list_cluster_custom_object, group, version, plural, **selector
            )
        return [
            o
            for ns in self.namespaces
            for o in self._pages(
                self._custom.list_namespaced_custom_object, group, version, ns, plural, **selector
            )
        ]

    def list_objects(
        self, group: str, version: str, plural: str, *, label_selector: str | None = None
    ) -> list[ObjectInfo]:
        """Like list_raw, as ObjectInfo (the body keeps the object for domain parsers).

        Raises:
            SourceError: the API server failed, refused, or could not be reached.
        """
        kind = plural.rstrip("s").capitalize()
        return [
            parse_object(o, kind)
            for o in self.list_raw(group, version, plural, label_selector=label_selector)
        ]

    def list_workloads(self) -> list[WorkloadInfo]:
        """Deployments, StatefulSets and Knative Services labelled with an app id.

        Returns:
            Every labelled workload in the configured namespaces.

        Raises:
            SourceError: the API server failed or could not be reached. A cluster without
                Knative (404 on its API) is not an error.
        """
        workloads: list[WorkloadInfo] = []
        for kind, plural in (("Deployment", "deployments"), ("StatefulSet", "statefulsets")):
            for obj in self.list_raw("apps", "v1", plural, label_selector=APP_LABEL):
                if (w := parse_workload(kind, obj)) is not None:
                    workloads.append(w)
        try:
            knative = self.list_raw(*KNATIVE, label_selector=APP_LABEL)
        except SourceError as exc:
            if exc.status != 404:
                raise
            log.debug("Knative Serving is not installed; skipping Knative Services")
            knative = []
        for obj in knative:
            if (w := parse_workload("KnativeService", obj)) is not None:
                workloads.append(w)
        return workloads

    # -- leader election (the one write the portal makes: its own Lease) ---------------

    def get_lease(self, namespace: str, name: str) -> LeaseInfo | None:
        """The Lease, or None when it does not exist yet.

        Raises:
            SourceError: the API server failed or could not be reached.
        """
        try:
            return parse_lease(
                self._call(self._coordination.read_namespaced_lease, name, namespace)
            )
        except SourceError as exc:
            if exc.status == 404:
                return None
            raise

    def write_lease(self, lease: LeaseInfo, *, create: bool) -> LeaseInfo | None:
        """Create or replace the Lease; None when another holder got there first (409).

        Raises:
            SourceError: the API server failed or could not be reached.
        """
        body = lease_body(lease)
        try:
            if create:
                data = self._call(self._coordination.create_namespaced_lease, lease.namespace, body)
            else:
                data = self._call(
                    self._coordination.replace_namespaced_lease, lease.name, lease.namespace, body
                )
        except SourceError as exc:
            if exc.status == 409:
                return None
            raise
        return parse_lease(data)
