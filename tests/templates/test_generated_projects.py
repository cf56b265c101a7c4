"""Each generated project installs in a fresh virtual environment and passes its own tests."""

from __future__ import annotations

from tests.templates.conftest import Project, Venvs, run


def test_generated_project_passes_its_own_lint_and_tests(project: Project, venvs: Venvs) -> None:
    venv = venvs(project)
    run([str(venv / "bin" / "ruff"), "check", "--no-cache", "."], cwd=project.path, env=venvs.env)
    result = run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project.path,
        env=venvs.env,
    )
    last = result.stdout.strip().splitlines()[-1]
    assert " passed" in last, result.stdout
    assert "failed" not in last, result.stdout
    assert "skipped" not in last, result.stdout
