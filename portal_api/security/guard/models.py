"""Request and response shapes of the guard API."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from portal_api.security.models import OwaspLlm

MAX_TEXT_CHARS = 100_000
MAX_BATCH = 256
MAX_BATCH_CHARS = 400_000  # keeps one request under about a second of work


class Direction(StrEnum):
    INPUT = "input"  # to the model
    OUTPUT = "output"  # from the model


class Verdict(StrEnum):
    PASS = "pass"
    FLAG = "flag"
    BLOCK = "block"


VERDICT_RANK = {Verdict.PASS: 0, Verdict.FLAG: 1, Verdict.BLOCK: 2}


class Span(BaseModel):
    """Where in the submitted text (character offsets, end exclusive) a scanner triggered.

    Secrets and personal data are located, never echoed back.
    """

    start: int
    end: int
    label: str


class ScannerResult(BaseModel):
    scanner: str
    verdict: Verdict
    score: float = Field(ge=0, le=1)
    owasp: OwaspLlm | None = None
    spans: list[Span] = Field(default_factory=list)


class GuardRequest(BaseModel):
    text: str = Field(max_length=MAX_TEXT_CHARS)
    direction: Direction
    canaries: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Canary tokens planted in this call's system prompt (in addition to the "
        "configured ones); seeing one in the text means the prompt leaked.",
    )


class GuardResult(BaseModel):
    direction: Direction
    verdict: Verdict
    scanners: list[ScannerResult]
    chars: int
    notes: list[str] = Field(default_factory=list)


class GuardBatchRequest(BaseModel):
    items: list[GuardRequest] = Field(min_length=1, max_length=MAX_BATCH)

    @model_validator(mode="after")
    def _bounded(self) -> GuardBatchRequest:
        total = sum(len(item.text) for item in self.items)
        if total > MAX_BATCH_CHARS:
            raise ValueError(
                f"the texts of one batch may hold at most {MAX_BATCH_CHARS} characters "
                f"(got {total}); split the batch"
            )
        return self


class GuardBatchResult(BaseModel):
    results: list[GuardResult]
    blocked: int
    flagged: int
