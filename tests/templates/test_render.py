"""Rendering: every template with every answer set, the CLI, and refused answers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from portal_api.cli import app as cli
from portal_api.errors import InvalidInputError
from portal_api.scaffolder import (
    COMMON,
    COMMON_COPY,
    GENERATED,
    TEMPLATES_DIR,
    ProjectRequest,
    build_templates,
    generated_file,
    list_templates,
    models,
    render,
)
from tests.catalog.validator import check_github_workflow
from tests.templates.conftest import Project

LEFTOVER = re.compile(r"\{\{\s*cookiecutter|\{%|cookiecutter\.")


def test_the_three_templates_are_found() -> None:
    assert list_templates() == ["genai-service", "gradio-app", "rag-service"]


def test_rendered_project_has_the_platform_files(project: Project) -> None:
    root = project.path
    assert root.name == project.answers["component_id"]
    for path in [
        "Dockerfile",
        "README.md",
        "catalog-info.yaml",
        ".github/workflows/ci.yaml",
        "deploy/base/kustomization.yaml",
        "prompts/system.md",
        "prompts/kustomization.yaml",
        "evals/dataset.jsonl",
        f"src/{project.package}/app.py",
        f"src/{project.package}/guard.py",
        f"src/{project.package}/telemetry.py",
        "tests/test_platform.py",
        "tests/test_app.py",
    ]:
        assert (root / path).is_file(), path
    for file in root.rglob("*"):
        if file.is_file():
            assert not LEFTOVER.search(file.read_text(encoding="utf-8")), (
                f"unrendered Jinja in {file}"
            )
    assert (root / "deploy/overlays/knative").is_dir() is project.answers["serverless"]


def test_catalog_info_names_owner_system_and_model(project: Project) -> None:
    entity = yaml.safe_load((project.path / "catalog-info.yaml").read_text())
    answers = project.answers
    assert entity["metadata"]["name"] == answers["component_id"]
    assert entity["metadata"]["description"] == answers.get(
        "description", entity["metadata"]["description"]
    )
    annotations = entity["metadata"]["annotations"]
    assert annotations["backstage.io/kubernetes-id"] == answers["component_id"]
    assert annotations["backstage.io/kubernetes-namespace"] == answers.get("namespace", "genai")
    assert annotations["genai-portal.io/model"] == answers["model"]
    assert annotations["genai-portal.io/template"] == project.template
    owner = answers.get("owner", "platform-team")
    assert entity["spec"]["owner"] == (owner if ":" in owner else f"group:default/{owner}")
    assert annotations["genai-portal.io/team"] == owner.split("/")[-1].split(":")[-1]
    assert entity["spec"]["system"] == answers.get("system", "genai-apps")
    assert entity["spec"]["consumesApis"] == [f"api:default/{models()[answers['model']]['api']}"]


def test_ci_workflow_pushes_prompts_and_evals(project: Project) -> None:
    workflow = yaml.safe_load((project.path / ".github/workflows/ci.yaml").read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "pytest" in commands
    assert f"python -m {project.package}.evaluate" in commands
    assert f"python -m {project.package}.portal prompts" in commands
    assert f"python -m {project.package}.portal evals evals/results.json" in commands
    assert (
        "${{ secrets.PORTAL_INGEST_TOKEN }}"
        in (project.path / ".github/workflows/ci.yaml").read_text()
    )


def test_ci_workflow_is_a_valid_github_workflow(project: Project) -> None:
    """Checked against the GitHub Actions workflow schema that check-jsonschema ships."""
    check_github_workflow(project.path / ".github/workflows/ci.yaml")


def test_dockerfile_runs_as_non_root(project: Project) -> None:
    lines = (project.path / "Dockerfile").read_text().splitlines()
    assert sum(line.startswith("FROM ") for line in lines) == 2  # build stage apart
    assert "USER 10001:10001" in lines
    assert lines.index("USER 10001:10001") > max(
        i for i, line in enumerate(lines) if line.startswith("FROM ")
    )


def _variables(part: Path) -> set[str]:
    """The cookiecutter variables a template part's files and names use."""
    found: set[str] = set()
    for path in part.rglob("*"):
        text = str(path.relative_to(part)) + (path.read_text() if path.is_file() else "")
        found.update(re.findall(r"cookiecutter\.(\w+)", text))
    return found


def test_backstage_steps_pass_every_variable_the_skeletons_use() -> None:
    """Backstage's fetch:cookiecutter knows only the step's values: they must name every
    variable the skeletons use, derived ones included."""
    parameters = yaml.safe_load((TEMPLATES_DIR / COMMON / "parameters.yaml").read_text())
    enum = next(p["properties"]["model"]["enum"] for p in parameters if "model" in p["properties"])
    assert enum == list(models())
    shared = _variables(TEMPLATES_DIR / COMMON / "skeleton")
    for template in list_templates():
        spec = yaml.safe_load((TEMPLATES_DIR / template / "template.yaml").read_text())["spec"]
        # Self-contained (Backstage resolves nothing outside the template's folder): the shared
        # questions and model table are copies of _common's, made by `make templates`.
        assert spec["parameters"] == parameters
        steps = {s["id"]: s for s in spec["steps"]}
        fetches = [s for s in spec["steps"] if s["action"] == "fetch:cookiecutter"]
        assert [s["input"]["url"] for s in fetches] == [f"./{COMMON_COPY}", "./skeleton"]
        used = shared | _variables(TEMPLATES_DIR / template / "skeleton")
        for step in fetches:
            values = step["input"]["values"]
            assert used <= set(values), used - set(values)
            assert values["template_name"] == template
            assert values["_models"] == models()
        drop = steps["drop-knative"]
        assert drop["action"] == "fs:delete"
        assert drop["if"] == "${{ not parameters.serverless }}"
        assert drop["input"]["files"] == ["deploy/overlays"]
        assert [s["action"] for s in spec["steps"]][-2:] == ["publish:github", "catalog:register"]


def test_cli_new_renders_a_project(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "new",
            "rag-service",
            "--name",
            "docs-qa",
            "--owner",
            "team-docs",
            "--serverless",
            "--output-dir",
            str(tmp_path),
            "--template-dir",
            str(TEMPLATES_DIR),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "docs-qa/src/docs_qa/store.py").is_file()
    assert (tmp_path / "docs-qa/deploy/overlays/knative/knative-service.yaml").is_file()
    # A second run refuses to overwrite; --force does.
    again = ["new", "rag-service", "--name", "docs-qa", "--output-dir", str(tmp_path)]
    assert CliRunner().invoke(cli, again).exit_code == 2
    assert CliRunner().invoke(cli, [*again, "--force"]).exit_code == 0


@pytest.mark.parametrize(
    ("template", "answers", "message"),
    [
        ("genai-service", {"component_id": "Bad_Name"}, "component_id"),
        ("genai-service", {"component_id": "ok", "model": "gpt-2"}, "unknown model"),
        ("genai-service", {"component_id": "ok", "namespace": "Not A Namespace"}, "refused"),
        ("genai-service", {"component_id": "ok", "serverless": "yes"}, "serverless"),
        ("no-such-template", {"component_id": "ok"}, "no template"),
        ("genai-service", {"component_id": "ok", "modle": "gpt-4o-mini"}, "unknown answers"),
    ],
)
def test_bad_answers_are_refused(
    tmp_path: Path, template: str, answers: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        render(ProjectRequest(template=template, answers=answers, output_dir=tmp_path))
    assert not (tmp_path / "ok").exists()


def test_template_folders_are_current_copies_of_common() -> None:
    """Each template folder holds what it shares with the others (Backstage reads nothing
    outside it); `_common/` is the source: edit it, then run `make templates`."""
    assert build_templates(check=True) == [], "run `make templates`"


def test_build_templates_repairs_a_drifted_copy(tmp_path: Path) -> None:
    shutil.copytree(TEMPLATES_DIR, tmp_path / "t", ignore=shutil.ignore_patterns("__pycache__"))
    root = tmp_path / "t"
    (root / "rag-service" / COMMON_COPY / "Dockerfile").write_text("FROM scratch\n")
    (root / "gradio-app" / COMMON_COPY / "stray.txt").write_text("left over\n")
    spec = root / "genai-service" / "template.yaml"
    spec.write_text(spec.read_text().replace("gpt-4o-mini:", "gpt-4o-mini-old:", 1))
    stale = [
        "genai-service/template.yaml",
        f"gradio-app/{COMMON_COPY}/",
        f"rag-service/{COMMON_COPY}/",
    ]
    assert build_templates(check=True, template_dir=root) == stale
    assert build_templates(template_dir=root) == stale
    assert build_templates(check=True, template_dir=root) == []
    assert not (root / "gradio-app" / COMMON_COPY / "stray.txt").exists()
    assert yaml.safe_load(spec.read_text())["spec"]["steps"][0]["input"]["values"]["_models"] == (
        models(root)
    )


def test_build_templates_regenerates_the_files_made_from_the_portals_code(tmp_path: Path) -> None:
    shutil.copytree(TEMPLATES_DIR, tmp_path / "t", ignore=shutil.ignore_patterns("__pycache__"))
    root = tmp_path / "t"
    path, source = next(iter(GENERATED.items()))
    (root / COMMON / "skeleton" / path).write_text("def content_hash(): ...\n")
    assert build_templates(check=True, template_dir=root) == [f"{COMMON}/skeleton/{path}"]
    (root / "gradio-app" / COMMON_COPY / path).unlink()
    assert build_templates(template_dir=root) == [
        f"{COMMON}/skeleton/{path}",
        f"gradio-app/{COMMON_COPY}/",
    ]
    assert build_templates(check=True, template_dir=root) == []
    for folder in (COMMON + "/skeleton", *(f"{t}/{COMMON_COPY}" for t in list_templates(root))):
        assert (root / folder / path).read_bytes() == generated_file(source)
