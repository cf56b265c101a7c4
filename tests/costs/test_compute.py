"""Compute costs against a real Prometheus, in both dialects (OpenCost and kube-state-metrics):
two apps' pods on one node, a pod without the app label and one without kube_pod_labels at
all (unallocated, per namespace), a node price change mid-hour, GPUs of a self-hosted model's
serving pods counted once (as model spend), and a plain GPU pod counted as compute.

Expected amounts are computed here from the generated samples, minute by minute, never by
the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from portal_api.config import Settings
from portal_api.costs.compute_models import ComputeCostDaily, ComputeCostHourly
from portal_api.costs.models import CostDaily
from portal_api.db import Database
from portal_api.sources.prometheus import PrometheusSource
from portal_api.sync.models import SourceStatus
from tests.conftest import bearer
from tests.factories import make_app
from tests.servers.prometheus import PrometheusFactory, PromSeries
from tests.usage.test_sync import HOUR, MINUTE, MINUTES, NOW, T0, otel_series, sync

GIB = 2**30
APP = "label_backstage_io_kubernetes_id"
GPU_HOUR_SELF_HOSTED = Decimal("2.40")  # the prices file's gpu_hour of the self-hosted model
TOLERANCE = Decimal("0.000001")  # Prometheus sums floats; money is exact to 1e-9


@dataclass
class Pod:
    namespace: str
    name: str
    app: str | None  # None: kube_pod_labels without the app label
    node: str
    cpu: float
    memory_gib: float
    gpu: float = 0.0
    first: int = 1  # first minute with samples
    labelled: bool = True  # False: no kube_pod_labels series at all

    def container(self, meta: dict[str, str]) -> dict[str, str]:
        """Labels of the pod's one container ``main``, after the exporter's own ``meta``."""
        return {
            **meta,
            "namespace": self.namespace,
            "pod": self.name,
            "container": "main",
            "node": self.node,
        }

    def requests(self) -> list[tuple[str, float]]:
        """What the container asks for: cores, bytes of memory and (when it has any) GPUs."""
        asked = [("cpu", self.cpu), ("memory", self.memory_gib * GIB)]
        return [*asked, ("gpu", self.gpu)] if self.gpu else asked


PODS = [
    Pod("team-a", "chat-7d9f-x1", "chat", "node-1", cpu=0.5, memory_gib=2),
    Pod("team-b", "search-5c4b-k2", "search", "node-1", cpu=1.5, memory_gib=4, first=30),
    Pod("team-b", "search-trainer-0", "search", "node-2", cpu=2, memory_gib=8, gpu=1),
    Pod("team-a", "batch-cron-29", None, "node-1", cpu=0.25, memory_gib=1),
    Pod("team-b", "debug-shell", None, "node-1", cpu=0.1, memory_gib=0.5, labelled=False),
    # The self-hosted model's serving pods: its GPUs are priced as model spend already.
    Pod("ml", "llama-0", "llama-serve", "node-2", cpu=4, memory_gib=16, gpu=2),
]


def node_cpu_price(node: str, minute: int) -> Decimal:
    if node == "node-1":  # the price changes at minute 90, in the middle of the second hour
        return Decimal("0.04") if minute < 90 else Decimal("0.06")
    return Decimal("0.05")


NODE_RAM_PRICE = {"node-1": Decimal("0.005"), "node-2": Decimal("0.006")}  # per GiB-hour
NODE_GPU_PRICE = {"node-1": Decimal("0"), "node-2": Decimal("2.95")}

# kube-state-metrics dialect: the rate card, with a pool of its own for node-2.
RATE_CARD = {"cpu": Decimal("0.03"), "memory": Decimal("0.004"), "gpu": Decimal("2.00")}
POOL_OF = {"node-1": "general", "node-2": "gpu-pool"}
POOL_RATES = {"gpu-pool": {"cpu": Decimal("0.045"), "gpu": Decimal("3.10")}}
PRICES_FILE = """\
self_hosted:
  llama-3.1-8b-instruct: {gpu_hour: "2.40", serving_app: llama-serve}
compute:
  cpu_hour: "0.03"
  memory_gib_hour: "0.004"
  gpu_hour: "2.00"
  node_pool_label: cloud.google.com/gke-nodepool
  node_pools:
    gpu-pool: {cpu_hour: "0.045", gpu_hour: "3.10"}
"""


def minutes(first: int = 1) -> list[int]:
    return list(range(first, MINUTES + 1))


def gauge(
    name: str, labels: dict[str, str], value: Callable[[int], float], first: int = 1
) -> PromSeries:
    return PromSeries(name, labels, [(T0 + m * MINUTE, value(m)) for m in minutes(first)])


def pod_labels() -> list[PromSeries]:
    out = []
    for p in PODS:
        if not p.labelled or p.name == "llama-0":  # llama-0's labels come with otel_series()
            continue
        labels = {"namespace": p.namespace, "pod": p.name, "uid": f"uid-{p.name}"}
        labels["job"] = "kube-state-metrics"
        labels[APP if p.app else "label_app_kubernetes_io_name"] = p.app or "batch"
        out.append(gauge("kube_pod_labels", labels, lambda _m: 1.0, p.first))
    return out


OPENCOST_ALLOCATION = {
    "cpu": "container_cpu_allocation",
    "memory": "container_memory_allocation_bytes",
    "gpu": "container_gpu_allocation",
}
KSM_REQUEST = {
    "cpu": {"resource": "cpu", "unit": "core"},
    "memory": {"resource": "memory", "unit": "byte"},
    "gpu": {"resource": "nvidia_com_gpu", "unit": "integer"},
}


def opencost_series() -> list[PromSeries]:
    series = [*otel_series(), *pod_labels()]
    meta = {"job": "opencost", "instance": "opencost.opencost:9003"}
    for p in PODS:
        for resource, value in p.requests():
            name = OPENCOST_ALLOCATION[resource]
            series.append(gauge(name, p.container(meta), lambda _m, v=value: v, p.first))
    for node in ("node-1", "node-2"):
        labels = {**meta, "node": node, "instance_type": "n2-standard-8", "region": "europe-west1"}
        series.append(
            gauge("node_cpu_hourly_cost", labels, lambda m, n=node: float(node_cpu_price(n, m)), 0)
        )
        series.append(
            gauge("node_ram_hourly_cost", labels, lambda _m, n=node: float(NODE_RAM_PRICE[n]), 0)
        )
        series.append(
            gauge("node_gpu_hourly_cost", labels, lambda _m, n=node: float(NODE_GPU_PRICE[n]), 0)
        )
    return series


def ksm_series() -> list[PromSeries]:
    # otel_series() has llama-0's GPU requests without the `node` label that
    # kube-state-metrics sets on scheduled pods: replaced by the full series below.
    series = [
        s for s in otel_series() if s.name != "kube_pod_container_resource_requests"
    ] + pod_labels()
    meta = {"job": "kube-state-metrics", "instance": "ksm:8080"}
    for p in PODS:
        for resource, value in p.requests():
            labels = {**p.container(meta), **KSM_REQUEST[resource]}
            series.append(
                gauge(
                    "kube_pod_container_resource_requests", labels, lambda _m, v=value: v, p.first
                )
            )
    # A finished job's pod that kube-state-metrics still lists: not running, not charged.
    done = Pod("team-a", "migrate-1", None, "node-1", cpu=8, memory_gib=0)
    series.append(
        gauge(
            "kube_pod_container_resource_requests",
            {**done.container(meta), **KSM_REQUEST["cpu"]},
            lambda _m: 8.0,
        )
    )
    series.append(
        gauge(
            "kube_pod_status_phase",
            {**meta, "namespace": "team-a", "pod": "migrate-1", "phase": "Succeeded"},
            lambda _m: 1.0,
        )
    )
    for node, pool in POOL_OF.items():
        labels = {**meta, "node": node, "label_cloud_google_com_gke_nodepool": pool}
        series.append(gauge("kube_node_labels", labels, lambda _m: 1.0, 0))
    return series


TEAMS = {
    "chat": ("team-a", "care"),
    "search": ("team-b", "discovery"),
    "llama-serve": ("ml", "platform"),
}


def register(db: Database, *apps: str) -> None:
    """The portal knows ``apps``, each in its namespace (see PODS) and owned by its team."""
    with db.session_scope() as session:
        for name in apps:
            namespace, team = TEAMS[name]
            make_app(session, name=name, namespace=namespace, team=team)


def hour_of(minute: int) -> dt.datetime:
    """The hour a minute's sample is charged to: samples at minutes 1..60 make hour 0."""
    return T0 + ((minute - 1) // 60) * HOUR


def expected(dialect: str) -> dict[tuple[dt.datetime, str, str, str], Decimal]:
    """Cost per (hour, app or "", namespace, resource), from the samples above."""
    out: dict[tuple[dt.datetime, str, str, str], Decimal] = defaultdict(Decimal)
    for p in PODS:
        app = p.app if p.labelled and p.app else ""
        for m in minutes(p.first):
            key = (hour_of(m), app, p.namespace)
            if dialect == "opencost":
                prices = {
                    "cpu": node_cpu_price(p.node, m),
                    "memory": NODE_RAM_PRICE[p.node],
                    "gpu": NODE_GPU_PRICE[p.node],
                }
            else:
                pooled = POOL_RATES.get(POOL_OF[p.node], {})
                prices = {r: pooled.get(r, RATE_CARD[r]) for r in RATE_CARD}
            amounts = {"cpu": p.cpu, "memory": p.memory_gib, "gpu": p.gpu}
            for resource, amount in amounts.items():
                if amount:
                    out[(*key, resource)] += Decimal(repr(amount)) * prices[resource] / 60
    return dict(out)


def charged(costs: dict[tuple[dt.datetime, str, str, str], Decimal], app: str) -> Decimal:
    """Compute charged to an app: its GPUs too, unless they serve the self-hosted model."""
    return sum(
        (
            c
            for (_, a, _, r), c in costs.items()
            if a == app and not (a == "llama-serve" and r == "gpu")
        ),
        Decimal(0),
    )


def close(a: Decimal | str, b: Decimal) -> bool:
    return abs(Decimal(a) - b) <= TOLERANCE


@pytest.fixture(scope="module")
def opencost_prom(prometheus_factory: PrometheusFactory) -> PrometheusSource:
    return PrometheusSource(prometheus_factory.start(opencost_series()).url, timeout=20)


@pytest.fixture(scope="module")
def ksm_prom(prometheus_factory: PrometheusFactory) -> PrometheusSource:
    return PrometheusSource(prometheus_factory.start(ksm_series()).url, timeout=20)


@pytest.fixture
def prom_settings(settings: Settings, tmp_path: Path) -> Settings:
    prices = tmp_path / "prices.yaml"
    prices.write_text(PRICES_FILE)
    return settings.model_copy(
        update={"prometheus_url": "http://unused", "backfill_days": 1, "prices_file": prices}
    )


def stored(db: Database) -> dict[tuple[dt.datetime, str, str, str], ComputeCostHourly]:
    with db.session() as session:
        rows = session.exec(select(ComputeCostHourly)).all()
    return {(r.hour, r.app, r.namespace, r.resource): r for r in rows}


@pytest.mark.parametrize("dialect", ["opencost", "kube-state-metrics"])
def test_compute_per_app_hour_and_resource(
    dialect: str,
    db: Database,
    opencost_prom: PrometheusSource,
    ksm_prom: PrometheusSource,
    prom_settings: Settings,
) -> None:
    prom = opencost_prom if dialect == "opencost" else ksm_prom
    sync(db, prom, prom_settings)
    want = expected(dialect)
    got = stored(db)
    assert set(got) == set(want)
    for key, cost in want.items():
        row = got[key]
        assert row.cost is not None
        assert close(row.cost, cost), (key, row.cost, cost)
        assert row.source == ("opencost" if dialect == "opencost" else "rate-card")
        # GPUs of the self-hosted model's serving pods are model spend, nothing else is.
        assert row.model_spend == (key[1] == "llama-serve" and key[3] == "gpu")
    # search's pod starts at minute 30: half an hour of 1.5 vCPU in its first hour.
    assert got[(T0, "search", "team-b", "cpu")].quantity == pytest.approx(2 + 1.5 * 31 / 60)
    # Unlabelled pods are kept, under no app, in their namespace.
    assert {k[2] for k in got if k[1] == ""} == {"team-a", "team-b"}
    with db.session() as session:
        status = session.get(SourceStatus, "prometheus/compute")
        assert status is not None
        # Queries per pass: fixed by the dialect, whatever the number of apps.
        assert status.stats["queries"] == (7 if dialect == "opencost" else 5)
        assert status.stats["dialects"] == [dialect]
        daily = session.exec(select(ComputeCostDaily)).all()
    assert sum((r.cost or Decimal(0)) for r in daily) == sum(
        (r.cost or Decimal(0)) for r in got.values()
    )


def test_node_price_change_mid_hour(
    db: Database, opencost_prom: PrometheusSource, prom_settings: Settings
) -> None:
    sync(db, opencost_prom, prom_settings)
    got = stored(db)
    # Hour 1 (minutes 61..120) of chat's 0.5 vCPU on node-1: 29 minutes at 0.04, 31 at 0.06.
    cost = got[(T0 + HOUR, "chat", "team-a", "cpu")].cost
    assert cost is not None
    assert close(cost, Decimal("0.5") * (29 * Decimal("0.04") + 31 * Decimal("0.06")) / 60)


def test_gpus_counted_once_and_totals(
    db: Database, opencost_prom: PrometheusSource, prom_settings: Settings, client: TestClient
) -> None:
    register(db, "chat", "search", "llama-serve")
    sync(db, opencost_prom, prom_settings)
    want = expected("opencost")
    with db.session() as session:
        model_rows = session.exec(select(CostDaily)).all()
    model_spend = sum((r.cost for r in model_rows if r.cost is not None), Decimal(0))
    gpu_model_spend = sum((r.gpu_cost for r in model_rows if r.gpu_cost is not None), Decimal(0))
    # The serving pods' 2 GPUs for 180 minutes, priced once: by the self-hosted model's rate.
    assert gpu_model_spend == 6 * GPU_HOUR_SELF_HOSTED
    compute_all = sum(
        (c for (_, a, _, r), c in want.items() if not (a == "llama-serve" and r == "gpu")),
        Decimal(0),
    )
    # Whole days: model spend is rolled up per day (compute, per hour, would be exact anyway).
    day = T0.replace(hour=0)
    params = {"from": day.isoformat(), "to": (day + 48 * HOUR).isoformat(), "group_by": "app"}
    body = client.get("/api/v1/costs", params=params, headers=bearer("read")).json()
    groups = {g["key"]: g for g in body["groups"]}
    for app in ("chat", "search", "llama-serve"):
        assert close(groups[app]["compute_cost"], charged(want, app)), app
    assert close(groups["(unallocated)"]["compute_cost"], charged(want, ""))
    assert close(body["compute_total"], compute_all)
    assert close(body["total_cost"], model_spend + compute_all)
    assert Decimal(body["total"]) == model_spend  # model spend alone, as before
    # llama-serve's total holds its GPUs once (model spend) plus its CPU and memory.
    llama = groups["llama-serve"]
    assert close(llama["total_cost"], Decimal(llama["cost"]) + charged(want, "llama-serve"))
    unallocated = {u["namespace"]: u for u in body["unallocated"]}
    assert set(unallocated) == {"team-a", "team-b"}
    team_b = sum((c for (_, a, ns, _), c in want.items() if a == "" and ns == "team-b"), Decimal(0))
    assert close(unallocated["team-b"]["cost"], team_b)
    assert unallocated["team-b"]["cpu_hours"] == pytest.approx(0.1 * 3)
    # By team: compute follows the apps' owners.
    teams = client.get(
        "/api/v1/costs", params={**params, "group_by": "team"}, headers=bearer("read")
    ).json()
    team_groups = {g["key"]: g for g in teams["groups"]}
    assert close(team_groups["discovery"]["compute_cost"], charged(want, "search"))
    # Cost per 1,000 requests: chat made 120 + 6 requests an hour for 3 hours.
    chat = groups["chat"]
    assert chat["requests"] == 378
    assert Decimal(chat["cost_per_1k_requests"]) == (
        Decimal(chat["total_cost"]) * 1000 / 378
    ).quantize(Decimal("0.0001"))


def test_app_costs_exact_to_the_hour(
    db: Database, opencost_prom: PrometheusSource, prom_settings: Settings, client: TestClient
) -> None:
    register(db, "search")
    sync(db, opencost_prom, prom_settings)
    want = expected("opencost")
    params = {"from": (T0 + HOUR).isoformat(), "to": (T0 + 2 * HOUR).isoformat(), "step": "day"}
    body = client.get("/api/v1/apps/search/costs", params=params, headers=bearer("read")).json()
    hour1 = {r: c for (h, a, _, r), c in want.items() if a == "search" and h == T0 + HOUR}
    assert close(body["compute_cost"], sum(hour1.values(), Decimal(0)))
    assert close(body["compute_by_resource"]["gpu"], hour1["gpu"])
    assert close(body["total_cost"], Decimal(body["total"]) + sum(hour1.values(), Decimal(0)))
    assert len(body["compute"]) == 1
    assert body["freshness"]["source"] == "prometheus"


def test_resync_is_idempotent(
    db: Database, ksm_prom: PrometheusSource, prom_settings: Settings
) -> None:
    sync(db, ksm_prom, prom_settings)
    first = {k: r.cost for k, r in stored(db).items()}
    sync(db, ksm_prom, prom_settings, now=NOW + HOUR)
    second = {k: r.cost for k, r in stored(db).items()}
    sync(db, ksm_prom, prom_settings, now=NOW + HOUR)
    assert {k: r.cost for k, r in stored(db).items()} == second
    # The hours read twice (the overlap) are replaced, not added to. (The next hour holds
    # the backfilled series' 5-minute lookback tail: backfilled data has no staleness marker.)
    assert {k: c for k, c in second.items() if k[0] < T0 + 3 * HOUR} == first


def test_report_columns_and_total_budget(
    db: Database, opencost_prom: PrometheusSource, prom_settings: Settings, client: TestClient
) -> None:
    register(db, "chat", "search")
    sync(db, opencost_prom, prom_settings)
    want = expected("opencost")
    month = T0.strftime("%Y-%m")
    search_compute = charged(want, "search")
    for basis in ("model", "total"):
        response = client.post(
            "/api/v1/budgets",
            json={
                "scope": "app",
                "name": "search" if basis == "total" else "chat",
                "amount": "1",
                "basis": basis,
            },
            headers=bearer("admin"),
        )
        assert response.status_code == 201, response.text
    budgets = {
        b["name"]: b
        for b in client.get(
            "/api/v1/budgets", params={"month": month}, headers=bearer("read")
        ).json()["items"]
    }
    assert budgets["search"]["basis"] == "total"
    assert close(budgets["search"]["spent"], search_compute)  # search has no model spend
    assert budgets["chat"]["basis"] == "model"

    response = client.get(
        "/api/v1/reports/costs", params={"month": month, "format": "csv"}, headers=bearer("read")
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    apps = {r["name"]: r for r in rows if r["section"] == "app"}
    assert close(apps["search"]["compute_cost_usd"], search_compute.quantize(Decimal("0.01")))
    assert Decimal(apps["chat"]["total_cost_usd"]) == (
        Decimal(apps["chat"]["cost_usd"]) + Decimal(apps["chat"]["compute_cost_usd"])
    )
    unallocated = {r["name"] for r in rows if r["section"] == "unallocated"}
    assert unallocated == {"team-a", "team-b"}
    total = next(r for r in rows if r["section"] == "total")
    assert close(
        total["compute_cost_usd"],
        sum(
            (c for (_, a, _, r), c in want.items() if not (a == "llama-serve" and r == "gpu")),
            Decimal(0),
        ).quantize(Decimal("0.01")),
    )
    html = client.get(
        "/api/v1/reports/costs", params={"month": month, "format": "html"}, headers=bearer("read")
    ).text
    assert 'id="unallocated"' in html
    assert 'class="compute"' in html  # the stacked compute part of the charts


def test_demo_organisation_shows_the_split(db: Database, client: TestClient) -> None:
    import dataclasses

    from portal_api.demo import build_org, seed_demo

    org = build_org()
    org = dataclasses.replace(org, start=org.end - dt.timedelta(days=40))
    seed_demo(db, org)
    month = org.end.strftime("%Y-%m")
    report = client.get(
        "/api/v1/reports/costs", params={"month": month}, headers=bearer("read")
    ).json()
    teams = {g["key"]: g for g in report["by_team"]}
    in_cluster = {a.team for a in org.apps if a.in_cluster}
    for team in in_cluster:
        group = teams[team]
        assert Decimal(group["compute_cost"]) > 0, team
        assert Decimal(group["total_cost"]) == Decimal(group["cost"]) + Decimal(
            group["compute_cost"]
        )
    assert Decimal(teams["(unallocated)"]["compute_cost"]) > 0
    # The demo's GPUs all serve its self-hosted llama: model spend, never compute.
    assert set(report["compute_by_resource"]) == {"cpu", "memory"}
    assert Decimal(report["total_cost"]) == Decimal(report["total"]) + Decimal(
        report["compute_total"]
    )
    assert Decimal(report["previous_compute_total"]) > 0  # month over month
    assert {b["basis"] for b in report["budgets"]} == {"model", "total"}
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    "/api/v1/reports/costs",
                    params={"month": month, "format": "csv"},
                    headers=bearer("read"),
                ).text
            )
        )
    )
    team_rows = {r["name"]: r for r in rows if r["section"] == "team"}
    assert all(team_rows[t]["compute_cost_usd"] for t in in_cluster)
    assert {r["name"] for r in rows if r["section"] == "unallocated"} == {"search", "support"}
