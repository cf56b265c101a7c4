"""What the sources return: the project's own view of cluster objects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

APP_LABEL = "backstage.io/kubernetes-id"
TEAM_ANNOTATION = "genai-portal.io/team"
PART_OF_LABEL = "app.kubernetes.io/part-of"


class EnvVar(BaseModel):
    name: str
    has_value: bool = False  # a literal value in the manifest (the value itself is never kept)
    secret_ref: str | None = None  # "secret/key" when it comes from a Secret
    config_map_ref: str | None = None


class Probe(BaseModel):
    kind: str  # httpGet, tcpSocket, exec, grpc


class Container(BaseModel):
    name: str
    image: str
    env: list[EnvVar] = Field(default_factory=list)
    env_from_secrets: list[str] = Field(default_factory=list)
    env_from_config_maps: list[str] = Field(default_factory=list)
    requests: dict[str, str] = Field(default_factory=dict)
    limits: dict[str, str] = Field(default_factory=dict)
    run_as_non_root: bool | None = None
    run_as_user: int | None = None
    read_only_root_filesystem: bool | None = None
    allow_privilege_escalation: bool | None = None
    privileged: bool | None = None
    readiness_probe: Probe | None = None
    liveness_probe: Probe | None = None


class TrafficTarget(BaseModel):
    """One entry of a Knative Service's status.traffic: a share of requests for a revision."""

    revision: str | None = None
    percent: int = 0
    tag: str | None = None
    latest: bool = False


class WorkloadInfo(BaseModel):
    """A Deployment, StatefulSet or Knative Service, as far as the portal cares."""

    kind: str  # Deployment | StatefulSet | KnativeService
    namespace: str
    name: str
    uid: str | None = None
    app_id: str
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    pod_labels: dict[str, str] = Field(default_factory=dict)
    pod_annotations: dict[str, str] = Field(default_factory=dict)
    replicas: int | None = None
    created: dt.datetime | None = None
    containers: list[Container] = Field(default_factory=list)
    pod_run_as_non_root: bool | None = None
    pod_run_as_user: int | None = None
    service_account: str | None = None
    config_map_volumes: list[str] = Field(default_factory=list)
    # Knative Services: the latest ready revision and how traffic is split (from status).
    revision: str | None = None
    traffic: list[TrafficTarget] = Field(default_factory=list)

    @property
    def team(self) -> str | None:
        team = self.annotations.get(TEAM_ANNOTATION) or self.labels.get(PART_OF_LABEL)
        return team or None

    @property
    def images(self) -> list[str]:
        return [c.image for c in self.containers]

    @property
    def config_maps(self) -> set[str]:
        """Every ConfigMap the pod mounts or reads env from."""
        names = set(self.config_map_volumes)
        for c in self.containers:
            names.update(c.env_from_config_maps)
            names.update(e.config_map_ref.split("/")[0] for e in c.env if e.config_map_ref)
        return names


class ObjectInfo(BaseModel):
    """Any namespaced object returned as plain data (ConfigMaps, reports, policies)."""

    kind: str
    namespace: str | None
    name: str
    uid: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    created: dt.datetime | None = None
    body: dict[str, Any] = Field(default_factory=dict)


class LeaseInfo(BaseModel):
    """A coordination.k8s.io/v1 Lease, as leader election needs it."""

    namespace: str
    name: str
    holder: str | None = None
    duration_seconds: int | None = None
    acquire_time: dt.datetime | None = None
    renew_time: dt.datetime | None = None
    transitions: int = 0
    resource_version: str | None = None
