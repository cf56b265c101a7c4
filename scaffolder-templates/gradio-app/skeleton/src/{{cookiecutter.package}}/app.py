"""One process serves the Gradio chat UI at / and the same chat as JSON at POST /api/chat.

The UI needs the ``production`` extra (Gradio); without it the app serves the API alone, which
is what the tests exercise: the chat logic lives in chat.py and does not import Gradio.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI
from pydantic import BaseModel, Field

from .assistant import build_assistant
from .chat import ChatSession, to_messages
from .config import Settings
from .llm import ModelClient
from .web import base_app

log = logging.getLogger(__name__)


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, max_length=20_000)
    history: list[dict[str, str]] = Field(default_factory=list, max_length=50)


class ChatResponse(BaseModel):
    answer: str


def create_app(settings: Settings | None = None, client: ModelClient | None = None, *, ui: bool = True) -> FastAPI:
    settings = settings or Settings()
    session = ChatSession(build_assistant(settings, client or ModelClient(settings)))
    app = base_app({{ cookiecutter.description | tojson }})

    @app.post("/api/chat", response_model=ChatResponse)
    def chat(request: ChatRequest) -> ChatResponse:
        """Answer one message (the UI's chat, without the UI)."""
        return ChatResponse(answer=session.assistant.answer(request.message, to_messages(request.history)))

    if ui:
        try:
            import gradio as gr
        except ImportError:
            log.warning("gradio is not installed (pip install '.[production]'): serving the API only")
        else:
            from .ui import build_ui

            app = gr.mount_gradio_app(app, build_ui(session), path="/")
    return app
