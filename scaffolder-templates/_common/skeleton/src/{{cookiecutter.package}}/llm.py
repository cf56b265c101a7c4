"""The model client: any OpenAI-compatible endpoint, guarded and measured on every call."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import openai

from . import telemetry
from .config import Settings
from .guard import Direction, Guard, GuardrailError

Message = dict[str, str]
# Characters of a stream re-scanned on each piece: longer than any secret the guard knows.
_TAIL = 512


@dataclass(frozen=True)
class Reply:
    text: str
    model: str
    input_tokens: int | None
    output_tokens: int | None


class ModelClient:
    """Chat completions and embeddings through the ``openai`` client.

    Every call passes the user's text through the input guard first and the model's text
    through the output guard after, and records the GenAI semconv metrics.
    """

    def __init__(self, settings: Settings, *, http_client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.guard = Guard(settings, http_client=http_client)
        # Tokens used by this client so far (an evaluation run reports them).
        self.tokens = {"input": 0, "output": 0}
        self._client = openai.OpenAI(
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key,
            timeout=settings.timeout_seconds,
            max_retries=1,
            http_client=http_client,
        )

    def _record_tokens(self, labels: dict[str, str], *, input_tokens: int | None, output_tokens: int | None) -> None:
        telemetry.record_tokens(labels, input_tokens=input_tokens, output_tokens=output_tokens)
        self.tokens["input"] += input_tokens or 0
        self.tokens["output"] += output_tokens or 0

    def _labels(self, operation: str, response_model: str | None = None) -> dict[str, str]:
        return telemetry.model_labels(
            operation=operation,
            provider=self.settings.provider,
            request_model=self.settings.model,
            response_model=response_model,
        )

    def _guard_input(self, messages: Sequence[Message]) -> list[Message]:
        """Messages with every user turn guarded (system prompts are ours, assistant turns were
        guarded as output). Only the newest turn is counted in the metrics, so that a finding is
        not counted again on every later turn; a blocked earlier turn still blocks, and counts."""
        last_user = max((i for i, m in enumerate(messages) if m["role"] == "user"), default=-1)
        guarded = []
        for i, message in enumerate(messages):
            if message["role"] != "user":
                guarded.append(dict(message))
                continue
            verdict = self.guard.scan(message["content"], Direction.INPUT)
            if i == last_user or verdict.blocked:
                verdict = self.guard.check(message["content"], Direction.INPUT)
            if verdict.blocked:
                raise GuardrailError(Direction.INPUT, verdict)
            guarded.append({**message, "content": verdict.text})
        return guarded

    def chat(self, messages: Sequence[Message], **options: Any) -> Reply:
        """One completion.

        Raises:
            GuardrailError: the input or the output was blocked.
            openai.APIError: the model endpoint failed.
        """
        guarded = self._guard_input(messages)
        start = time.perf_counter()
        try:
            response = self._client.chat.completions.create(
                model=self.settings.model, messages=guarded, **options  # type: ignore[arg-type]
            )
        except openai.APIError as exc:
            telemetry.record_duration(self._labels("chat"), time.perf_counter() - start, error_type=type(exc).__name__)
            raise
        labels = self._labels("chat", response.model)
        telemetry.record_duration(labels, time.perf_counter() - start)
        usage = response.usage
        self._record_tokens(
            labels,
            input_tokens=usage.prompt_tokens if usage else None,
            output_tokens=usage.completion_tokens if usage else None,
        )
        text = response.choices[0].message.content or ""
        return Reply(
            text=self.guard.enforce(text, Direction.OUTPUT),
            model=response.model,
            input_tokens=usage.prompt_tokens if usage else None,
            output_tokens=usage.completion_tokens if usage else None,
        )

    def stream(self, messages: Sequence[Message], **options: Any) -> Iterator[str]:
        """A streamed completion, piece by piece.

        The output guard sees the text received so far before each piece is passed on, so a
        secret is never sent whole; a blocked stream ends with GuardrailError.
        """
        guarded = self._guard_input(messages)
        start = time.perf_counter()
        labels = self._labels("chat")
        first = True
        received = ""
        usage = None
        try:
            stream = self._client.chat.completions.create(
                model=self.settings.model,
                messages=guarded,  # type: ignore[arg-type]
                stream=True,
                stream_options={"include_usage": True},
                **options,
            )
            for chunk in stream:
                if chunk.model:
                    labels = self._labels("chat", chunk.model)
                if chunk.usage is not None:
                    usage = chunk.usage
                if not chunk.choices or not chunk.choices[0].delta.content:
                    continue
                piece = chunk.choices[0].delta.content
                if first:
                    telemetry.record_time_to_first_token(labels, time.perf_counter() - start)
                    first = False
                received += piece
                # A secret is short: the tail of the text so far is enough to catch one.
                if self.guard.scan(received[-_TAIL:], Direction.OUTPUT).blocked:
                    raise GuardrailError(Direction.OUTPUT, self.guard.check(received, Direction.OUTPUT))
                yield piece
        except openai.APIError as exc:
            telemetry.record_duration(labels, time.perf_counter() - start, error_type=type(exc).__name__)
            raise
        telemetry.record_duration(labels, time.perf_counter() - start)
        self._record_tokens(
            labels,
            input_tokens=usage.prompt_tokens if usage else None,
            output_tokens=usage.completion_tokens if usage else None,
        )
        # The whole answer once more, so that PII split across pieces is still counted.
        self.guard.check(received, Direction.OUTPUT)

    def embed(self, texts: Sequence[str], *, model: str) -> list[list[float]]:
        """Embeddings of ``texts``; what they carry is guarded when it is sent to the chat model."""
        start = time.perf_counter()
        labels = telemetry.model_labels(
            operation="embeddings", provider=self.settings.provider, request_model=model, response_model=None
        )
        try:
            response = self._client.embeddings.create(model=model, input=list(texts))
        except openai.APIError as exc:
            telemetry.record_duration(labels, time.perf_counter() - start, error_type=type(exc).__name__)
            raise
        labels["gen_ai_response_model"] = response.model or model
        telemetry.record_duration(labels, time.perf_counter() - start)
        self._record_tokens(labels, input_tokens=response.usage.prompt_tokens, output_tokens=None)
        return [item.embedding for item in sorted(response.data, key=lambda d: d.index)]

