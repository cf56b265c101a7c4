"""Retrieval-augmented answers: the closest chunks go to the model as numbered sources, and the
answer cites them as [n]."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .config import PROJECT_DIR, Settings
from .guard import Direction
from .ingest import ingest
from .llm import Message, ModelClient
from .prompts import Prompt, load_prompt
from .store import Hit, VectorStore, store_from_env

SYSTEM_PROMPT = "system"
_CITATION = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Source:
    n: int
    source: str
    excerpt: str
    score: float


@dataclass(frozen=True)
class Answer:
    text: str
    sources: list[Source]


class Assistant:
    def __init__(self, client: ModelClient, prompt: Prompt, store: VectorStore, settings: Settings, k: int = 4) -> None:
        self.client = client
        self.prompt = prompt
        self.store = store
        self.settings = settings
        self.k = k

    def retrieve(self, question: str) -> list[Hit]:
        [vector] = self.client.embed([question], model=self.settings.embedding_model)
        return self.store.search(vector, self.k)

    def answer_with_sources(self, question: str) -> Answer:
        # Guard the question before it is embedded too: nothing blocked leaves the process.
        question = self.client.guard.enforce(question, Direction.INPUT)
        hits = self.retrieve(question)
        context = "\n\n".join(f"[{n}] ({hit.chunk.source})\n{hit.chunk.text}" for n, hit in enumerate(hits, 1))
        messages: list[Message] = [
            {"role": "system", "content": self.prompt.text},
            {"role": "user", "content": f"Sources:\n{context or '(none)'}\n\nQuestion: {question}"},
        ]
        reply = self.client.chat(messages)
        cited = {int(n) for n in _CITATION.findall(reply.text)}
        sources = [
            Source(n=n, source=hit.chunk.source, excerpt=hit.chunk.text[:300], score=round(hit.score, 4))
            for n, hit in enumerate(hits, 1)
            if n in cited
        ]
        return Answer(text=reply.text, sources=sources)

    def answer(self, question: str) -> str:
        return self.answer_with_sources(question).text


def docs_dir() -> Path:
    return Path(os.environ.get("DOCS_DIR") or PROJECT_DIR / "docs")


def build_assistant(settings: Settings, client: ModelClient, store: VectorStore | None = None) -> Assistant:
    """The assistant on ``store``; an empty store is first filled from DOCS_DIR (docs/)."""
    store = store if store is not None else store_from_env()
    if store.count() == 0 and docs_dir().is_dir():
        ingest([docs_dir()], store=store, client=client, settings=settings)
    return Assistant(client, load_prompt(settings.prompts_dir, SYSTEM_PROMPT), store, settings)
