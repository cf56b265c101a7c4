"""Settings, read once from the environment (prefix ``PORTAL_``)."""

from __future__ import annotations

import json
import os
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Scope = Literal["read", "ingest", "admin"]


class KubernetesMode(StrEnum):
    OFF = "off"
    IN_CLUSTER = "in-cluster"
    KUBECONFIG = "kubeconfig"


class ApiToken(BaseModel):
    """One API token as configured; the secret never leaves this object."""

    model_config = ConfigDict(hide_input_in_errors=True)

    name: str = Field(min_length=1, max_length=100)
    token: SecretStr
    scopes: list[Scope] = Field(min_length=1)

    @field_validator("token")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 16:
            raise ValueError("API tokens must be at least 16 characters long")
        return value


class Settings(BaseSettings):
    # Errors never echo values: some of them are secrets.
    model_config = SettingsConfigDict(
        env_prefix="PORTAL_",
        extra="ignore",
        hide_input_in_errors=True,
        # The docstring under each field is its description (docs/configuration.md).
        use_attribute_docstrings=True,
    )

    database_url: str = "sqlite:///genai-portal.db"
    """SQLAlchemy URL of the database: a SQLite file, or `postgresql://...`."""
    auto_migrate: bool = True
    """Apply migrations on start-up (`genai-portal migrate` does it alone)."""
    # `serve`: API worker processes (None: one per CPU) and each worker's PostgreSQL pool.
    # Connections at most: workers x (pool size + overflow), plus one for the sync.
    workers: int | None = Field(default=None, ge=1, le=64)
    """API worker processes of `serve` (`--workers`); unset: one per CPU."""
    db_pool_size: int = Field(default=8, ge=1, le=100)
    """PostgreSQL connections per worker (`serve --db-pool-size`)."""
    db_max_overflow: int = Field(default=4, ge=0, le=100)
    """Extra PostgreSQL connections per worker under bursts."""
    access_log: bool = False
    """One log line per request from `serve`'s workers (uvicorn's access log). Off by default, as
    in gunicorn: `/metrics` counts every request by route and status, an ingress logs them, and
    the line cost a tenth of a cached read's time in the worker."""
    # The response cache of GET reads (portal_api/cache.py): per worker, keyed on the data
    # version that every write bumps, so a read after a write or a sync is always fresh.
    response_cache_mb: int = Field(default=32, ge=0, le=4096)
    """Memory per worker for cached GET answers (MB, least recently used first out); 0: no response
    cache."""
    response_cache_seconds: int = Field(default=30, ge=1, le=3600)
    """Longest a cached GET answer is served, even without a write (answers that depend on the clock,
    such as staleness, move on after it)."""
    # Its second level (portal_api/stored.py): the dashboard's default reads of every app,
    # computed by the sync after each pass and stored in the database for every worker.
    stored_answers: bool = True
    """Store the dashboards' default reads (each app's usage and costs) after every sync pass and
    serve them to every worker and replica while current; false: not stored, not looked up."""
    stored_answer_days: Annotated[list[Annotated[int, Field(ge=1, le=366)]], NoDecode] = Field(
        default_factory=lambda: [30]
    )
    """Comma-separated periods (days) of each app's usage to store (the Backstage card's: 7, 30, 90;
    30 is its default)."""
    stored_answers_seconds: int = Field(default=120, ge=1, le=3600)
    """Longest the sync spends computing stored answers per pass; apps left over are computed on
    their first read, as without it."""

    kubernetes: KubernetesMode = KubernetesMode.OFF
    """How to reach the cluster: `off`, `in-cluster` (inside a pod) or `kubeconfig`."""
    kubeconfig: Path | None = None
    """kubeconfig file when `PORTAL_KUBERNETES=kubeconfig`; unset: the client's default (`KUBECONFIG`,
    `~/.kube/config`)."""
    kubernetes_timeout_seconds: float = 20.0
    """Timeout of each Kubernetes API request."""
    namespaces: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Comma-separated namespaces to read; empty: all namespaces."""

    prometheus_url: str | None = None
    """Prometheus base URL; unset: usage, costs and guardrail events are off."""
    prometheus_app_label: str = "backstage_io_kubernetes_id"
    """The label naming the app on series (the `litellm` dialect uses `api_key_alias` while this is
    left at its default)."""
    prometheus_timeout_seconds: float = 30.0
    """Timeout of each Prometheus request."""
    prometheus_bearer_token: SecretStr | None = None
    """Bearer token for a Prometheus behind authentication."""
    prometheus_compression: bool = False
    """Ask Prometheus for gzip-compressed answers: worth it over a slow link only. In the cluster
    a sync reads hundreds of megabytes that Prometheus would spend its CPU compressing (a 10 MB
    answer arrived in 0.3-0.4 s gzipped, 0.1 s as it is, on two cores)."""
    # Which metrics carry usage: OpenTelemetry GenAI semconv ("otel") or a LiteLLM proxy.
    usage_dialect: Literal["otel", "litellm"] = "otel"
    """Which metrics carry usage: `otel` (OpenTelemetry GenAI semantic conventions) or `litellm` (a
    LiteLLM proxy's metrics)."""
    # Metric names to override, by role (e.g. {"token_usage": "my_tokens_sum"}).
    usage_metrics: dict[str, str] = Field(default_factory=dict)
    """JSON object renaming usage metrics by role, e.g. `{"token_usage": "my_gen_ai_tokens_sum"}`
    (roles: `portal_api/sources/usage_queries.py`)."""
    # Where the pods' compute costs come from: OpenCost's metrics when present ("auto"), or
    # kube-state-metrics requests priced by the prices file's rate card; "off" reads none.
    compute_dialect: Literal["auto", "opencost", "kube-state-metrics", "off"] = "auto"
    """Where pods' compute costs come from: `auto` (OpenCost when its metrics are there, else
    kube-state-metrics), `opencost`, `kube-state-metrics` or `off`."""

    openai_base_url: str | None = None
    """OpenAI-compatible endpoint of evaluation runs; unset: the portal runs no evaluations itself."""
    openai_api_key: SecretStr | None = None
    """API key of `PORTAL_OPENAI_BASE_URL`."""
    openai_timeout_seconds: float = Field(default=60.0, gt=0)
    """Timeout of each model call of an evaluation run."""
    openai_max_retries: int = Field(default=3, ge=0, le=10)
    """Retries of a model call on 429 and 5xx answers, with backoff."""
    eval_concurrency: int = Field(default=4, ge=1, le=64)
    """Model calls in flight per evaluation run."""
    # An eval run scoring this much below the previous prompt version's latest run is flagged.
    eval_regression_margin: float = Field(default=0.05, ge=0, le=1)
    """Score drop against the previous prompt version's latest run that flags a regression."""

    api_tokens: Annotated[list[ApiToken], NoDecode] = Field(default_factory=list)
    """JSON list of `{"name", "token", "scopes": [...]}`, scopes `read`, `ingest` or `admin` (`admin`
    implies the others); tokens are at least 16 characters, kept in memory only as SHA-256 digests
    (`genai-portal demo` uses them when set)."""
    # Largest request body (bytes) outside the ingest routes (those take up to 50 MiB).
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024, le=50 * 1024 * 1024)
    """Largest request body in bytes outside the ingest routes (prompts, evals: 50 MiB); a larger one
    answers 413."""

    sync_interval_seconds: int = Field(default=300, ge=0)
    """Period of the background sync in `serve`; 0: no background sync."""
    # auto: a Kubernetes Lease when running in-cluster, else none (the PostgreSQL advisory
    # lock still keeps two passes from overlapping).
    leader_election: Literal["auto", "lease", "none"] = "auto"
    """`lease` (a Kubernetes Lease picks the one replica that syncs), `none`, or `auto` (`lease`
    in-cluster)."""
    lease_namespace: str | None = None
    """Namespace of the Lease `genai-portal-sync`; unset: the pod's namespace."""
    prices_file: Path | None = None
    """YAML file of custom model prices, discounts, self-hosted GPU-hour prices and the compute rate
    card (see Usage and costs)."""
    # Readiness levels and thresholds (YAML); unset: the shipped default scorecard.
    scorecard_file: Path | None = None
    """Readiness levels and thresholds (YAML); unset: the shipped
    `portal_api/readiness/scorecard.yaml`."""
    backfill_days: int = Field(default=30, ge=0, le=400)
    """Days of history read from Prometheus on the first sync (keep it within Prometheus' retention)."""
    hourly_retention_days: int | None = Field(default=None, ge=3)
    """Days of hourly usage rows kept; older ones are removed by each sync pass (on PostgreSQL whole
    monthly partitions are dropped). Daily rows are kept forever. Unset: hourly rows are kept
    forever."""
    budget_thresholds: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [80, 100])
    """Budget alert thresholds, comma-separated percent of the budget (actual spend and month-end
    forecast)."""

    @field_validator("budget_thresholds", mode="before")
    @classmethod
    def _split_thresholds(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.split(",") if part.strip()]
        return value

    # Security: the guard API's deny list (words or phrases; "re:<regex>" entries) and canary
    # tokens planted in system prompts, as JSON lists or comma-separated.
    guard_deny_list: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Words or phrases the guard blocks, JSON list or comma-separated; `re:<regex>` entries are
    regular expressions."""
    guard_canary_tokens: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Canary tokens planted in system prompts (a leak is LLM07), JSON list or comma-separated."""
    guard_block_pii_in_output: bool = False
    """Block personal data in output; `false`: PII flags, cards, IBANs and SSNs in output block."""
    # Optional model-backed scanner (Llama Guard, Prompt Guard... behind an OpenAI-compatible
    # endpoint, e.g. vLLM): its verdict is merged with the local scanners'; when it is slow or
    # down, the local verdict stands (see portal_api/security/guard/remote.py).
    guard_model_url: str | None = None
    """OpenAI-compatible base URL of an optional safety model scanner (e.g. vLLM serving Llama Guard 3
    or Prompt Guard)."""
    guard_model: str | None = None
    """Model name of that scanner."""
    guard_model_api_key: SecretStr | None = None
    """API key of the safety model scanner."""
    guard_model_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    """Timeout of the safety model scanner; past it the local verdict stands."""
    security_eval_max_age_days: int = Field(default=14, ge=1, le=365)
    """Age of the latest evaluation past which `GENAI-NO-RECENT-EVAL` is a finding."""
    guardrail_spike_factor: float = Field(default=3.0, ge=1.0)
    """A guardrail rule whose last 24 h exceed this many times its daily mean of the week before is a
    finding."""
    guardrail_spike_min_events: int = Field(default=20, ge=1)
    """Fewest events in the last 24 h for a guardrail spike to count."""

    @field_validator("namespaces", "stored_answer_days", mode="before")
    @classmethod
    def _split_namespaces(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("guard_deny_list", "guard_canary_tokens", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            if value.strip().startswith("["):
                try:
                    return json.loads(value)
                except json.JSONDecodeError:
                    raise ValueError("not a valid JSON list") from None
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("api_tokens", mode="before")
    @classmethod
    def _parse_tokens(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return []
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                # Never echo the value: it holds secrets.
                raise ValueError(
                    f"PORTAL_API_TOKENS is not valid JSON (line {exc.lineno}, column {exc.colno})"
                ) from None
        return value

    @field_validator("prometheus_url", "openai_base_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value


def cpu_count() -> int:
    """CPUs this process may run on (its affinity mask, so a pinned container counts right)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@lru_cache
def get_settings() -> Settings:
    return Settings()
