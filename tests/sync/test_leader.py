"""Leader election through a Lease on the Kubernetes test server, with the real client."""

from __future__ import annotations

import datetime as dt

from portal_api.sources.kubernetes import KubernetesSource
from portal_api.sync.leader import LeaseElector
from tests.servers.kube import KubeState

T0 = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
DURATION = dt.timedelta(seconds=60)


def _elector(source: KubernetesSource, identity: str) -> LeaseElector:
    return LeaseElector(source, namespace="portal", identity=identity, duration=DURATION)


def _lease(kube: KubeState) -> dict[str, object]:
    (lease,) = kube.objects[("coordination.k8s.io/v1", "leases")]
    spec: dict[str, object] = lease["spec"]
    return spec


def test_one_replica_holds_the_lease_until_it_expires(
    kube: KubeState, kube_source: KubernetesSource
) -> None:
    a, b = _elector(kube_source, "replica-a"), _elector(kube_source, "replica-b")

    assert a.try_acquire(T0) is True
    assert b.try_acquire(T0 + dt.timedelta(seconds=1)) is False
    assert a.try_acquire(T0 + dt.timedelta(seconds=30)) is True  # renews
    assert _lease(kube)["holderIdentity"] == "replica-a"
    lease = kube_source.get_lease("portal", "genai-portal-sync")
    assert lease is not None
    assert lease.renew_time == T0 + dt.timedelta(seconds=30)

    # a stops renewing: b waits out the whole duration since the last renewal, then takes over.
    assert b.try_acquire(T0 + dt.timedelta(seconds=89)) is False
    assert b.try_acquire(T0 + dt.timedelta(seconds=91)) is True
    assert _lease(kube)["holderIdentity"] == "replica-b"
    assert _lease(kube)["leaseTransitions"] == 1
    assert a.try_acquire(T0 + dt.timedelta(seconds=92)) is False


def test_a_stale_write_loses_the_race(kube: KubeState, kube_source: KubernetesSource) -> None:
    a = _elector(kube_source, "replica-a")
    assert a.try_acquire(T0)
    stale = kube_source.get_lease("portal", "genai-portal-sync")
    assert stale is not None
    assert a.try_acquire(T0 + dt.timedelta(seconds=10))  # bumps the resourceVersion
    hijack = stale.model_copy(update={"holder": "replica-b"})
    assert kube_source.write_lease(hijack, create=False) is None  # 409: not the leader
    assert _lease(kube)["holderIdentity"] == "replica-a"


def test_no_leader_while_the_api_server_fails(
    kube: KubeState, kube_source: KubernetesSource
) -> None:
    kube.fail("/apis/coordination.k8s.io", 500)
    assert _elector(kube_source, "replica-a").try_acquire(T0) is False
