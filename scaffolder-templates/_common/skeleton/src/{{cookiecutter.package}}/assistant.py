"""The assistant: the system prompt from prompts/, one model call per question.

Templates whose assistant does more (retrieval) replace this module with their own, keeping
``SYSTEM_PROMPT``, ``build_assistant`` and ``answer``, which evaluate.py relies on.
"""

from __future__ import annotations

from collections.abc import Iterator

from .config import Settings
from .llm import Message, ModelClient
from .prompts import Prompt, load_prompt

SYSTEM_PROMPT = "system"


class Assistant:
    def __init__(self, client: ModelClient, prompt: Prompt) -> None:
        self.client = client
        self.prompt = prompt

    def messages(self, question: str, history: list[Message] | None = None) -> list[Message]:
        return [
            {"role": "system", "content": self.prompt.text},
            *(history or []),
            {"role": "user", "content": question},
        ]

    def answer(self, question: str, history: list[Message] | None = None) -> str:
        return self.client.chat(self.messages(question, history)).text

    def stream(self, question: str, history: list[Message] | None = None) -> Iterator[str]:
        return self.client.stream(self.messages(question, history))


def build_assistant(settings: Settings, client: ModelClient) -> Assistant:
    return Assistant(client, load_prompt(settings.prompts_dir, SYSTEM_PROMPT))
