"""The HTTP API: POST /v1/chat and its streaming twin POST /v1/chat/stream (server-sent events)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from .assistant import build_assistant
from .config import Settings
from .guard import GuardrailError
from .llm import ModelClient
from .web import base_app


class Turn(BaseModel):
    role: str = Field(pattern="^(user|assistant)$")
    content: str = Field(max_length=20_000)


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, max_length=20_000)
    history: list[Turn] = Field(default_factory=list, max_length=50)


class ChatResponse(BaseModel):
    answer: str


def _events(first: str, rest: Iterator[str]) -> Iterator[str]:
    try:
        for piece in itertools.chain([first], rest):
            yield f"data: {json.dumps({'delta': piece})}\n\n"
    except GuardrailError as exc:
        yield f"event: error\ndata: {json.dumps({'error': 'GuardrailBlocked', 'detail': str(exc)})}\n\n"
    yield "data: [DONE]\n\n"


def create_app(settings: Settings | None = None, client: ModelClient | None = None) -> FastAPI:
    settings = settings or Settings()
    assistant = build_assistant(settings, client or ModelClient(settings))
    app = base_app({{ cookiecutter.description | tojson }})

    @app.post("/v1/chat", response_model=ChatResponse)
    def chat(request: ChatRequest) -> ChatResponse:
        """Answer one message."""
        return ChatResponse(answer=assistant.answer(request.message, [t.model_dump() for t in request.history]))

    @app.post("/v1/chat/stream")
    def chat_stream(request: ChatRequest) -> StreamingResponse:
        """Answer one message as server-sent events: ``data: {"delta": ...}`` then ``data: [DONE]``."""
        pieces = assistant.stream(request.message, [t.model_dump() for t in request.history])
        # The first piece is read before the response starts, so a blocked input is a 422 and a
        # failed model call a 502, not a broken stream.
        first = next(pieces, "")
        return StreamingResponse(_events(first, pieces), media_type="text/event-stream")

    return app
