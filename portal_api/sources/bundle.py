"""The set of configured sources, built once from settings and shared by sync and requests."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from portal_api.config import Settings
from portal_api.errors import SourceError
from portal_api.sources.kubernetes import KubernetesSource
from portal_api.sources.openai import OpenAISource
from portal_api.sources.prometheus import PrometheusSource

log = logging.getLogger(__name__)


@dataclass
class Sources:
    kubernetes: KubernetesSource | None = None
    prometheus: PrometheusSource | None = None
    openai: OpenAISource | None = None
    # Sources that could not be built (bad configuration): reported by /readyz, not fatal.
    broken: dict[str, str] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Sources:
        broken: dict[str, str] = {}
        kubernetes = None
        try:
            kubernetes = KubernetesSource.from_settings(settings)
        except SourceError as exc:
            log.error("kubernetes source disabled: %s", exc.message)
            broken["kubernetes"] = exc.message
        prometheus = PrometheusSource.from_settings(settings)
        openai_source = OpenAISource.from_settings(settings)
        return cls(
            kubernetes=kubernetes, prometheus=prometheus, openai=openai_source, broken=broken
        )

    def configured(self) -> dict[str, bool]:
        """Which sources are on (a broken one counts as on: it is configured, and failing)."""
        broken = self.broken or {}
        return {
            "kubernetes": self.kubernetes is not None or "kubernetes" in broken,
            "prometheus": self.prometheus is not None,
            "openai": self.openai is not None or "openai" in broken,
        }

    def get(self, name: str) -> KubernetesSource | PrometheusSource | OpenAISource | None:
        """The source a sync step names, None when it is not configured or could not be built."""
        built = {
            "kubernetes": self.kubernetes,
            "prometheus": self.prometheus,
            "openai": self.openai,
        }
        return built.get(name)

    def close(self) -> None:
        for source in (self.kubernetes, self.prometheus, self.openai):
            if source is not None:
                source.close()
