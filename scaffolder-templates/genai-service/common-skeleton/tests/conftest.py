"""A model endpoint and the portal's guard API for the tests: httpx's MockTransport answering
the OpenAI wire protocol and ``POST /api/v1/guard/check``, so the real openai client, guard
client and metrics run unchanged.

The verdicts themselves come from the GenAI Portal in production (the portal's own tests run
this service against a real portal); the double below answers the portal's wire format with
fixed verdicts for the phrases these tests use."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from {{ cookiecutter.package }}.config import Settings
from {{ cookiecutter.package }}.guard import Guard
from {{ cookiecutter.package }}.llm import ModelClient

_GUARD_PHRASES = (
    ("prompt_injection", "block", re.compile(r"(?i)ignore (?:all )?previous instructions")),
    ("secrets", "block", re.compile(r"sk-proj-\w{20,}|-----BEGIN RSA PRIVATE KEY-----")),
    ("pii", "flag", re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")),
)


@dataclass
class FakePortal:
    up: bool = True
    requests: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.up:
            return httpx.Response(503, json={"detail": "unavailable"})
        body = json.loads(request.content)
        scanners = []
        for scanner, verdict, pattern in _GUARD_PHRASES:
            spans = [{"start": m.start(), "end": m.end(), "label": scanner} for m in pattern.finditer(body["text"])]
            if spans:
                scanners.append({"scanner": scanner, "verdict": verdict, "score": 0.9, "spans": spans})
        worst = "block" if any(s["verdict"] == "block" for s in scanners) else "flag" if scanners else "pass"
        return httpx.Response(
            200,
            json={"direction": body["direction"], "verdict": worst, "scanners": scanners, "chars": len(body["text"])},
        )


@dataclass
class FakeModel:
    reply: str = "Paris is the capital of France [1]."
    status: int = 200
    requests: list[dict] = field(default_factory=list)
    portal: FakePortal = field(default_factory=FakePortal)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/guard/check":
            return self.portal.handle(request)
        body = json.loads(request.content or b"{}")
        self.requests.append(body)
        if self.status != 200:
            return httpx.Response(self.status, json={"error": {"message": "unavailable", "type": "server_error"}})
        if request.url.path.endswith("/embeddings"):
            inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
            data = [{"object": "embedding", "index": i, "embedding": _embed(t)} for i, t in enumerate(inputs)]
            usage = {"prompt_tokens": sum(len(t.split()) for t in inputs), "total_tokens": 0}
            return httpx.Response(200, json={"object": "list", "model": body["model"], "data": data, "usage": usage})
        model = body["model"] + "-2024-07-18"
        usage = {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19}
        base = {"id": "chatcmpl-1", "created": 0, "model": model}
        if not body.get("stream"):
            message = {"role": "assistant", "content": self.reply}
            return httpx.Response(
                200,
                json={
                    **base,
                    "object": "chat.completion",
                    "choices": [{"index": 0, "finish_reason": "stop", "message": message}],
                    "usage": usage,
                },
            )
        events = []
        for word in self.reply.split(" "):
            delta = {"index": 0, "delta": {"content": word + " "}, "finish_reason": None}
            chunk = {**base, "object": "chat.completion.chunk", "choices": [delta]}
            events.append(f"data: {json.dumps(chunk)}\n\n")
        final = {**base, "object": "chat.completion.chunk", "choices": [], "usage": usage}
        events.append(f"data: {json.dumps(final)}\n\ndata: [DONE]\n\n")
        return httpx.Response(200, content="".join(events).encode(), headers={"content-type": "text/event-stream"})


def _embed(text: str) -> list[float]:
    # A deterministic bag-of-letters vector: texts sharing words end up close.
    vector = [0.0] * 26
    for ch in text.lower():
        if "a" <= ch <= "z":
            vector[ord(ch) - 97] += 1.0
    norm = sum(v * v for v in vector) ** 0.5 or 1.0
    return [v / norm for v in vector]


@pytest.fixture
def fake_model() -> FakeModel:
    return FakeModel()


@pytest.fixture
def settings() -> Settings:
    return Settings(
        openai_base_url="http://model.test/v1",
        openai_api_key="test-key",
        portal_url="http://portal.test",
        portal_ingest_token="ingest-t0ken",
    )


@pytest.fixture
def http(fake_model: FakeModel) -> Iterator[httpx.Client]:
    with httpx.Client(transport=httpx.MockTransport(fake_model.handle)) as client:
        yield client


@pytest.fixture
def model_client(settings: Settings, http: httpx.Client) -> ModelClient:
    return ModelClient(settings, http_client=http)


@pytest.fixture
def guard(settings: Settings, http: httpx.Client) -> Guard:
    return Guard(settings, http_client=http)


@pytest.fixture
def guard_with(settings: Settings, http: httpx.Client):
    """A guard with some settings changed (deny list, fail mode...)."""
    return lambda **changes: Guard(dataclasses.replace(settings, **changes), http_client=http)
