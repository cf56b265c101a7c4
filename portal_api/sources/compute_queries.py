"""Compute (CPU, memory, GPU) of every pod per app and hour, read from Prometheus.

Two dialects:

- ``opencost``: OpenCost's allocation metrics (``container_cpu_allocation``,
  ``container_memory_allocation_bytes``, ``container_gpu_allocation``) priced by its node
  prices (``node_cpu_hourly_cost``, ``node_ram_hourly_cost`` per GiB, ``node_gpu_hourly_cost``)
  minute by minute inside PromQL, so a node whose price changes mid-day is charged the old
  price before and the new one after.
- ``kube-state-metrics``: the pods' requests (``kube_pod_container_resource_requests``) as
  unit-hours per node pool; the costs domain prices them with the rate card.

Pods join apps through ``kube_pod_labels`` (``label_backstage_io_kubernetes_id``), as the
GPU-hours of self-hosted models do. Pods without that label, or without a ``kube_pod_labels``
series at all, come back with an empty app (unallocated), never dropped. Every query
aggregates over all pods at once: the query count does not depend on the number of apps.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Literal

from portal_api.sources.prometheus import PrometheusSource
from portal_api.sources.usage_queries import HOUR, _labelname

# Each query samples every pod every minute: 2-day chunks keep one query well inside
# Prometheus' default 2-minute query timeout on large clusters (a backfill sends more
# queries, still independent of the number of apps).
CHUNK = dt.timedelta(days=2)

Resource = Literal["cpu", "memory", "gpu"]
Dialect = Literal["opencost", "kube-state-metrics"]
RESOURCES: tuple[Resource, ...] = ("cpu", "memory", "gpu")
GIB = float(2**30)
# What one unit of each resource is in the metrics: cores, bytes (reported as GiB), GPUs.
UNIT: dict[Resource, float] = {"cpu": 1.0, "memory": GIB, "gpu": 1.0}

OPENCOST_ALLOCATION: dict[Resource, str] = {
    "cpu": "container_cpu_allocation",
    "memory": "container_memory_allocation_bytes",
    "gpu": "container_gpu_allocation",
}
OPENCOST_NODE_PRICE: dict[Resource, str] = {
    "cpu": "node_cpu_hourly_cost",  # USD per core-hour
    "memory": "node_ram_hourly_cost",  # USD per GiB-hour
    "gpu": "node_gpu_hourly_cost",  # USD per GPU-hour
}
KSM_REQUESTS = "kube_pod_container_resource_requests"
KSM_RESOURCE: dict[Resource, str] = {"cpu": "cpu", "memory": "memory", "gpu": "nvidia_com_gpu"}
POD_LABELS = "kube_pod_labels"
NODE_LABELS = "kube_node_labels"
POD_PHASE = "kube_pod_status_phase"

# Is OpenCost exporting in this window? One instant query per chunk.
OPENCOST_PRESENT = "count(last_over_time({price}[{seconds}s]))"

# Per pod and hour: the selector sampled every minute of the hour (a pod that runs 20 minutes
# of an hour counts a third of it; 3599 s holds 60 minute-points on Prometheus 2 and 3 alike).
PER_POD = "sum by (namespace, pod{extra}) (sum_over_time(({inner})[3599s:1m]))"
# Each pod's hour joined to its app label once per hour, outside the minute-by-minute
# subquery (the join inside it cost several times more). `topk` keeps one label per pod if
# it was relabelled within the hour. `or on (namespace, pod)` keeps pods that
# kube_pod_labels does not know (no app: unallocated) and cannot count a pod twice: the
# right side only adds pods absent from the left.
JOINED = (
    "(({per_pod} * on (namespace, pod) group_left ({pod_app}) topk by (namespace, pod) (1,"
    " max by (namespace, pod, {pod_app}) (max_over_time({labels}[1h]))))"
    " or on (namespace, pod) {per_pod})"
)
# Unit-hours, and OpenCost's cost: allocation times the node's price minute by minute.
OPENCOST_QUANTITY = "sum by (namespace, {pod_app}) ({joined}) / 60 / {unit}"
OPENCOST_PRICED = "{selector} * on (node) group_left () max by (node) ({price})"
# Requests of scheduled pods that have not finished (kube-state-metrics lists the requests
# of completed pods until they are deleted; where it exports no phases, nothing is removed).
KSM_SELECTOR = (
    '({requests}{{resource="{resource}", node!=""}}'
    ' unless on (namespace, pod) ({phase}{{phase=~"Succeeded|Failed"}} == 1))'
)
KSM_QUANTITY = "sum by (namespace, {pod_app}, node) ({joined}) / 60 / {unit}"
NODE_POOLS = "max by (node, {pool}) ({labels})"


def prometheus_label(kubernetes_label: str) -> str:
    """The name kube-state-metrics gives a Kubernetes label (``label_`` + sanitised)."""
    return _labelname("label_" + re.sub(r"[^a-zA-Z0-9_]", "_", kubernetes_label))


@dataclass(slots=True)
class ComputePoint:
    """Compute of one app (``""``: unallocated) in one namespace in the hour at ``hour``.

    ``quantity`` is in unit-hours (core-hours, GiB-hours, GPU-hours); ``cost`` is USD when the
    source priced it (OpenCost), else None and ``pool`` names the node pool for the rate card.
    """

    hour: dt.datetime
    app: str
    namespace: str
    resource: Resource
    quantity: float = 0.0
    cost: float | None = None
    pool: str | None = None


@dataclass
class ComputeReadResult:
    points: list[ComputePoint] = field(default_factory=list)
    queries: int = 0
    dialects: set[str] = field(default_factory=set)


class ComputeReader:
    """Reads hourly compute per app from Prometheus (OpenCost, else kube-state-metrics)."""

    def __init__(
        self,
        prometheus: PrometheusSource,
        *,
        dialect: Literal["auto", "opencost", "kube-state-metrics"] = "auto",
        app_label: str = "backstage_io_kubernetes_id",
        node_pool_label: str | None = None,
    ) -> None:
        self.prometheus = prometheus
        self.dialect = dialect
        self.pod_app = _labelname(f"label_{_labelname(app_label)}")
        self.pool = prometheus_label(node_pool_label) if node_pool_label else None

    def _joined(self, inner: str, *, by_node: bool = False) -> str:
        per_pod = PER_POD.format(inner=inner, extra=", node" if by_node else "")
        return JOINED.format(per_pod=per_pod, pod_app=self.pod_app, labels=POD_LABELS)

    def queries(self, dialect: Dialect) -> dict[tuple[Resource, str], str]:
        """Every range query of one chunk, keyed by (resource, quantity|cost|pool)."""
        out: dict[tuple[Resource, str], str] = {}
        for r in RESOURCES:
            unit = repr(UNIT[r])
            if dialect == "opencost":
                selector = OPENCOST_ALLOCATION[r]
                priced = OPENCOST_PRICED.format(selector=selector, price=OPENCOST_NODE_PRICE[r])
                for role, inner in (("quantity", selector), ("cost", priced)):
                    out[(r, role)] = OPENCOST_QUANTITY.format(
                        pod_app=self.pod_app, joined=self._joined(inner), unit=unit
                    )
            else:
                selector = KSM_SELECTOR.format(
                    requests=KSM_REQUESTS, resource=KSM_RESOURCE[r], phase=POD_PHASE
                )
                out[(r, "quantity")] = KSM_QUANTITY.format(
                    pod_app=self.pod_app, joined=self._joined(selector, by_node=True), unit=unit
                )
        return out

    def detect(self, *, start: dt.datetime, end: dt.datetime) -> tuple[Dialect, int]:
        """The dialect of [start, end): OpenCost when its node prices exist there."""
        if self.dialect != "auto":
            return self.dialect, 0
        seconds = max(int((end - start).total_seconds()), 60)
        promql = OPENCOST_PRESENT.format(price=OPENCOST_NODE_PRICE["cpu"], seconds=seconds)
        found = self.prometheus.query(promql, at=end)
        present = any(not math.isnan(s.value) and s.value > 0 for s in found)
        return ("opencost" if present else "kube-state-metrics"), 1

    def read_hourly(self, *, start: dt.datetime, end: dt.datetime) -> ComputeReadResult:
        """Compute per app, namespace and resource for every full hour in [start, end).

        Args:
            start: first hour (aligned to the hour, aware).
            end: end of the last hour (aligned, aware, exclusive).

        Returns:
            One ComputePoint per app (or unallocated), namespace, resource, hour (and node
            pool, for kube-state-metrics) with a non-zero quantity, and the query count.

        Raises:
            SourceError: Prometheus failed or could not be reached.
        """
        result = ComputeReadResult()
        chunks = []
        cursor = start
        while cursor < end:
            chunks.append((cursor, min(cursor + CHUNK, end)))
            cursor += CHUNK
        for chunk_start, chunk_end in chunks:
            dialect, detect_queries = self.detect(start=chunk_start, end=chunk_end)
            result.queries += detect_queries
            result.dialects.add(dialect)
            pools: dict[tuple[float, str], str] = {}
            if dialect == "kube-state-metrics" and self.pool is not None:
                promql = NODE_POOLS.format(pool=self.pool, labels=NODE_LABELS)
                result.queries += 1
                for labels, values in self.prometheus.query_range_raw(
                    promql, start=chunk_start + HOUR, end=chunk_end, step=HOUR
                ):
                    for ts, _ in values:
                        pools[(ts, labels.get("node", ""))] = labels.get(self.pool, "")
            points: dict[tuple[float, str, str, Resource, str | None], ComputePoint] = {}
            for (resource, role), promql in self.queries(dialect).items():
                # The subquery evaluated at T covers the hour that starts at T - 1h.
                series = self.prometheus.query_range_raw(
                    promql, start=chunk_start + HOUR, end=chunk_end, step=HOUR
                )
                result.queries += 1
                for labels, values in series:
                    app = labels.get(self.pod_app, "")
                    namespace = labels.get("namespace", "")
                    node = labels.get("node", "")
                    for ts, value in values:
                        if math.isnan(value) or value == 0:
                            continue
                        pool = pools.get((ts, node)) or None if dialect != "opencost" else None
                        key = (ts, app, namespace, resource, pool)
                        point = points.get(key)
                        if point is None:
                            hour = dt.datetime.fromtimestamp(ts, tz=dt.UTC) - HOUR
                            point = points[key] = ComputePoint(hour, app, namespace, resource)
                            point.pool = pool
                        if role == "cost":
                            point.cost = (point.cost or 0.0) + value
                        else:
                            point.quantity += value
            result.points.extend(p for p in points.values() if p.quantity > 0)
        return result
