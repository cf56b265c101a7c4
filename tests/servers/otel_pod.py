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
1.30 (``gen_ai_system``), as deployed fleets still do.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import openai
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor
from opentelemetry.sdk.metrics import MeterProvider
from prometheus_client import start_http_server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--metrics-port", type=int, required=True)
    parser.add_argument("--base-url", required=True)
    args = parser.parse_args()
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
            try:
                response = client.chat.completions.create(
                    model=model, messages=[{"role": "user", "content": " ".join(words)}]
                )
            except openai.APIError:
                answered["errors"] += 1
                continue
            assert response.usage is not None
            answered["input"] += response.usage.prompt_tokens
            answered["output"] += response.usage.completion_tokens
        print(json.dumps(answered), flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
