"""Demo changes of every kind the sync or the API would record: releases (image changes),
scaling, a Knative canary, budget edits, and model switches found by the real detector in
the demo's usage rollups. Prompt deploys and label moves, findings and eval regressions come
from those domains' own demo data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlmodel import Session, col, select

from portal_api.apps.models import App, Workload
from portal_api.costs.budgets import record_budget_change
from portal_api.costs.models import Budget
from portal_api.demo.costs import BREACHED_TEAM
from portal_api.demo.org import DemoOrg
from portal_api.kit.timeutil import floor_hour
from portal_api.timeline.detect import MODEL_GAP, DetectedChange, short_image
from portal_api.timeline.models import ChangeEvent, ChangeKind
from portal_api.timeline.service import record, record_model_switches

DAY = dt.timedelta(days=1)


def _workload_change(
    session: Session,
    app: App,
    w: Workload,
    kind: ChangeKind,
    at: dt.datetime,
    summary: str,
    data: dict[str, object],
) -> None:
    ref = f"{w.kind} {w.namespace}/{w.name}"
    change = DetectedChange(
        kind, at, f"{ref}{summary}", f"{w.kind}/{w.namespace}/{w.name}", {"workload": ref, **data}
    )
    record(session=session, change=change, app_id=app.id)


def seed(session: Session, org: DemoOrg) -> None:
    if session.exec(select(ChangeEvent.id).limit(1)).first() is not None:
        return
    end = floor_hour(org.end)
    apps = {a.name: a for a in session.exec(select(App)).all()}
    workloads = session.exec(select(Workload).order_by(col(Workload.id))).all()
    by_app: dict[int, list[Workload]] = {}
    for w in workloads:
        by_app.setdefault(w.app_id, []).append(w)

    for i, demo in enumerate(org.apps):
        app = apps.get(demo.name)
        if app is None or app.id is None:
            continue
        for w in by_app.get(app.id, []):
            if w.namespace != demo.namespace or not w.images:
                continue
            # The release that put today's image in place, from the previous patch release.
            current = w.images[0]
            name, _, tag = current.rpartition(":")
            major, minor, _patch = tag.split(".")
            before = f"{name}:{major}.{int(minor) - 1}.2"
            at = end - DAY * (8 + 2 * i) + dt.timedelta(hours=14)
            _workload_change(
                session,
                app,
                w,
                ChangeKind.IMAGE,
                at,
                f" container app: {short_image(before)} → {short_image(current)}",
                {"container": "app", "from": before, "to": current},
            )
            if demo.name == "search-rag":
                _workload_change(
                    session, app, w, ChangeKind.SCALE, end - 12 * DAY, " replicas 3 → 4",
                    {"field": "replicas", "from": 3, "to": 4},
                )  # fmt: skip
            if demo.name == "review-moderator":
                _workload_change(
                    session, app, w, ChangeKind.SCALE, end - 25 * DAY, " replicas 1 → 2",
                    {"field": "replicas", "from": 1, "to": 2},
                )  # fmt: skip
            if demo.kind == "KnativeService":
                old, new = f"{w.name}-00005", f"{w.name}-00006"
                canary = end - 4 * DAY + dt.timedelta(hours=9)
                _workload_change(
                    session, app, w, ChangeKind.KNATIVE_REVISION, canary,
                    f": revision {new} ready (was {old})", {"from": old, "to": new},
                )  # fmt: skip
                split = [
                    {"revision": old, "percent": 90, "tag": None, "latest": False},
                    {"revision": new, "percent": 10, "tag": "canary", "latest": False},
                ]
                _workload_change(
                    session, app, w, ChangeKind.KNATIVE_TRAFFIC, canary + dt.timedelta(minutes=5),
                    f" traffic: {old} 90 %, {new} (canary) 10 %", {"to": split},
                )  # fmt: skip
                _workload_change(
                    session, app, w, ChangeKind.KNATIVE_TRAFFIC, canary + DAY,
                    f" traffic: {new} 100 %",
                    {"from": split, "to": [{"revision": new, "percent": 100, "tag": None, "latest": True}]},
                )  # fmt: skip

    for budget in session.exec(select(Budget).order_by(col(Budget.id))).all():
        set_at = org.start + 14 * DAY + dt.timedelta(hours=budget.id or 0)
        if budget.name == BREACHED_TEAM:
            # Cut by finance this month: the reason the team is over budget.
            previous = (budget.amount * 2).quantize(Decimal(10))
            original = Budget(scope=budget.scope, name=budget.name, amount=previous)
            record_budget_change(
                session=session, budget=original, action="set", previous=None, now=set_at
            )
            record_budget_change(
                session=session,
                budget=budget,
                action="changed",
                previous=previous,
                now=end - 9 * DAY,
                actor="finance",
            )
            continue
        record_budget_change(
            session=session, budget=budget, action="set", previous=None, now=set_at
        )

    record_model_switches(session=session, start=org.start, end=end, gap=MODEL_GAP)
    session.flush()
