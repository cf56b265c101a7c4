"""An OpenAI-compatible model server for tests: chat completions (plain and streamed as
server-sent events, with usage), embeddings and the model list, over real HTTP on loopback.

Real clients (the ``openai`` package in generated services) talk to it through ``base_url``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.servers.prometheus import free_port

# Providers answer with a dated snapshot of the requested model name.
RESPONSE_MODEL_SUFFIX = "-2024-07-18"


@dataclass
class ModelServerState:
    reply: str = "Paris is the capital of France [1]."
    # When set, chat completions answer with this HTTP status (an outage of the provider).
    fail_with: int | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, path: str, body: dict[str, Any]) -> None:
        with self.lock:
            self.requests.append({"path": path, **body})


def _usage(body: dict[str, Any], reply: str) -> dict[str, int]:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
    completion = len(reply.split())
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _embedding(text: str) -> list[float]:
    vector = [0.0] * 32
    for word in text.lower().split():
        vector[sum(map(ord, word)) % 32] += 1.0
    norm = sum(v * v for v in vector) ** 0.5 or 1.0
    return [v / norm for v in vector]


def _handler(state: ModelServerState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_: Any) -> None:
            return

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v1/models":
                self._json(
                    200, {"object": "list", "data": [{"id": "test-model", "object": "model"}]}
                )
            else:
                self._json(
                    404, {"error": {"message": "not found", "type": "invalid_request_error"}}
                )

        def do_POST(self) -> None:
            if not self.headers.get("Authorization", "").startswith("Bearer "):
                self._json(401, {"error": {"message": "no key", "type": "invalid_request_error"}})
                return
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            state.record(self.path, body)
            if self.path == "/v1/embeddings":
                inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
                self._json(
                    200,
                    {
                        "object": "list",
                        "model": body["model"],
                        "data": [
                            {"object": "embedding", "index": i, "embedding": _embedding(t)}
                            for i, t in enumerate(inputs)
                        ],
                        "usage": {
                            "prompt_tokens": sum(len(t.split()) for t in inputs),
                            "total_tokens": 0,
                        },
                    },
                )
            elif self.path == "/v1/chat/completions" and state.fail_with:
                self._json(
                    state.fail_with, {"error": {"message": "overloaded", "type": "server_error"}}
                )
            elif self.path == "/v1/chat/completions":
                self._chat(body)
            else:
                self._json(
                    404, {"error": {"message": "not found", "type": "invalid_request_error"}}
                )

        def _chat(self, body: dict[str, Any]) -> None:
            model = body["model"] + RESPONSE_MODEL_SUFFIX
            reply = state.reply
            base = {"id": "chatcmpl-test", "created": int(time.time()), "model": model}
            if not body.get("stream"):
                self._json(
                    200,
                    {
                        **base,
                        "object": "chat.completion",
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": reply},
                            }
                        ],
                        "usage": _usage(body, reply),
                    },
                )
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            words = reply.split(" ")
            for n, word in enumerate(words):
                delta = {"content": word + (" " if n < len(words) - 1 else "")}
                self._event(
                    {
                        **base,
                        "object": "chat.completion.chunk",
                        "choices": [{"index": 0, "delta": delta}],
                    }
                )
            if body.get("stream_options", {}).get("include_usage"):
                self._event(
                    {
                        **base,
                        "object": "chat.completion.chunk",
                        "choices": [],
                        "usage": _usage(body, reply),
                    }
                )
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")

        def _event(self, payload: dict[str, Any]) -> None:
            self._chunk(f"data: {json.dumps(payload)}\n\n".encode())

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

    return Handler


@contextmanager
def model_server() -> Iterator[tuple[str, ModelServerState]]:
    """Serve on a free loopback port; yields the ``base_url`` (ending in /v1) and the state."""
    state = ModelServerState()
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
