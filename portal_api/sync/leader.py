"""Leader election through a Kubernetes Lease, so one replica of the collector syncs.

The holder renews the Lease before every pass; another replica takes it over only once it
has not been renewed for its whole duration. Writes use the Lease's resourceVersion, so two
replicas racing for it cannot both win.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid

from portal_api.errors import SourceError
from portal_api.sources.kubernetes import KubernetesSource
from portal_api.sources.models import LeaseInfo

log = logging.getLogger(__name__)

LEASE_NAME = "genai-portal-sync"


def default_identity() -> str:
    return f"{socket.gethostname()}-{uuid.uuid4().hex[:6]}"


def default_namespace() -> str:
    # The downward API or the service account tells a pod its namespace.
    if ns := os.environ.get("POD_NAMESPACE"):
        return ns
    try:
        with open("/var/run/secrets/kubernetes.io/serviceaccount/namespace") as f:
            return f.read().strip() or "default"
    except OSError:
        return "default"


class LeaseElector:
    def __init__(
        self,
        source: KubernetesSource,
        *,
        namespace: str,
        identity: str,
        duration: dt.timedelta,
        name: str = LEASE_NAME,
    ) -> None:
        self.source = source
        self.namespace = namespace
        self.identity = identity
        self.duration = duration
        self.name = name

    def try_acquire(self, now: dt.datetime) -> bool:
        """Acquire or renew the Lease; True when this replica holds it afterwards."""
        try:
            current = self.source.get_lease(self.namespace, self.name)
            seconds = int(self.duration.total_seconds())
            if current is None:
                lease = LeaseInfo(
                    namespace=self.namespace,
                    name=self.name,
                    holder=self.identity,
                    duration_seconds=seconds,
                    acquire_time=now,
                    renew_time=now,
                )
                return self._won(self.source.write_lease(lease, create=True))
            if current.holder == self.identity:
                renewed = current.model_copy(
                    update={"renew_time": now, "duration_seconds": seconds}
                )
                return self._won(self.source.write_lease(renewed, create=False))
            expires = (current.renew_time or dt.datetime.min.replace(tzinfo=dt.UTC)) + dt.timedelta(
                seconds=current.duration_seconds or seconds
            )
            if current.holder and expires > now:
                return False
            taken = current.model_copy(
                update={
                    "holder": self.identity,
                    "duration_seconds": seconds,
                    "acquire_time": now,
                    "renew_time": now,
                    "transitions": current.transitions + 1,
                }
            )
            won = self._won(self.source.write_lease(taken, create=False))
            if won:
                log.info("took over the sync lease from %s", current.holder)
            return won
        except SourceError as exc:
            # Without the API server nobody can prove leadership: skip this pass.
            log.warning("leader election failed: %s", exc.message)
            return False

    def _won(self, lease: LeaseInfo | None) -> bool:
        return lease is not None and lease.holder == self.identity
