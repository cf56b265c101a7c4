"""What the prompt pages show from other domains, as protocols the composition root fills.

Evaluation scores come from ``portal_api.evals`` and usage from ``portal_api.usage``; both of
those depend on prompts (a run belongs to a prompt version), so prompts names only the shape
of what it reads and ``main.create_app`` hands the implementations over
(``app.state.prompt_readers``). Without them a version's scores are empty and its usage null.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session

from portal_api.config import Settings
from portal_api.prompts.models import VersionScores
from portal_api.prompts.usage import UsageReader


class ScoreReader(Protocol):
    """Mean evaluation scores and pass rate per prompt version, over all its runs."""

    def __call__(self, *, session: Session, version_ids: list[int]) -> dict[int, VersionScores]: ...


@dataclass(frozen=True)
class PromptReaders:
    scores: ScoreReader
    # Built per request from the settings (the prices file may change between requests).
    usage: Callable[[Settings], UsageReader]
