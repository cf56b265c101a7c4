"""Prompts are versioned files in prompts/; in the cluster they are mounted from ConfigMaps
labelled genai-portal.io/prompt (see deploy/base), and the portal identifies each version by
the SHA-256 of its content."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Prompt:
    name: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    def render(self, **values: str) -> str:
        return self.text.format(**values)


def load_prompt(directory: Path, name: str) -> Prompt:
    """The prompt ``name`` from ``directory``: ``<name>.md``, or a mounted ConfigMap's
    ``<name>/<name>.md``."""
    for candidate in (directory / f"{name}.md", directory / name / f"{name}.md"):
        if candidate.is_file():
            return Prompt(name=name, text=candidate.read_text(encoding="utf-8"))
    raise FileNotFoundError(f"prompt {name!r} not found in {directory}")


def list_prompts(directory: Path) -> list[Prompt]:
    return [Prompt(name=p.stem, text=p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.md"))]
