"""The scorecard's rules: which checks make each level, and the checks' thresholds.

Admins replace the shipped ``scorecard.yaml`` with ``PORTAL_SCORECARD_FILE``. The file is read
and validated when the app starts: a broken file stops start-up with the reason, instead of
scoring every app against rules nobody wrote.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from portal_api.errors import PortalError
from portal_api.readiness.checks import CHECKS_BY_ID

DEFAULT_FILE = Path(__file__).with_name("scorecard.yaml")


class ScorecardError(PortalError):
    """The scorecard file cannot be used; the message says where and why."""

    status_code = 500
    kind = "ScorecardError"


class Level(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,30}$")
    title: str | None = Field(default=None, max_length=100)
    checks: list[str] = Field(min_length=1)

    @field_validator("checks")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [c for c in value if c not in CHECKS_BY_ID]
        if unknown:
            raise ValueError(
                f"unknown check ids {', '.join(unknown)} (known: {', '.join(sorted(CHECKS_BY_ID))})"
            )
        return value


class Parameters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    usage_window_hours: int = Field(default=24, ge=1, le=24 * 31)
    guardrail_window_days: int = Field(default=7, ge=1, le=90)
    eval_max_age_days: int = Field(default=14, ge=1, le=365)
    min_dataset_cases: int = Field(default=20, ge=1, le=1_000_000)
    finding_sla_days: dict[str, int] = Field(default_factory=lambda: {"critical": 7, "high": 30})
    min_replicas: int = Field(default=2, ge=1, le=100)
    cost_rise_pct: float = Field(default=20.0, ge=0, le=10_000)

    @field_validator("finding_sla_days")
    @classmethod
    def _positive(cls, value: dict[str, int]) -> dict[str, int]:
        extra = sorted(set(value) - {"critical", "high"})
        if extra:
            raise ValueError(f"SLAs are for critical and high findings, not {', '.join(extra)}")
        if any(days < 0 for days in value.values()):
            raise ValueError("SLA days must not be negative")
        return {"critical": 7, "high": 30, **value}


class Scorecard(BaseModel):
    model_config = ConfigDict(extra="forbid")

    levels: list[Level] = Field(min_length=1, max_length=10)
    parameters: Parameters = Field(default_factory=Parameters)

    @model_validator(mode="after")
    def _consistent(self) -> Scorecard:
        names = [lv.name for lv in self.levels]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"level names repeat: {', '.join(repeated)}")
        seen: dict[str, str] = {}
        for level in self.levels:
            for check in level.checks:
                if check in seen:
                    raise ValueError(
                        f"check {check} is in both {seen[check]} and {level.name}: "
                        "levels are cumulative, list each check once"
                    )
                seen[check] = level.name
        return self

    def required(self, level: str) -> list[str]:
        """Every check an app must pass to reach ``level`` (its own and the lower levels')."""
        out: list[str] = []
        for lv in self.levels:
            out.extend(lv.checks)
            if lv.name == level:
                return out
        raise KeyError(level)

    @property
    def level_names(self) -> list[str]:
        return [lv.name for lv in self.levels]

    def level_of(self, passed: set[str]) -> str | None:
        """The highest level whose checks (and the lower levels') all pass."""
        reached = None
        for lv in self.levels:
            if not set(lv.checks) <= passed:
                break
            reached = lv.name
        return reached

    def level_for(self, check_id: str) -> str | None:
        return next((lv.name for lv in self.levels if check_id in lv.checks), None)


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
    return "; ".join(parts)


def load_scorecard(path: Path | None = None) -> Scorecard:
    """Read and validate a scorecard file (the shipped default when ``path`` is None).

    Raises:
        ScorecardError: the file is missing, not YAML, or breaks the rules.
    """
    path = path or DEFAULT_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScorecardError(f"scorecard file {path}: cannot read it ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ScorecardError(f"scorecard file {path}: not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise ScorecardError(f"scorecard file {path}: expected a mapping with 'levels'")
    try:
        return Scorecard.model_validate(data)
    except ValidationError as exc:
        raise ScorecardError(f"scorecard file {path}: {_describe(exc)}") from None
