"""The chat behind the UI, without Gradio: what a notebook prototype calls, and what is tested."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .assistant import Assistant
from .guard import GuardrailError
from .llm import Message


def to_messages(history: Sequence[Any]) -> list[Message]:
    """Gradio's chat history (``{"role", "content"}`` dicts, or older ``[user, bot]`` pairs) as
    OpenAI messages; files and other non-text parts are dropped."""
    messages: list[Message] = []
    for turn in history:
        if isinstance(turn, dict):
            content = turn.get("content")
            if turn.get("role") in ("user", "assistant") and isinstance(content, str):
                messages.append({"role": turn["role"], "content": content})
        elif isinstance(turn, (list, tuple)) and len(turn) == 2:
            for role, content in zip(("user", "assistant"), turn, strict=True):
                if isinstance(content, str):
                    messages.append({"role": role, "content": content})
    return messages


class ChatSession:
    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def respond(self, message: str, history: Sequence[Any]) -> Iterator[str]:
        """The answer so far, growing piece by piece (what a Gradio ChatInterface shows)."""
        answer = ""
        try:
            for piece in self.assistant.stream(message, to_messages(history)):
                answer += piece
                yield answer
        except GuardrailError as exc:
            yield f"{answer}\n\n⚠️ {exc}" if answer else f"⚠️ {exc}"
