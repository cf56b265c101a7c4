"""Prompts are versioned files in prompts/; in the cluster they are mounted from ConfigMaps
labelled genai-portal.io/prompt (see deploy/base), and the portal identifies each version by
its content hash, computed here exactly as the portal does (prompt_identity.py is the portal's
own function).

A prompt is ``<name>.md`` (the text alone), or ``<name>.yaml`` in the portal's prompt format:
``template`` with its ``model`` and ``parameters`` (what ``genai-portal promote`` writes from a
notebook's prompt cells; the ConfigMap holds it under the key ``prompt.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .prompt_identity import content_hash


@dataclass(frozen=True)
class Prompt:
    name: str
    text: str
    model: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    variables: tuple[str, ...] = ()

    def content_hash(self, default_model: str | None) -> str:
        """The portal's identity of this prompt as portal.py pushes it (its own model, else
        ``default_model``)."""
        return content_hash(
            self.text,
            variables=list(self.variables) or None,
            model=self.model or default_model,
            parameters=self.parameters,
        )

    def render(self, **values: str) -> str:
        return self.text.format(**values)


def _read(path: Path, name: str) -> Prompt:
    if path.suffix != ".yaml":
        return Prompt(name=name, text=path.read_text(encoding="utf-8"))
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(content, dict) or not isinstance(content.get("template"), str):
        raise ValueError(f"{path}: a prompt file holds a mapping with a 'template' string")
    return Prompt(
        name=name,
        text=content["template"],
        model=content.get("model"),
        parameters=content.get("parameters") or {},
        variables=tuple(content.get("variables") or ()),
    )


def load_prompt(directory: Path, name: str) -> Prompt:
    """The prompt ``name`` from ``directory``: ``<name>.md`` or ``<name>.yaml``, or a mounted
    ConfigMap's ``<name>/<name>.md`` or ``<name>/prompt.yaml``."""
    for candidate in (
        directory / f"{name}.md",
        directory / f"{name}.yaml",
        directory / name / f"{name}.md",
        directory / name / "prompt.yaml",
    ):
        if candidate.is_file():
            return _read(candidate, name)
    raise FileNotFoundError(f"prompt {name!r} not found in {directory}")


def list_prompts(directory: Path) -> list[Prompt]:
    files = sorted([*directory.glob("*.md"), *directory.glob("*.yaml")])
    return [_read(p, p.stem) for p in files if p.name != "kustomization.yaml"]
