"""An OpenAI-compatible test server over real HTTP on loopback: ``POST /v1/chat/completions``
(plain, or streamed as server-sent events with a final usage chunk), ``POST /v1/embeddings``
and ``GET /v1/models``, with real-shaped bodies, for the ``openai`` client and anything else
that speaks the protocol (the portal's source, promptfoo, generated services).

Replies are chosen by rules (a substring of the last user message -> reply text; the first
matching rule wins; ``""`` matches every message), else the server echoes the last user
message. Usage counts words, so tests know the token numbers exactly. Like a provider, it
answers with a dated snapshot of the requested model (``RESPONSE_MODEL_SUFFIX``) and refuses
a request without a bearer key (401). Chat completions can be told to fail the next requests
with a status (429 with ``Retry-After``, 500, ...), to fail while a message matches or during
an outage, or to stall past the client's timeout. Every request is recorded with its path.
"""

from __future__ import annotations

import base64
import json
import socket
import struct
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.servers.threaded import ServerState, serving

# Providers answer with a dated snapshot of the requested model name.
RESPONSE_MODEL_SUFFIX = "-2024-07-18"
# Dimensions of the embeddings (a bag of words hashed into this many buckets, unit length).
EMBEDDING_DIMENSIONS = 32


def count_tokens(text: str) -> int:
    return len(text.split())


def embedding(text: str) -> list[float]:
    """A deterministic unit vector: texts sharing words are close."""
    vector = [0.0] * EMBEDDING_DIMENSIONS
    for word in text.lower().split():
        vector[sum(map(ord, word)) % EMBEDDING_DIMENSIONS] += 1.0
    norm = sum(v * v for v in vector) ** 0.5 or 1.0
    return [v / norm for v in vector]


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
class OpenAIState(ServerState):
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
    # Every request body, in order, with its ``path`` added (``/v1/chat/completions``, ...).
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

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

    @contextmanager
    def outage(self, status: int = 503) -> Iterator[None]:
        """Every chat completion fails with ``status`` while the block runs."""
        self.fail_when("", status)
        try:
            yield
        finally:
            with self.lock:
                self.failing.remove(("", status))

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

        def _authorized(self) -> bool:
            if self.headers.get("Authorization", "").startswith("Bearer "):
                return True
            self._error(401, "no API key given", "invalid_request_error")
            return False

        def do_GET(self) -> None:
            if not self._authorized():
                return
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
            if not self._authorized():
                return
            path = self.path.rstrip("/")
            if path not in ("/v1/chat/completions", "/v1/embeddings"):
                self._error(404, f"no route {self.path}", "invalid_request_error")
                return
            try:
                body = json.loads(raw)
            except json.JSONDecodeError:
                self._error(400, "body is not JSON", "invalid_request_error")
                return
            if not isinstance(body, dict):
                self._error(400, "body is not a JSON object", "invalid_request_error")
                return
            with state.lock:
                state.requests.append({**body, "path": path})
            if path == "/v1/embeddings":
                self._embeddings(body)
                return
            with state.lock:
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                if state.delay_seconds:
                    time.sleep(state.delay_seconds)
                self._complete(body)
            finally:
                with state.lock:
                    state.in_flight -= 1

        def _embeddings(self, body: dict[str, Any]) -> None:
            given = body.get("input")
            texts: list[Any] = given if isinstance(given, list) else [given]
            inputs = [t for t in texts if isinstance(t, str)]
            if not body.get("model") or not inputs or len(inputs) != len(texts):
                self._error(
                    400,
                    "model and input (text or list of texts) are required",
                    "invalid_request_error",
                )
                return
            base64_wanted = body.get("encoding_format") == "base64"

            def encoded(text: str) -> list[float] | str:
                vector = embedding(text)
                if not base64_wanted:
                    return vector
                return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()

            tokens = sum(count_tokens(t) for t in inputs)
            self._json(
                200,
                {
                    "object": "list",
                    "model": body["model"],
                    "data": [
                        {"object": "embedding", "index": i, "embedding": encoded(t)}
                        for i, t in enumerate(inputs)
                    ],
                    "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
                },
            )

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
            head = {
                "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
                "created": int(time.time()),
                "model": str(body["model"]) + RESPONSE_MODEL_SUFFIX,
                "system_fingerprint": "fp_test",
            }
            if body.get("stream"):
                self._stream(head, body, text, usage)
                return
            self._json(
                200,
                {
                    **head,
                    "object": "chat.completion",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text, "refusal": None},
                            "logprobs": None,
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": usage,
                },
            )

        def _stream(
            self, head: dict[str, Any], body: dict[str, Any], text: str, usage: dict[str, int]
        ) -> None:
            """Server-sent events in HTTP/1.1 chunks (the connection stays open, as a
            provider's does): a role chunk, the reply word by word, a finish chunk, the usage
            chunk (no choices) when ``stream_options.include_usage`` asks for it, ``[DONE]``."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

            def send(data: bytes) -> None:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def event(choices: list[dict[str, Any]], **extra: Any) -> None:
                payload = {**head, "object": "chat.completion.chunk", "choices": choices, **extra}
                send(f"data: {json.dumps(payload)}\n\n".encode())

            def delta(content: dict[str, Any], finish: str | None = None) -> list[dict[str, Any]]:
                return [{"index": 0, "delta": content, "logprobs": None, "finish_reason": finish}]

            event(delta({"role": "assistant", "content": ""}))
            for i, word in enumerate(text.split(" ")):
                event(delta({"content": word if i == 0 else " " + word}))
            event(delta({}, "stop"))
            if (body.get("stream_options") or {}).get("include_usage"):
                event([], usage=usage)
            send(b"data: [DONE]\n\n")
            send(b"")  # the last chunk

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected here (timeout tests); stay quiet.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@contextmanager
def unreachable_url() -> Iterator[str]:
    """A ``base_url`` no one answers: its loopback port is held bound but not listening, so
    every connection to it is refused (and no other server can take the port meanwhile)."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}/v1"


@contextmanager
def openai_server(port: int = 0) -> Iterator[tuple[str, OpenAIState]]:
    """Serve on 127.0.0.1 (``port`` 0: a free one the system picks, so any number of servers
    run at once); yields the ``base_url`` (ending in ``/v1``) and the state."""
    state = OpenAIState()
    with serving(_Server(("127.0.0.1", port), _handler(state))) as url:
        yield f"{url}/v1", state
