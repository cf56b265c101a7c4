"""Rendered projects of every template, each with several answer sets, and fresh virtual
environments with each project installed (uv, with its shared download cache)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from uv import find_uv_bin

from portal_api.scaffolder import list_templates, render

TEMPLATES = list_templates()
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
        path = render(template=template, answers=answers, output_dir=out)
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
    """One fresh virtual environment per project, made on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[Path, Path] = {}
        self.env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}

    def __call__(self, project: Project) -> Path:
        if project.path not in self.made:
            venv = self.root / project.path.name
            shutil.rmtree(venv, ignore_errors=True)
            uv = find_uv_bin()
            run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], env=self.env)
            run(
                [
                    uv,
                    "pip",
                    "install",
                    "--quiet",
                    "--python",
                    str(venv / "bin" / "python"),
                    "-e",
                    f"{project.path}[test]",
                ],
                env=self.env,
            )
            self.made[project.path] = venv
        return self.made[project.path]


@pytest.fixture(scope="session")
def venvs(tmp_path_factory: pytest.TempPathFactory) -> Venvs:
    return Venvs(tmp_path_factory.mktemp("venvs"))
