"""A "pod" of a GenAI app for tests: the official ``openai`` client instrumented by
``opentelemetry-instrumentation-openai-v2``, its metrics served by the OpenTelemetry Prometheus
exporter on ``--metrics-port`` for a real Prometheus to scrape.

Run as its own process (``python -m tests.servers.otel_pod ...``) so that a restart is a real
restart (counters start again from zero). Commands arrive on stdin, one a line::

    chat <calls> <model> <words...>    -> that many chat completions with this user message

and each answers one JSON line on stdout: the usage the server answered for those calls
(``input``, ``output`` tokens), the ``requests`` made and the ``errors`` among them.
``OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental`` in the environment selects the
current conventions (``gen_ai_provider_name``); without it the instrumentation speaks semconv
1.30 (``gen_ai_system``), as deployed fleets still do. ``--template-telemetry`` records with the
generated services' own metrics module instead (scaffolder-templates' ``telemetry.py``), the
way their model client does.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import openai
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor
from opentelemetry.sdk.metrics import MeterProvider
from prometheus_client import start_http_server

TEMPLATE_TELEMETRY = (
    Path(__file__).resolve().parents[2]
    / "scaffolder-templates/_common/skeleton/src/{{cookiecutter.package}}/telemetry.py"
)


def template_telemetry() -> ModuleType:
    spec = importlib.util.spec_from_file_location("template_telemetry", TEMPLATE_TELEMETRY)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--metrics-port", type=int, required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--template-telemetry", action="store_true")
    args = parser.parse_args()
    telemetry = template_telemetry() if args.template_telemetry else None
    if telemetry is None:
        provider = MeterProvider(metric_readers=[PrometheusMetricReader()])
        OpenAIInstrumentor().instrument(meter_provider=provider)
    # A restarted pod takes its port back; an outgoing connection may hold it for a moment.
    for attempt in range(100):
        try:
            start_http_server(args.metrics_port, addr="127.0.0.1")
            break
        except OSError:
            if attempt == 99:
                raise
            time.sleep(0.1)
    client = openai.OpenAI(base_url=args.base_url, api_key="test-key", max_retries=0, timeout=60)
    print(json.dumps({"ready": True}), flush=True)  # noqa: T201 (the test reads stdout)
    for line in sys.stdin:
        command, calls, model, *words = line.split()
        assert command == "chat"
        answered = {"input": 0, "output": 0, "requests": 0, "errors": 0}
        for _ in range(int(calls)):
            answered["requests"] += 1
            started = time.perf_counter()
            try:
                response = client.chat.completions.create(
                    model=model, messages=[{"role": "user", "content": " ".join(words)}]
                )
            except openai.APIError as exc:
                answered["errors"] += 1
                if telemetry is not None:
                    labels = _labels(telemetry, model, None)
                    telemetry.record_duration(
                        labels, time.perf_counter() - started, error_type=type(exc).__name__
                    )
                continue
            assert response.usage is not None
            if telemetry is not None:
                labels = _labels(telemetry, model, response.model)
                telemetry.record_duration(labels, time.perf_counter() - started)
                telemetry.record_tokens(
                    labels,
                    input_tokens=response.usage.prompt_tokens,
                    output_tokens=response.usage.completion_tokens,
                )
            answered["input"] += response.usage.prompt_tokens
            answered["output"] += response.usage.completion_tokens
        print(json.dumps(answered), flush=True)  # noqa: T201


def _labels(telemetry: ModuleType, model: str, response_model: str | None) -> Any:
    return telemetry.model_labels(
        operation="chat", provider="openai", request_model=model, response_model=response_model
    )


if __name__ == "__main__":
    main()
