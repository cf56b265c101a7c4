"""The scorecard file: the shipped default, and every way an admin's file can be wrong."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.main import create_app
from portal_api.readiness.scorecard import DEFAULT_FILE, ScorecardError, load_scorecard
from portal_api.readiness.sync import STEPS as READINESS_STEPS
from portal_api.sources.bundle import Sources
from portal_api.sources.prometheus import PrometheusSource
from portal_api.sync.collector import SyncPass, run_step
from tests.servers.process import CLI, env_without_portal


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scorecard.yaml"
    path.write_text(text)
    return path


def test_the_shipped_default_has_three_cumulative_levels() -> None:
    card = load_scorecard()
    assert card.level_names == ["bronze", "silver", "gold"]
    assert card.required("silver")[:5] == card.levels[0].checks
    assert card.level_of(set(card.levels[0].checks)) == "bronze"
    # Passing silver's checks without bronze's reaches nothing: levels are cumulative.
    assert card.level_of(set(card.levels[1].checks)) is None
    assert card.parameters.finding_sla_days == {"critical": 7, "high": 30}


def test_an_admin_file_changes_levels_and_thresholds(tmp_path: Path) -> None:
    card = load_scorecard(
        write(
            tmp_path,
            "levels:\n  - name: basic\n    checks: [OBS-BUDGET]\n"
            "parameters:\n  min_dataset_cases: 5\n  finding_sla_days: {high: 60}\n",
        )
    )
    assert card.level_names == ["basic"]
    assert card.parameters.min_dataset_cases == 5
    assert card.parameters.finding_sla_days == {"critical": 7, "high": 60}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("levels: [\n  - name: x", "not valid YAML at line"),
        ("- just a list", "expected a mapping with 'levels'"),
        ("levels: []", "levels: List should have at least 1 item"),
        (
            "levels:\n  - name: bronze\n    checks: [OBS-BUDGET, NO-SUCH-CHECK]\n",
            "unknown check ids NO-SUCH-CHECK",
        ),
        (
            "levels:\n  - name: a\n    checks: [OBS-BUDGET]\n  - name: b\n    checks: [OBS-BUDGET]\n",
            "check OBS-BUDGET is in both a and b",
        ),
        (
            "levels:\n  - name: a\n    checks: [OBS-BUDGET]\n  - name: a\n    checks: [REL-PDB]\n",
            "level names repeat: a",
        ),
        ("levels:\n  - name: Gold!\n    checks: [OBS-BUDGET]\n", "levels.0.name"),
        (
            "levels:\n  - name: a\n    checks: [OBS-BUDGET]\nparameters:\n  min_replicas: 0\n",
            "parameters.min_replicas",
        ),
        (
            "levels:\n  - name: a\n    checks: [OBS-BUDGET]\nparameters:\n  typo_key: 1\n",
            "parameters.typo_key: Extra inputs are not permitted",
        ),
        (
            "levels:\n  - name: a\n    checks: [OBS-BUDGET]\nparameters:\n"
            "  finding_sla_days: {medium: 3}\n",
            "not medium",
        ),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScorecardError) as err:
        load_scorecard(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_a_bad_file_stops_start_up(tmp_path: Path) -> None:
    bad = write(tmp_path, "levels:\n  - name: a\n    checks: [NOPE]\n")
    with pytest.raises(ScorecardError, match="unknown check ids NOPE"):
        create_app(Settings(database_url="sqlite://", scorecard_file=bad))
    with pytest.raises(ScorecardError, match="cannot read it"):
        create_app(Settings(database_url="sqlite://", scorecard_file=tmp_path / "missing.yaml"))


def test_the_default_file_ships_inside_the_package() -> None:
    assert DEFAULT_FILE.parent.name == "readiness"
    assert DEFAULT_FILE.is_file()


def test_serve_refuses_to_start_with_a_bad_file(tmp_path: Path) -> None:
    bad = write(tmp_path, "levels:\n  - name: gold\n    checks: [REL-PDB, REL-PDBS]\n")
    env = env_without_portal(
        PORTAL_DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}",
        PORTAL_SCORECARD_FILE=str(bad),
        PORTAL_SYNC_INTERVAL_SECONDS="0",
    )
    out = subprocess.run(
        [*CLI, "serve", "--port", "1"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert out.returncode == 2, out.stdout + out.stderr
    assert "unknown check ids REL-PDBS" in " ".join((out.stdout + out.stderr).split())
    assert "Traceback" not in out.stderr


def test_a_file_broken_after_start_fails_the_history_step_with_the_reason(
    tmp_path: Path, db: Database, settings: Settings
) -> None:
    bad = write(tmp_path, "levels:\n  - name: gold\n    checks: [REL-PDBX]\n")
    sources = Sources(prometheus=PrometheusSource("http://127.0.0.1:9", timeout=1))
    broken = settings.model_copy(update={"scorecard_file": bad})
    result = run_step(READINESS_STEPS[1], SyncPass(db, sources, broken))
    assert not result.ok
    assert result.error is not None
    assert "unknown check ids REL-PDBX" in result.error
