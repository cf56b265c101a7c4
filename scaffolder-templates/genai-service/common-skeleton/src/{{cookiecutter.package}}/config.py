"""Settings from the environment (the Deployment sets them; see deploy/base/deployment.yaml)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

APP_NAME = "{{ cookiecutter.component_id }}"
PROJECT_DIR = Path(__file__).resolve().parents[2]


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


@dataclass(frozen=True)
class Settings:
    """What the service needs to reach its model and the portal."""

    openai_base_url: str = field(
        default_factory=lambda: _env("OPENAI_BASE_URL", "{{ cookiecutter._models[cookiecutter.model].base_url }}")
    )
    # Never logged: the key comes from the Secret named in the Deployment.
    openai_api_key: str = field(default_factory=lambda: _env("OPENAI_API_KEY", "unset"), repr=False)
    model: str = field(default_factory=lambda: _env("GEN_AI_MODEL", "{{ cookiecutter.model }}"))
    embedding_model: str = field(
        default_factory=lambda: _env("GEN_AI_EMBEDDING_MODEL", "{{ cookiecutter._models[cookiecutter.model].embedding }}")
    )
    provider: str = field(
        default_factory=lambda: _env("GEN_AI_PROVIDER", "{{ cookiecutter._models[cookiecutter.model].provider }}")
    )
    prompts_dir: Path = field(
        default_factory=lambda: Path(_env("PROMPTS_DIR", str(PROJECT_DIR / "prompts")))
    )
    timeout_seconds: float = field(
        default_factory=lambda: float(_env("OPENAI_TIMEOUT_SECONDS", "60"))
    )
    # The portal's guard (POST /api/v1/guard/check) checks every model input and output.
    portal_url: str = field(default_factory=lambda: _env("PORTAL_URL", ""))
    # Never logged: a token with the ``ingest`` scope, from the Secret named in the Deployment.
    portal_ingest_token: str = field(default_factory=lambda: _env("PORTAL_INGEST_TOKEN", ""), repr=False)
    guard_timeout_seconds: float = field(default_factory=lambda: float(_env("GUARD_TIMEOUT_SECONDS", "2")))
    # closed: a text the guard could not check is blocked; open: it passes (and is counted).
    guard_fail_closed: bool = field(
        default_factory=lambda: _env("GUARD_FAIL_MODE", "closed").strip().lower() != "open"
    )
    deny_list: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            w.strip().lower() for w in _env("GUARD_DENY_LIST", "").split(",") if w.strip()
        )
    )
