"""Scoring apps against the scorecard: per app with reasons, org-wide, and per day."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from portal_api.apps.models import App, AppStatus
from portal_api.apps.service import get_app
from portal_api.errors import InvalidInputError
from portal_api.kit.timeutil import floor_day
from portal_api.readiness.checks import CHECKS, evaluate
from portal_api.readiness.facts import AppFacts, Facts, load_facts
from portal_api.readiness.models import (
    AppReadiness,
    CheckResult,
    CheckStatus,
    HistoryPoint,
    LevelInfo,
    OrgReadiness,
    Pillar,
    PillarSummary,
    ReadinessDaily,
    ReadinessRow,
)
from portal_api.readiness.scorecard import Scorecard
from portal_api.sync.models import Freshness

NO_LEVEL = "none"
HISTORY_DAYS = 90


@dataclass
class Scored:
    facts: AppFacts
    results: list[CheckResult]
    level: str | None

    def count(self, status: CheckStatus) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def score(self) -> int:
        return round(100 * self.count(CheckStatus.PASS) / len(self.results)) if self.results else 0


def _score(facts: Facts, a: AppFacts, scorecard: Scorecard) -> Scored:
    results = []
    for check in CHECKS:
        outcome = evaluate(check, a, facts, scorecard.parameters)
        results.append(
            CheckResult(
                id=check.id,
                pillar=check.pillar,
                title=check.title,
                level=scorecard.level_for(check.id),
                status=outcome.status,
                why=outcome.why,
                fix=check.fix.replace("{app}", a.name),
                evidence=outcome.evidence,
            )
        )
    passed = {r.id for r in results if r.status == CheckStatus.PASS}
    return Scored(a, results, scorecard.level_of(passed))


def score_apps(
    *,
    session: Session,
    apps: Sequence[App],
    scorecard: Scorecard,
    now: dt.datetime,
    configured: Mapping[str, bool],
) -> list[Scored]:
    if not apps:
        return []
    facts = load_facts(
        session=session, apps=apps, now=now, params=scorecard.parameters, configured=configured
    )
    return [_score(facts, facts.apps[a.name], scorecard) for a in apps]


def _pillars(results: Sequence[CheckResult]) -> list[PillarSummary]:
    counts = Counter((r.pillar, r.status) for r in results)
    return [
        PillarSummary(
            pillar=p,
            passed=counts[(p, CheckStatus.PASS)],
            failed=counts[(p, CheckStatus.FAIL)],
            unknown=counts[(p, CheckStatus.UNKNOWN)],
        )
        for p in Pillar
    ]


def _rank(scorecard: Scorecard, level: str | None) -> int:
    return scorecard.level_names.index(level) + 1 if level in scorecard.level_names else 0


def app_readiness(
    *,
    session: Session,
    app: str,
    scorecard: Scorecard,
    now: dt.datetime,
    configured: Mapping[str, bool],
    fresh: list[Freshness],
) -> AppReadiness:
    """One app's checks with reasons, its level, and its daily history.

    Raises:
        NotFoundError: no such app.
    """
    row = get_app(session=session, name=app)
    scored = score_apps(
        session=session, apps=[row], scorecard=scorecard, now=now, configured=configured
    )[0]
    passed = {r.id for r in scored.results if r.status == CheckStatus.PASS}
    rank = _rank(scorecard, scored.level)
    history = session.exec(
        select(ReadinessDaily)
        .where(
            ReadinessDaily.app_id == row.id,
            col(ReadinessDaily.day) >= floor_day(now) - dt.timedelta(days=HISTORY_DAYS),
        )
        .order_by(col(ReadinessDaily.day))
    ).all()
    return AppReadiness(
        app=row.name,
        team=row.team,
        lifecycle=scored.facts.lifecycle,
        level=scored.level,
        next_level=scorecard.level_names[rank] if rank < len(scorecard.levels) else None,
        score=scored.score,
        passed=scored.count(CheckStatus.PASS),
        failed=scored.count(CheckStatus.FAIL),
        unknown=scored.count(CheckStatus.UNKNOWN),
        levels=[
            LevelInfo(
                name=lv.name,
                title=lv.title,
                checks=lv.checks,
                reached=set(scorecard.required(lv.name)) <= passed,
            )
            for lv in scorecard.levels
        ],
        pillars=_pillars(scored.results),
        checks=scored.results,
        history=[HistoryPoint.model_validate(h, from_attributes=True) for h in history],
        evaluated_at=now,
        freshness=fresh,
    )


def org_readiness(
    *,
    session: Session,
    scorecard: Scorecard,
    now: dt.datetime,
    configured: Mapping[str, bool],
    fresh: list[Freshness],
    team: str | None = None,
    level: str | None = None,
) -> OrgReadiness:
    """Every active app's level and score, most ready first (level, then score, then name).

    Raises:
        InvalidInputError: ``level`` is not a level of the scorecard (nor ``none``).
    """
    if level is not None and level != NO_LEVEL and level not in scorecard.level_names:
        raise InvalidInputError(
            f"unknown level {level!r} (levels: {', '.join([*scorecard.level_names, NO_LEVEL])})"
        )
    query = select(App).where(App.status == AppStatus.ACTIVE)
    if team is not None:
        query = query.where(App.team == team)
    apps = list(session.exec(query.order_by(col(App.name))).all())
    scored = score_apps(
        session=session, apps=apps, scorecard=scorecard, now=now, configured=configured
    )
    if level is not None:
        wanted = None if level == NO_LEVEL else level
        scored = [s for s in scored if s.level == wanted]
    scored.sort(key=lambda s: (-_rank(scorecard, s.level), -s.score, s.facts.name))
    items = [
        ReadinessRow(
            app=s.facts.name,
            team=s.facts.team,
            lifecycle=s.facts.lifecycle,
            level=s.level,
            score=s.score,
            passed=s.count(CheckStatus.PASS),
            failed=s.count(CheckStatus.FAIL),
            unknown=s.count(CheckStatus.UNKNOWN),
            pillars=_pillars(s.results),
            failing=[r.id for r in s.results if r.status == CheckStatus.FAIL],
            unknown_checks=[r.id for r in s.results if r.status == CheckStatus.UNKNOWN],
        )
        for s in scored
    ]
    return OrgReadiness(
        levels=scorecard.level_names,
        items=items,
        total=len(items),
        evaluated_at=now,
        freshness=fresh,
    )


def render_csv(report: OrgReadiness) -> str:
    """The org table as CSV: one row per app, a column per pillar (passed/total)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "app",
            "team",
            "lifecycle",
            "level",
            "score_pct",
            "passed",
            "failed",
            "unknown",
            *[f"{p}" for p in Pillar],
            "failing_checks",
            "unknown_checks",
        ]
    )
    for row in report.items:
        pillars = {p.pillar: p for p in row.pillars}
        writer.writerow(
            [
                row.app,
                row.team or "",
                row.lifecycle or "",
                row.level or NO_LEVEL,
                row.score,
                row.passed,
                row.failed,
                row.unknown,
                *[
                    f"{pillars[p].passed}/{pillars[p].passed + pillars[p].failed + pillars[p].unknown}"
                    for p in Pillar
                ],
                " ".join(row.failing),
                " ".join(row.unknown_checks),
            ]
        )
    return out.getvalue()


def record_history(
    *,
    session: Session,
    scorecard: Scorecard,
    now: dt.datetime,
    configured: Mapping[str, bool],
) -> int:
    """Store today's readiness of every active app (the day's last pass wins)."""
    apps = list(session.exec(select(App).where(App.status == AppStatus.ACTIVE)).all())
    day = floor_day(now)
    existing = {
        r.app_id: r
        for r in session.exec(select(ReadinessDaily).where(ReadinessDaily.day == day)).all()
    }
    for s in score_apps(
        session=session, apps=apps, scorecard=scorecard, now=now, configured=configured
    ):
        row = existing.get(s.facts.id) or ReadinessDaily(app_id=s.facts.id, day=day, recorded=now)
        row.level = s.level
        row.score = s.score
        row.passed = s.count(CheckStatus.PASS)
        row.failed = s.count(CheckStatus.FAIL)
        row.unknown = s.count(CheckStatus.UNKNOWN)
        row.statuses = {r.id: str(r.status) for r in s.results}
        row.recorded = now
        session.add(row)
    session.flush()
    return len(apps)
