"""Top cost movers explained by the changes around the day their cost moved ("cost +38 %
after prompt answer v5 (gpt-4o) moved to production on 11-03")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.costs.models import CostDaily, CostGroup, CostMover
from portal_api.timeline.models import BEHAVIOUR_KINDS, ChangeKind
from portal_api.timeline.service import collect_changes

MOVER_MIN_PCT = 10.0


STEP_WINDOW = 7  # days on each side of a candidate step in daily cost


NEAR = dt.timedelta(days=2)


def _step_day(days: list[tuple[dt.datetime, Decimal]]) -> dt.datetime | None:
    """The day the daily cost moved most: the largest gap between the means of the days
    before and from it."""
    if len(days) < 4:
        return None
    best: tuple[Decimal, dt.datetime] | None = None
    for i in range(2, len(days) - 1):
        before = [c for _, c in days[max(0, i - STEP_WINDOW) : i]]
        after = [c for _, c in days[i : i + STEP_WINDOW]]
        delta = abs(sum(after, Decimal(0)) / len(after) - sum(before, Decimal(0)) / len(before))
        if best is None or delta > best[0]:
            best = (delta, days[i][0])
    return best[1] if best else None


def explain_movers(
    *,
    session: Session,
    movers: Sequence[CostGroup],
    start: dt.datetime,
    end: dt.datetime,
) -> list[CostMover]:
    """Top movers of a cost report, each with the changes around the day its cost moved
    ("cost +38 % after prompt answer v5 (gpt-4o) moved to production on 11-03")."""
    names = [m.key for m in movers]
    apps = {a.name: a for a in session.exec(select(App).where(col(App.name).in_(names))).all()}
    out: list[CostMover] = []
    for mover in movers:
        item = CostMover.model_validate(mover.model_dump())
        app = apps.get(mover.key)
        if app is None or mover.change_pct is None or abs(mover.change_pct) < MOVER_MIN_PCT:
            out.append(item)
            continue
        daily = session.exec(
            select(CostDaily.day, col(CostDaily.cost)).where(
                CostDaily.app == app.name,
                col(CostDaily.day) >= start,
                col(CostDaily.day) < end,
                col(CostDaily.cost).is_not(None),
            )
        ).all()
        totals: dict[dt.datetime, Decimal] = {}
        for day, cost in daily:
            totals[day] = totals.get(day, Decimal(0)) + (cost or Decimal(0))
        step = _step_day(sorted(totals.items()))
        changes = [
            c
            for c in collect_changes(
                session=session,
                apps=[app],
                start=start,
                end=end,
                kinds=BEHAVIOUR_KINDS,
                include_team_budgets=False,
            )
            if step is None or abs(c.at - step) <= NEAR
        ]
        # Prompt and model changes explain cost best; then the nearest to the step.
        rank = {ChangeKind.PROMPT_LABEL: 0, ChangeKind.MODEL_SWITCH: 0, ChangeKind.PROMPT_DEPLOY: 1}
        changes.sort(
            key=lambda c: (rank.get(c.kind, 2), abs(c.at - step) if step else dt.timedelta(0))
        )
        item.changes = changes[:5]
        if changes:
            first = changes[0]
            item.explanation = (
                f"cost {mover.change_pct:+.0f} % after {first.summary} on {first.at:%m-%d}"
            )
        out.append(item)
    return out
