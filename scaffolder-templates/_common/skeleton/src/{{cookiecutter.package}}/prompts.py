"""Prompts are versioned files in prompts/; in the cluster they are mounted from ConfigMaps
labelled genai-portal.io/prompt (see deploy/base), and the portal identifies each version by
its content hash, computed here exactly as the portal does (prompt_identity.py is the portal's
own function)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from {{ cookiecutter.package }}.prompt_identity import content_hash


@dataclass(frozen=True)
class Prompt:
    name: str
    text: str

    def content_hash(self, model: str | None) -> str:
        """The portal's identity of this prompt as pushed with ``model`` (see portal.py)."""
        return content_hash(self.text, model=model)

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
