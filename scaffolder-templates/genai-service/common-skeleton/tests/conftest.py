"""A model endpoint for the tests: httpx's MockTransport answering the OpenAI wire protocol,
so the real openai client, guards and metrics run unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from {{ cookiecutter.package }}.config import Settings
from {{ cookiecutter.package }}.llm import ModelClient


@dataclass
class FakeModel:
    reply: str = "Paris is the capital of France [1]."
    status: int = 200
    requests: list[dict] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
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
    return Settings(openai_base_url="http://model.test/v1", openai_api_key="test-key")


@pytest.fixture
def model_client(settings: Settings, fake_model: FakeModel) -> Iterator[ModelClient]:
    with httpx.Client(transport=httpx.MockTransport(fake_model.handle)) as http:
        yield ModelClient(settings, http_client=http)
