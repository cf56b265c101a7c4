"""The optional model-backed scanner: a safety classifier behind an OpenAI-compatible endpoint.

Llama Guard (or any moderation model with its chat template) served by vLLM, TGI or a hosted
provider: the text goes out as one chat turn (a user turn for inputs, an assistant turn for
outputs) and the model answers ``safe`` or ``unsafe`` with the violated categories on the
next line (``S1,S14``). Answers that start with a Prompt Guard style label (``INJECTION``,
``JAILBREAK``, ``MALICIOUS``) count as unsafe too; ``BENIGN`` as safe.

Set by PORTAL_GUARD_MODEL_URL, PORTAL_GUARD_MODEL, PORTAL_GUARD_MODEL_API_KEY and
PORTAL_GUARD_MODEL_TIMEOUT_SECONDS. The call has a hard timeout and no retries: when the
endpoint is slow, down or answers something unreadable, the local scanners' verdict stands
alone and the result says so in its notes. The verdict is merged with the local scanners'
(the stricter wins).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from portal_api.config import Settings
from portal_api.security.guard.models import Direction, ScannerResult, Span, Verdict
from portal_api.security.models import OwaspLlm

if TYPE_CHECKING:
    import openai

log = logging.getLogger(__name__)

_UNSAFE = ("unsafe", "injection", "jailbreak", "malicious")
_SAFE = ("safe", "benign")
# Only the text's head is sent: classifiers have short context windows, attacks lead.
MAX_CHARS = 16_000


@dataclass(frozen=True)
class RemoteScanner:
    base_url: str
    model: str
    api_key: str = field(default="unused", repr=False)
    timeout_seconds: float = 2.0
    block: bool = True  # an unsafe verdict blocks (False: it flags)

    def _client(self) -> openai.OpenAI:
        import openai  # a heavy library (~50 MB): loaded when a model scanner is used

        return openai.OpenAI(
            base_url=self.base_url,
            api_key=self.api_key,
            timeout=self.timeout_seconds,
            max_retries=0,
        )

    def scan(self, text: str, direction: Direction) -> tuple[ScannerResult | None, str | None]:
        """The model's verdict, or (None, why) when it could not be had."""
        content = text[:MAX_CHARS]
        messages: list[dict[str, str]] = (
            [{"role": "user", "content": content}]
            if direction == Direction.INPUT
            else [
                {"role": "user", "content": "(request not shown)"},
                {"role": "assistant", "content": content},
            ]
        )
        import openai

        try:
            response = self._client().chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                max_tokens=20,
                temperature=0,
            )
        except openai.APITimeoutError:
            return None, f"model scanner timed out after {self.timeout_seconds:g} s"
        except openai.APIError as exc:
            return None, f"model scanner unavailable ({type(exc).__name__})"
        answer = (response.choices[0].message.content or "").strip() if response.choices else ""
        first, _, rest = answer.partition("\n")
        label = first.strip().lower()
        if label.startswith(_UNSAFE):
            categories = [c.strip() for c in rest.replace(" ", "").split(",") if c.strip()]
            owasp = OwaspLlm.LLM01 if direction == Direction.INPUT else OwaspLlm.LLM05
            return ScannerResult(
                scanner="model",
                verdict=Verdict.BLOCK if self.block else Verdict.FLAG,
                score=1.0,
                owasp=owasp,
                spans=[
                    Span(start=0, end=len(text), label=f"{self.model}:{c}")
                    for c in (categories or [label])
                ],
            ), None
        if label.startswith(_SAFE):
            return ScannerResult(scanner="model", verdict=Verdict.PASS, score=0.0), None
        return None, "model scanner answered neither safe nor unsafe"


def from_settings(settings: Settings) -> RemoteScanner | None:
    """The configured model scanner, or None (PORTAL_GUARD_MODEL_URL and _MODEL unset)."""
    if not settings.guard_model_url or not settings.guard_model:
        return None
    key = settings.guard_model_api_key
    return RemoteScanner(
        base_url=settings.guard_model_url,
        model=settings.guard_model,
        api_key=key.get_secret_value() if key else "unused",
        timeout_seconds=settings.guard_model_timeout_seconds,
    )
