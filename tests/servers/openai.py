"""An OpenAI-compatible test server: ``POST /v1/chat/completions`` with real-shaped bodies.

Replies are chosen by rules (a substring of the last user message -> reply text; the first
matching rule wins), else the server echoes the last user message. Usage counts words, so
tests know the token numbers exactly. It can be told to fail the next requests with a status
(429 with ``Retry-After``, 500, ...) or to stall past the client's timeout, and it streams
(server-sent events, with a final usage chunk) when asked to.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def count_tokens(text: str) -> int:
    return len(text.split())


def _last_user(messages: list[Any]) -> str:
    return next(
        (
            str(m.get("content", ""))
            for m in reversed(messages)
            if isinstance(m, dict) and m.get("role") == "user"
        ),
        "",
    )


@dataclass
class OpenAIState:
    rules: list[tuple[str, str]] = field(default_factory=list)
    # Consumed one per request: an int status to answer with, or "timeout" to stall.
    failures: list[int | str] = field(default_factory=list)
    # Every request whose last user message contains the text fails with the status.
    failing: list[tuple[str, int]] = field(default_factory=list)
    stall_seconds: float = 5.0
    # Every answer takes this long (to observe concurrency); in_flight counts open requests.
    delay_seconds: float = 0.0
    in_flight: int = 0
    max_in_flight: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def clear(self) -> None:
        with self.lock:
            self.rules.clear()
            self.failures.clear()
            self.failing.clear()
            self.requests.clear()
            self.stall_seconds = 5.0
            self.delay_seconds = 0.0
            self.in_flight = self.max_in_flight = 0

    def reply(self, when: str, text: str) -> None:
        """Answer ``text`` when the last user message contains ``when``."""
        with self.lock:
            self.rules.append((when, text))

    def fail(self, *outcomes: int | str) -> None:
        """The next requests fail with these statuses (or ``"timeout"``), in order."""
        with self.lock:
            self.failures.extend(outcomes)

    def fail_when(self, when: str, status: int) -> None:
        """Always answer ``status`` when the last user message contains ``when``."""
        with self.lock:
            self.failing.append((when, status))

    def next_failure(self, messages: object = None) -> int | str | None:
        with self.lock:
            if self.failures:
                return self.failures.pop(0)
            if isinstance(messages, list):
                last = _last_user(messages)
                return next((status for when, status in self.failing if when in last), None)
            return None

    def answer(self, messages: list[dict[str, Any]]) -> str:
        last = _last_user(messages)
        with self.lock:
            for when, text in self.rules:
                if when in last:
                    return text
        return last


def _handler(state: OpenAIState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _json(
            self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _error(self, status: int, message: str, kind: str) -> None:
            headers = {"Retry-After": "0"} if status == 429 else None
            self._json(
                status,
                {"error": {"message": message, "type": kind, "param": None, "code": None}},
                headers,
            )

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v1/models":
                self._json(
                    200,
                    {
                        "object": "list",
                        "data": [
                            {
                                "id": "test-model",
                                "object": "model",
                                "created": 0,
                                "owned_by": "test",
                            }
                        ],
                    },
                )
                return
            self._error(404, "not found", "invalid_request_error")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._error(404, f"no route {self.path}", "invalid_request_error")
                return
            try:
                body = json.loads(raw)
            except json.JSONDecodeError:
                self._error(400, "body is not JSON", "invalid_request_error")
                return
            with state.lock:
                state.requests.append(body)
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                if state.delay_seconds:
                    time.sleep(state.delay_seconds)
                self._complete(body)
            finally:
                with state.lock:
                    state.in_flight -= 1

        def _complete(self, body: dict[str, Any]) -> None:
            failure = state.next_failure(body.get("messages"))
            if failure == "timeout":
                time.sleep(state.stall_seconds)
                self._error(500, "stalled", "server_error")
                return
            if isinstance(failure, int):
                kind = "rate_limit_exceeded" if failure == 429 else "server_error"
                self._error(failure, f"injected {failure}", kind)
                return
            messages = body.get("messages")
            if not isinstance(messages, list) or not body.get("model"):
                self._error(400, "model and messages are required", "invalid_request_error")
                return
            text = state.answer(messages)
            prompt_tokens = sum(count_tokens(str(m.get("content", ""))) for m in messages)
            usage = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": count_tokens(text),
                "total_tokens": prompt_tokens + count_tokens(text),
            }
            ident = f"chatcmpl-{uuid.uuid4().hex[:24]}"
            created = int(time.time())
            if body.get("stream"):
                self._stream(ident, created, body, text, usage)
                return
            self._json(
                200,
                {
                    "id": ident,
                    "object": "chat.completion",
                    "created": created,
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text, "refusal": None},
                            "logprobs": None,
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": usage,
                    "system_fingerprint": "fp_test",
                },
            )

        def _stream(
            self, ident: str, created: int, body: dict[str, Any], text: str, usage: dict[str, int]
        ) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()

            def chunk(delta: dict[str, Any], finish: str | None, with_usage: Any = None) -> None:
                payload: dict[str, Any] = {
                    "id": ident,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": body["model"],
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]
                    if delta is not None
                    else [],
                }
                if with_usage is not None:
                    payload["usage"] = with_usage
                self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())

            chunk({"role": "assistant", "content": ""}, None)
            words = text.split(" ")
            for i, word in enumerate(words):
                chunk({"content": word if i == 0 else " " + word}, None)
            chunk({}, "stop")
            if (body.get("stream_options") or {}).get("include_usage"):
                chunk(None, None, usage)  # type: ignore[arg-type]
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

    return Handler


# Loopback ports this server may take (the first free one is used).
PORTS = range(18400, 18500)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected here (timeout tests); stay quiet.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def _bind(state: OpenAIState, ports: Iterable[int]) -> ThreadingHTTPServer:
    for port in ports:
        try:
            server = _Server(("127.0.0.1", port), _handler(state))
        except OSError:
            continue
        server.daemon_threads = True
        return server
    raise RuntimeError("no free port for the OpenAI test server")


@contextmanager
def openai_server(ports: Iterable[int] = PORTS) -> Iterator[tuple[str, OpenAIState]]:
    """Serve on 127.0.0.1; yields the ``base_url`` (ending in ``/v1``) and the state."""
    state = OpenAIState()
    server = _bind(state, ports)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", state
    finally:
        server.shutdown()
        server.server_close()
