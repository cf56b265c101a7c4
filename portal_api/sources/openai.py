"""OpenAI-compatible model endpoint: chat completions through the official ``openai`` client."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel

from portal_api.config import Settings
from portal_api.errors import SourceError

log = logging.getLogger(__name__)

SOURCE = "openai"
# The client wants a key even when the endpoint (a local proxy, vLLM) ignores it.
_NO_KEY = "not-needed"


@contextmanager
def _as_source_error(doing: str) -> Iterator[None]:
    """Turn the openai client's errors while ``doing`` something into a ``SourceError``
    (with the status the endpoint answered, if any); the message never carries the key."""
    import openai  # on first use: it is heavy, and a portal without evaluations never needs it

    try:
        yield
    except openai.APITimeoutError:
        raise SourceError(SOURCE, f"model endpoint timed out {doing}") from None
    except openai.APIStatusError as exc:
        message = f"model endpoint answered {exc.status_code} {doing}"
        raise SourceError(SOURCE, message, status=exc.status_code) from None
    except openai.APIConnectionError:
        raise SourceError(SOURCE, "model endpoint unreachable") from None
    except (openai.APIError, openai.OpenAIError) as exc:
        raise SourceError(SOURCE, f"model endpoint failed: {type(exc).__name__}") from None


class ChatResult(BaseModel):
    """One completion: the text and what it consumed."""

    text: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    finish_reason: str | None = None


class OpenAISource:
    """Calls ``/chat/completions`` of any OpenAI-compatible endpoint.

    The client retries 408/409/429/5xx and connection errors itself, with exponential
    backoff that honours ``Retry-After``, up to ``max_retries`` times.
    """

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 3,
    ) -> None:
        import openai  # a heavy library (~50 MB): loaded only when an endpoint is configured

        self.base_url = base_url
        self.client = openai.OpenAI(
            base_url=base_url,
            api_key=api_key or _NO_KEY,
            timeout=openai.Timeout(timeout, connect=min(timeout, 10.0)),
            max_retries=max_retries,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAISource | None:
        """The source, or None when ``PORTAL_OPENAI_BASE_URL`` is unset."""
        if not settings.openai_base_url:
            return None
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return cls(
            settings.openai_base_url,
            api_key=key,
            timeout=settings.openai_timeout_seconds,
            max_retries=settings.openai_max_retries,
        )

    def close(self) -> None:
        self.client.close()

    def list_models(self) -> list[str]:
        """The model ids the endpoint serves (``GET /models``): a reachability probe for sync.

        Raises:
            SourceError: the endpoint refused, failed or could not be reached.
        """
        with _as_source_error("listing models"):
            return sorted(m.id for m in self.client.models.list())

    def chat(
        self,
        *,
        model: str,
        messages: list[dict[str, str]],
        parameters: dict[str, Any] | None = None,
    ) -> ChatResult:
        """One chat completion.

        Args:
            model: the model name the endpoint knows.
            messages: ``[{"role": ..., "content": ...}]``.
            parameters: sampling parameters (temperature, max_tokens, top_p, ...).

        Returns:
            The first choice's text and the token usage the endpoint reported.

        Raises:
            SourceError: the endpoint refused, failed after retries, timed out or answered
                something that is not a chat completion.
        """

        params = {k: v for k, v in (parameters or {}).items() if k in _PASSED_PARAMETERS}
        with _as_source_error(f"for {model}"):
            response = self.client.chat.completions.create(
                model=model,
                messages=messages,  # type: ignore[arg-type]
                **params,
            )
        if not response.choices:
            raise SourceError(SOURCE, f"model endpoint returned no choices for {model}")
        choice = response.choices[0]
        usage = response.usage
        return ChatResult(
            text=choice.message.content or "",
            model=response.model or model,
            input_tokens=usage.prompt_tokens if usage else 0,
            output_tokens=usage.completion_tokens if usage else 0,
            finish_reason=choice.finish_reason,
        )


# Parameters forwarded to the endpoint; anything else in a prompt's parameters is metadata.
_PASSED_PARAMETERS = frozenset(
    {
        "temperature",
        "top_p",
        "max_tokens",
        "max_completion_tokens",
        "presence_penalty",
        "frequency_penalty",
        "stop",
        "seed",
        "response_format",
    }
)
