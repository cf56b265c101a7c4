"""The HTTP API: POST /v1/answer answers a question from the indexed documents, citing them."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel, Field

from .assistant import build_assistant
from .config import Settings
from .llm import ModelClient
from .store import VectorStore
from .web import base_app


class Question(BaseModel):
    question: str = Field(min_length=1, max_length=4_000)


class SourcePublic(BaseModel):
    n: int
    source: str
    excerpt: str
    score: float


class AnswerPublic(BaseModel):
    answer: str
    sources: list[SourcePublic]


def create_app(
    settings: Settings | None = None, client: ModelClient | None = None, store: VectorStore | None = None
) -> FastAPI:
    settings = settings or Settings()
    assistant = build_assistant(settings, client or ModelClient(settings), store)
    app = base_app({{ cookiecutter.description | tojson }})

    @app.post("/v1/answer", response_model=AnswerPublic)
    def answer(request: Question) -> AnswerPublic:
        """Answer from the documents; ``sources`` are the ones the answer cites as [n]."""
        result = assistant.answer_with_sources(request.question)
        return AnswerPublic(
            answer=result.text,
            sources=[SourcePublic(n=s.n, source=s.source, excerpt=s.excerpt, score=s.score) for s in result.sources],
        )

    return app
