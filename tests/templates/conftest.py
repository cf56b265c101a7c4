"""Rendered projects of every template, each with several answer sets, and fresh virtual
environments with each project installed (uv, with its shared download cache)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from uv import find_uv_bin

from portal_api.scaffolder import ProjectRequest, list_templates, render
from tests.servers.openai import OpenAIState, openai_server
from tests.servers.process import PortalProcess, env_without_portal, start_portal, start_server
from tests.servers.prometheus import free_port

TEMPLATES = list_templates()
# What the test model answers to every question.
MODEL_REPLY = "Paris is the capital of France [1]."
# Names with dashes, every model in every template (rotated), serverless on and off, a
# description that needs quoting in TOML, YAML and Python.
ANSWER_SETS: dict[str, dict[str, Any]] = {
    "plain": {
        "component_id": "support-bot-2",
        "description": 'Answers "support" questions: it\'s fast\\',
        "owner": "group:default/team-support",
        "model": "gpt-4o-mini",
        "serverless": False,
    },
    "serverless": {
        "component_id": "kb",
        "owner": "team-search",
        "model": "llama-3.1-8b-instruct",
        "namespace": "ml-apps",
        "serverless": True,
    },
    "mistral": {
        "component_id": "a-b-c-d",
        "system": "customer-care",
        "model": "mistral-small-latest",
        "serverless": True,
        "repo_slug": "acme/a-b-c-d",
    },
}
MODELS = ["gpt-4o-mini", "llama-3.1-8b-instruct", "mistral-small-latest"]
RENDERS = [(t, s) for t in TEMPLATES for s in ANSWER_SETS]


@dataclass(frozen=True)
class Project:
    template: str
    answers: dict[str, Any]
    path: Path

    @property
    def package(self) -> str:
        return str(self.answers["component_id"]).replace("-", "_")


def answers_for(template: str, answer_set: str) -> dict[str, Any]:
    answers = dict(ANSWER_SETS[answer_set])
    # Each template gets each model across the answer sets.
    answers["model"] = MODELS[
        (MODELS.index(answers["model"]) + TEMPLATES.index(template)) % len(MODELS)
    ]
    answers["component_id"] = f"{answers['component_id']}-{template}"
    return answers


@pytest.fixture(scope="session")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Project]:
    out = tmp_path_factory.mktemp("rendered")
    rendered = {}
    for template, answer_set in RENDERS:
        answers = answers_for(template, answer_set)
        path = render(ProjectRequest(template=template, answers=answers, output_dir=out))
        rendered[template, answer_set] = Project(template, answers, path)
    return rendered


@pytest.fixture(params=RENDERS, ids=[f"{t}-{s}" for t, s in RENDERS])
def project(request: pytest.FixtureRequest, projects: dict[tuple[str, str], Project]) -> Project:
    return projects[request.param]


def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, capture_output=True, text=True, timeout=300, check=False, **kwargs
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


class Venvs:
    """Fresh virtual environments with a project installed (with the given extras), made on
    first use and kept for the session."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[tuple[Path, str], Path] = {}
        self.env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}

    def __call__(self, project: Project, extras: str = "test") -> Path:
        key = (project.path, extras)
        if key not in self.made:
            venv = self.root / f"{project.path.name}-{extras.replace(',', '-')}"
            shutil.rmtree(venv, ignore_errors=True)
            uv = find_uv_bin()
            run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], env=self.env)
            python = str(venv / "bin" / "python")
            run(
                [
                    uv,
                    "pip",
                    "install",
                    "--quiet",
                    "--python",
                    python,
                    "-e",
                    f"{project.path}[{extras}]",
                ],
                env=self.env,
            )
            self.made[key] = venv
        return self.made[key]


@pytest.fixture(scope="session")
def venvs(tmp_path_factory: pytest.TempPathFactory) -> Venvs:
    return Venvs(tmp_path_factory.mktemp("venvs"))


# The ingest token generated services use to call the portal's guard.
GUARD_TOKEN = "template-guard-ingest-token-0001"


@dataclass(frozen=True)
class Portal:
    url: str
    token: str

    @property
    def env(self) -> dict[str, str]:
        """What a generated service needs to be guarded by this portal."""
        return {"PORTAL_URL": self.url, "PORTAL_INGEST_TOKEN": self.token}


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """A real portal (``genai-portal serve`` on SQLite) whose guard the generated services call."""
    workdir = tmp_path_factory.mktemp("portal")
    env = env_without_portal(
        PORTAL_DATABASE_URL=f"sqlite:///{workdir / 'portal.db'}",
        PORTAL_API_TOKENS=json.dumps(
            [{"name": "services", "token": GUARD_TOKEN, "scopes": ["ingest"]}]
        ),
        PORTAL_SYNC_INTERVAL_SECONDS="86400",
    )
    server: PortalProcess = start_portal(["serve"], env, workdir)
    try:
        yield Portal(server.url, GUARD_TOKEN)
    finally:
        server.stop()


@dataclass(frozen=True)
class Installed:
    """A template's plain project installed in its own venv, talking to the test model server
    (``model_url``, whose ``model`` state records the requests)."""

    project: Project
    venv: Path
    model_url: str
    model: OpenAIState

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")

    def env(self, **env: str) -> dict[str, str]:
        """The environment the project runs in: this one without the test run's venv, the
        test model as its OpenAI API, then ``env``."""
        return project_env(self.model_url, **env)

    def serve(self, **env: str) -> AbstractContextManager[str]:
        """Run the generated service (uvicorn from its own venv); yields its base URL. Pass
        ``**portal.env`` to have it guarded by a portal."""
        return serve(self.project, self.venv, self.model_url, **env)


def project_env(model_url: str, **env: str) -> dict[str, str]:
    """The environment a generated project runs in: this one without the test run's venv, the
    model at ``model_url`` as its OpenAI API, then ``env``."""
    return {
        **{k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
        "OPENAI_BASE_URL": model_url,
        "OPENAI_API_KEY": "test-key",
        **env,
    }


@contextmanager
def serve(project: Project, venv: Path, model_url: str, **env: str) -> Iterator[str]:
    """Run a generated project's service (uvicorn from ``venv``) against the model at
    ``model_url``; yields its base URL. Pass ``**portal.env`` to have it guarded by a portal."""
    port = free_port()
    uvicorn = str(venv / "bin" / "uvicorn")
    server = start_server(
        [uvicorn, "--factory", "--port", str(port), f"{project.package}.app:create_app"],
        cwd=project.path,
        env=project_env(model_url, GRADIO_ANALYTICS_ENABLED="False", **env),
        port=port,
    )
    try:
        yield server.url
    finally:
        server.stop()


Install = Callable[..., Installed]


@pytest.fixture
def install(
    projects: dict[tuple[str, str], Project], venvs: Venvs, model: tuple[str, OpenAIState]
) -> Install:
    """``install(template, extras="test")``: the template's plain project, installed."""

    def installed(template: str, extras: str = "test") -> Installed:
        project = projects[template, "plain"]
        return Installed(project, venvs(project, extras), *model)

    return installed


@pytest.fixture(scope="module")
def model() -> Iterator[tuple[str, OpenAIState]]:
    """The OpenAI-compatible test server: its base_url and state. Every question is answered
    with the sentence below (a cited answer, as the RAG service asks the model for)."""
    with openai_server() as served:
        served[1].reply("", MODEL_REPLY)
        yield served
