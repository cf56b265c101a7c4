"""The compute rate card of the prices file: what a vCPU-hour, a GiB-hour of memory and a
GPU-hour cost, by default and per node pool. It prices the pods' requests read from
kube-state-metrics; clusters that run OpenCost are priced by OpenCost's node prices instead.

::

    compute:
      cpu_hour: "0.0316"              # USD per vCPU-hour requested
      memory_gib_hour: "0.0042"       # USD per GiB-hour requested
      gpu_hour: "2.48"                # USD per GPU-hour requested
      node_pool_label: cloud.google.com/gke-nodepool   # node label naming the pool (optional)
      node_pools:                     # rates per pool; a missing rate falls back to the default
        a100-pool: {gpu_hour: "3.67"}
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field, field_validator


def _decimal(value: object) -> object:
    # YAML floats would carry binary noise into money: read their text instead.
    return Decimal(repr(value)) if isinstance(value, float) else value


class Rates(BaseModel):
    cpu_hour: Decimal | None = Field(default=None, ge=0)
    memory_gib_hour: Decimal | None = Field(default=None, ge=0)
    gpu_hour: Decimal | None = Field(default=None, ge=0)

    _dec = field_validator("cpu_hour", "memory_gib_hour", "gpu_hour", mode="before")(_decimal)

    def rate(self, resource: str) -> Decimal | None:
        return {"cpu": self.cpu_hour, "memory": self.memory_gib_hour, "gpu": self.gpu_hour}.get(
            resource
        )


class ComputeRateCard(Rates):
    node_pool_label: str | None = Field(default=None, max_length=316)
    node_pools: dict[str, Rates] = Field(default_factory=dict)

    def price(self, resource: str, pool: str | None) -> Decimal | None:
        """USD per unit-hour of ``resource`` on a node of ``pool``; None when not priced."""
        pooled = self.node_pools.get(pool) if pool else None
        if pooled is not None and pooled.rate(resource) is not None:
            return pooled.rate(resource)
        return self.rate(resource)
