"""A real Prometheus server for tests, loaded with known series through promtool.

``PrometheusFactory.start(series)`` writes the series as OpenMetrics, backfills them with
``promtool tsdb create-blocks-from openmetrics`` into a fresh data directory, starts Debian's
``prometheus`` on a free loopback port (long retention, so the backfilled blocks survive
start-up) and waits until it answers. Samples must lie more than 3 h in the past.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.servers.process import PortalProcess, free_port, run, start_server


@dataclass
class PromSeries:
    """One series: metric name, labels and (time, value) samples."""

    name: str
    labels: dict[str, str]
    samples: Sequence[tuple[dt.datetime, float]]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def to_openmetrics(series: Iterable[PromSeries]) -> str:
    """OpenMetrics text with timestamps in seconds; one `unknown` family per sample name."""
    by_name: dict[str, list[PromSeries]] = {}
    for s in series:
        by_name.setdefault(s.name, []).append(s)
    lines: list[str] = []
    for name, items in sorted(by_name.items()):
        lines.append(f"# TYPE {name} unknown")
        for s in items:
            labels = ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(s.labels.items()))
            for ts, value in sorted(s.samples):
                text = "NaN" if math.isnan(value) else repr(float(value))
                lines.append(f"{name}{{{labels}}} {text} {ts.timestamp():.3f}")
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


def _binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(
            f"{name} is required for the Prometheus tests: apt-get install prometheus "
            "(make test does it through scripts/install-system-deps.sh)"
        )
    return path


@dataclass
class ScrapeTarget:
    """A target scraped every second, with the labels a PodMonitor's relabelling would add
    (the app label, ``namespace``, ``pod``)."""

    address: str
    labels: dict[str, str]


def scrape_config(targets: Sequence[ScrapeTarget]) -> str:
    if not targets:
        return "global:\n  scrape_interval: 1h\nscrape_configs: []\n"
    lines = [
        "global:",
        "  scrape_interval: 1s",
        "  scrape_timeout: 1s",
        "scrape_configs:",
        "  - job_name: genai-pods",
        "    static_configs:",
    ]
    for t in targets:
        lines.append(f'      - targets: ["{t.address}"]')
        lines.append("        labels:")
        lines.extend(f'          {k}: "{_escape(v)}"' for k, v in sorted(t.labels.items()))
    return "\n".join(lines) + "\n"


@dataclass
class PrometheusFactory:
    base_dir: Path
    servers: list[PortalProcess] = field(default_factory=list)

    def start(
        self,
        series: Iterable[PromSeries] = (),
        scrape: Sequence[ScrapeTarget] = (),
        data_dir: Path | None = None,
    ) -> PortalProcess:
        """``data_dir``: start on this existing TSDB (e.g. kept by a benchmark) instead of a
        fresh one loaded with ``series``."""
        promtool, prometheus = _binary("promtool"), _binary("prometheus")
        workdir = self.base_dir / f"prom-{len(self.servers)}"
        workdir.mkdir(parents=True)
        if data_dir is None:
            data_dir = workdir / "data"
            data_dir.mkdir()
        text = to_openmetrics(series)
        if text.strip() != "# EOF":
            source = workdir / "series.om"
            source.write_text(text)
            run(
                [
                    promtool,
                    "tsdb",
                    "create-blocks-from",
                    "openmetrics",
                    "--max-block-duration=24h",
                    str(source),
                    str(data_dir),
                ],
                timeout=300,
                check=True,
            )
        config = workdir / "prometheus.yml"
        config.write_text(scrape_config(scrape))
        port = free_port()
        server = start_server(
            [
                prometheus,
                f"--config.file={config}",
                f"--storage.tsdb.path={data_dir}",
                "--storage.tsdb.retention.time=3650d",
                f"--web.listen-address=127.0.0.1:{port}",
                "--web.enable-lifecycle",
            ],
            env={**os.environ, "GOMAXPROCS": "1"},
            cwd=workdir,
            port=port,
            health="/-/ready",
        )
        self.servers.append(server)
        return server

    def stop_all(self) -> None:
        for server in self.servers:
            server.stop()
