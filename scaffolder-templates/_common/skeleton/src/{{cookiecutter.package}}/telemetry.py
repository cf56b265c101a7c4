"""Metrics named as the OpenTelemetry GenAI semantic conventions export them to Prometheus.

Series, labels and bucket boundaries are those of the official instrumentation
(opentelemetry-instrumentation-openai-v2 with OTEL_SEMCONV_STABILITY_OPT_IN=
gen_ai_latest_experimental, through the OpenTelemetry Prometheus exporter), plus the
time-to-first-token histogram it lacks, so one GenAI Portal query reads both. The portal reads
these series (grouped by the pod label backstage.io/kubernetes-id, which the PodMonitor copies
onto every series) to show usage, latency and cost per app.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

# Bucket boundaries recommended by the semantic conventions.
TOKEN_BUCKETS = (1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864)
DURATION_BUCKETS = (0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92)
TTFT_BUCKETS = (0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)

_MODEL_LABELS = (
    "gen_ai_operation_name",
    "gen_ai_provider_name",
    "gen_ai_request_model",
    "gen_ai_response_model",
)

TOKEN_USAGE = Histogram(
    "gen_ai_client_token_usage",
    "Number of input and output tokens used.",
    [*_MODEL_LABELS, "gen_ai_token_type"],
    buckets=TOKEN_BUCKETS,
)
OPERATION_DURATION = Histogram(
    "gen_ai_client_operation_duration_seconds",
    "GenAI operation duration; error_type names the error class of failed operations.",
    [*_MODEL_LABELS, "error_type"],
    buckets=DURATION_BUCKETS,
)
TIME_TO_FIRST_TOKEN = Histogram(
    "gen_ai_server_time_to_first_token_seconds",
    "Time to receive the first token of a streamed response.",
    list(_MODEL_LABELS),
    buckets=TTFT_BUCKETS,
)
GUARDRAIL_EVENTS = Counter(
    "genai_guardrail_events",
    "Input and output guard findings, by rule, direction and action.",
    ["rule", "direction", "action"],
)


def model_labels(*, operation: str, provider: str, request_model: str, response_model: str | None) -> dict[str, str]:
    return {
        "gen_ai_operation_name": operation,
        "gen_ai_provider_name": provider,
        "gen_ai_request_model": request_model,
        # Unknown until the model answers: empty (an absent label) on a failed call, as the
        # official instrumentation exports it.
        "gen_ai_response_model": response_model or "",
    }


def record_tokens(labels: dict[str, str], *, input_tokens: int | None, output_tokens: int | None) -> None:
    if input_tokens is not None:
        TOKEN_USAGE.labels(**labels, gen_ai_token_type="input").observe(input_tokens)
    if output_tokens is not None:
        TOKEN_USAGE.labels(**labels, gen_ai_token_type="output").observe(output_tokens)


def record_duration(labels: dict[str, str], seconds: float, *, error_type: str = "") -> None:
    # An empty label value is an absent label in Prometheus: successful calls have no error_type.
    OPERATION_DURATION.labels(**labels, error_type=error_type).observe(seconds)


def record_time_to_first_token(labels: dict[str, str], seconds: float) -> None:
    TIME_TO_FIRST_TOKEN.labels(**labels).observe(seconds)


def record_guardrail(*, rule: str, direction: str, action: str) -> None:
    GUARDRAIL_EVENTS.labels(rule=rule, direction=direction, action=action).inc()
