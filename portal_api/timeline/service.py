"""Recording changes (sync comparisons, budget edits) and reading an app's or the org's
timeline, merged from the change table and the tables of the domains that date their own
changes (prompt deploys and label moves, findings, evaluations)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar, cast

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.apps.service import get_app
from portal_api.evals.models import EvalRun
from portal_api.kit.timeutil import check_range
from portal_api.prompts.models import PromptDeployment, PromptLabelMove, PromptVersion
from portal_api.security.models import Finding, FindingEvent, FindingEventKind, Severity
from portal_api.sources.models import WorkloadInfo
from portal_api.sync.models import Freshness
from portal_api.timeline.detect import (
    DetectedChange,
    Run,
    hour_index,
    model_switches_in_runs,
    runs_of,
    update_snapshot,
)
from portal_api.timeline.detect import workload_changes as detect_workload_changes
from portal_api.timeline.models import (
    ChangeEvent,
    ChangeKind,
    ChangePage,
    ChangePublic,
    Timeline,
    WorkloadSnapshot,
)
from portal_api.usage.models import UsageHourly

log = logging.getLogger(__name__)
_Query = TypeVar("_Query")  # a select() of one table or of a join

MAX_RANGE = dt.timedelta(days=400)
# Each table contributes at most this many changes to one read (newest first).
MAX_PER_SOURCE = 5000
# Findings on the timeline: the severities a team acts on; the rest would drown the markers.
TIMELINE_SEVERITIES = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM)
# Apps named in one IN (...) list at the most (SQLite caps bound parameters).
MAX_IN_LIST = 1000


# -- recording -------------------------------------------------------------------------------


def record(
    *, session: Session, change: DetectedChange, app_id: int | None, team: str | None = None
) -> bool:
    """Store a change once (by fingerprint); a change found again updates its text.

    Returns whether it was new.
    """
    row = session.exec(
        select(ChangeEvent).where(ChangeEvent.fingerprint == change.fingerprint)
    ).first()
    created = row is None
    if row is None:
        row = ChangeEvent(
            fingerprint=change.fingerprint,
            app_id=app_id,
            team=team,
            kind=change.kind,
            at=change.at,
            summary=change.summary[:500],
            data=change.data,
        )
    else:
        row.summary = change.summary[:500]
        row.data = change.data
    session.add(row)
    return created


def record_workload_changes(
    *,
    session: Session,
    workloads: Iterable[WorkloadInfo],
    app_ids: Mapping[str, int],
    now: dt.datetime,
) -> dict[str, int]:
    """Compare each workload with the snapshot of the previous pass; record what changed."""
    snapshots = {(s.kind, s.namespace, s.name): s for s in session.exec(select(WorkloadSnapshot))}
    stats = {"workloads": 0, "changes": 0}
    for w in workloads:
        app_id = app_ids.get(w.app_id)
        if app_id is None:
            continue
        stats["workloads"] += 1
        snapshot = snapshots.get((w.kind, w.namespace, w.name))
        for change in detect_workload_changes(w, snapshot, now):
            stats["changes"] += int(record(session=session, change=change, app_id=app_id))
        session.add(update_snapshot(snapshot, w, app_id, now))
    session.flush()
    return stats


def record_model_switches(
    *,
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    gap: dt.timedelta,
) -> int:
    """Models that appeared in or disappeared from an app's usage rollups in [start, end)."""
    h = UsageHourly
    window = (
        col(h.hour) >= start - gap,
        col(h.hour) < end,
        or_(col(h.requests) > 0, col(h.input_tokens) > 0, col(h.output_tokens) > 0),
    )
    # Most models serve their app every hour: one run per (app, model), read as a summary;
    # only the others' hours are read one by one. The summary counts rows per namespace too
    # (a row is one hour there): no DISTINCT, which neither database can split across
    # workers; an app's model in several namespaces is read hour by hour.
    runs: dict[tuple[str, str], list[Run]] = {}
    gappy: set[tuple[str, str]] = set()
    for app, model, first, last, hours in session.exec(
        select(  # type: ignore[call-overload]
            h.app, h.model, func.min(h.hour), func.max(h.hour), func.count()
        )
        .where(*window)
        .group_by(h.app, h.namespace, h.model)
    ).all():
        a, b = hour_index(first), hour_index(last)
        if hours == b - a + 1 and (app, model) not in runs and (app, model) not in gappy:
            runs[(app, model)] = [(a, b)]
        else:
            runs.pop((app, model), None)
            gappy.add((app, model))
    if gappy:
        hours_of: dict[tuple[str, str], list[int]] = defaultdict(list)
        apps = sorted({app for app, _ in gappy})
        query = select(h.app, h.model, h.hour).where(*window)
        if len(apps) <= MAX_IN_LIST:
            query = query.where(col(h.app).in_(apps))
        for app, model, hour in session.exec(query):
            if (app, model) in gappy:
                hours_of[(app, model)].append(hour_index(hour))
        runs.update((key, runs_of(sorted(hs))) for key, hs in hours_of.items())
    app_ids = {a.name: a.id for a in session.exec(select(App)) if a.id is not None}
    created = 0
    found: set[str] = set()
    for app, change in model_switches_in_runs(runs, start=start, end=end, gap=gap):
        if app in app_ids:
            found.add(change.fingerprint)
            created += int(record(session=session, change=change, app_id=app_ids[app]))
    # The window was judged whole again: what an earlier pass saw with less evidence (an
    # addition whose paired removal was not yet certain) gives way to what is seen now.
    for stale in session.exec(
        select(ChangeEvent).where(
            ChangeEvent.kind == ChangeKind.MODEL_SWITCH,
            col(ChangeEvent.at) >= start,
            col(ChangeEvent.at) < end,
            col(ChangeEvent.fingerprint).not_in(found),
        )
    ).all():
        session.delete(stale)
    session.flush()
    return created


# -- reading ---------------------------------------------------------------------------------


def _newest(query: _Query, at: Any, start: dt.datetime, end: dt.datetime) -> _Query:
    """The rows of ``query`` dated (by ``at``) in [start, end), newest first: at most
    ``MAX_PER_SOURCE`` of them."""
    select_: Any = query
    return cast(
        "_Query",
        select_.where(col(at) >= start, col(at) < end)
        .order_by(col(at).desc())
        .limit(MAX_PER_SOURCE),
    )


def _version_label(v: PromptVersion | None) -> str:
    if v is None:
        return "?"
    return f"v{v.number}" + (f" ({v.model})" if v.model else "")


class _Read(NamedTuple):
    """One read of the timeline: these apps' changes of these kinds dated in [start, end)."""

    session: Session
    apps: Mapping[int, App]
    start: dt.datetime
    end: dt.datetime
    kinds: set[ChangeKind]


def _stored(read: _Read, teams: Collection[str] | None) -> list[ChangePublic]:
    session, apps, start, end, kinds = read
    query = select(ChangeEvent).where(col(ChangeEvent.kind).in_([str(k) for k in kinds]))
    if teams is not None:
        query = query.where(
            or_(
                col(ChangeEvent.app_id).in_(list(apps)),
                col(ChangeEvent.team).in_(list(teams)),
            )
        )
    rows = session.exec(_newest(query, ChangeEvent.at, start, end)).all()
    out = []
    for r in rows:
        app = apps.get(r.app_id) if r.app_id is not None else None
        out.append(
            ChangePublic(
                id=f"change-{r.id}",
                app=app.name if app else None,
                team=app.team if app else r.team,
                kind=r.kind,
                at=r.at,
                summary=r.summary,
                data=r.data,
                link=f"/api/v1/apps/{app.name}" if app else None,
            )
        )
    return out


def _app_change(
    app: App,
    kind: ChangeKind,
    key: str,
    at: dt.datetime,
    summary: str,
    data: dict[str, Any],
    link: str | None,
) -> ChangePublic:
    """One change of an app read from a domain's own table (``key``: its id on the timeline;
    ``link``: a path under the app's API, or an absolute API path)."""
    if link is not None and not link.startswith("/"):
        link = f"/api/v1/apps/{app.name}/{link}"
    return ChangePublic(
        id=key, app=app.name, team=app.team, kind=kind, at=at, summary=summary, data=data, link=link
    )


def _prompt_changes(read: _Read) -> list[ChangePublic]:
    session, apps, start, end, kinds = read
    out: list[ChangePublic] = []
    app_filter = list(apps)
    versions: dict[int, PromptVersion] = {}

    def version(vid: int | None) -> PromptVersion | None:
        if vid is not None and vid not in versions:
            found = session.get(PromptVersion, vid)
            if found is None:
                return None
            versions[vid] = found
        return versions.get(vid) if vid is not None else None

    def rows(table: Any, at: Any) -> Sequence[Any]:
        query = select(table).where(col(table.app_id).in_(app_filter))
        return session.exec(_newest(query, at, start, end)).all()

    if ChangeKind.PROMPT_DEPLOY in kinds:
        for d in rows(PromptDeployment, PromptDeployment.started):
            v = version(d.version_id)
            data = {
                "prompt": d.name,
                "version": v.number if v else None,
                "model": v.model if v else None,
                "workload": f"{d.workload_kind} {d.namespace}/{d.workload}",
                "via": d.via,
            }
            summary = f"prompt {d.name} {_version_label(v)} deployed to {d.namespace}/{d.workload}"
            app, kind = apps[d.app_id], ChangeKind.PROMPT_DEPLOY
            link = f"prompts/{d.name}/versions/{v.number}" if v else None
            out.append(_app_change(app, kind, f"deploy-{d.id}", d.started, summary, data, link))
    if ChangeKind.PROMPT_LABEL in kinds:
        for m in rows(PromptLabelMove, PromptLabelMove.moved):
            app = apps[m.app_id]
            to, was = version(m.to_version_id), version(m.from_version_id)
            summary = f"prompt {m.name} {_version_label(to)} moved to {m.label}"
            if was is not None:
                summary += f" (was v{was.number})"
            data = {
                "prompt": m.name,
                "label": m.label,
                "version": to.number if to else None,
                "previous_version": was.number if was else None,
                "model": to.model if to else None,
                "previous_model": was.model if was else None,
                "moved_by": m.moved_by,
                "reason": m.reason,
            }
            link = f"prompts/{m.name}/labels/history"
            out.append(
                _app_change(
                    app, ChangeKind.PROMPT_LABEL, f"label-{m.id}", m.moved, summary, data, link
                )
            )
    return out


_FINDING_KINDS = {
    FindingEventKind.OPENED: ChangeKind.FINDING_OPENED,
    FindingEventKind.REOPENED: ChangeKind.FINDING_OPENED,
    FindingEventKind.RESOLVED: ChangeKind.FINDING_RESOLVED,
}


def _finding_changes(read: _Read) -> list[ChangePublic]:
    session, apps, start, end, kinds = read
    wanted = [str(k) for k, v in _FINDING_KINDS.items() if v in kinds]
    if not wanted:
        return []
    query = (
        select(FindingEvent, Finding)
        .join(Finding, col(Finding.id) == FindingEvent.finding_id)
        .where(
            col(Finding.app_id).in_(list(apps)),
            col(Finding.severity).in_([str(s) for s in TIMELINE_SEVERITIES]),
            col(FindingEvent.kind).in_(wanted),
        )
    )
    rows = session.exec(_newest(query, FindingEvent.at, start, end)).all()
    out = []
    for event, finding in rows:
        app = apps[finding.app_id]
        kind = _FINDING_KINDS[FindingEventKind(event.kind)]
        verb = "opened" if kind == ChangeKind.FINDING_OPENED else "resolved"
        summary = f"{finding.severity} finding {verb}: {finding.title} ({finding.resource})"
        data = {
            "finding_id": finding.id,
            "severity": str(finding.severity),
            "check_id": finding.check_id,
            "source": str(finding.source),
            "event": str(event.kind),
        }
        link = f"/api/v1/findings/{finding.id}"
        out.append(
            _app_change(app, kind, f"finding-event-{event.id}", event.at, summary, data, link)
        )
    return out


def _eval_changes(read: _Read) -> list[ChangePublic]:
    session, apps, start, end, kinds = read
    if ChangeKind.EVAL_REGRESSION not in kinds:
        return []
    query = (
        select(EvalRun, PromptVersion)
        .join(PromptVersion, col(PromptVersion.id) == EvalRun.prompt_version_id)
        .where(col(EvalRun.app_id).in_(list(apps)), col(EvalRun.regression).is_(True))
    )
    rows = session.exec(_newest(query, EvalRun.finished, start, end)).all()
    out = []
    for run, version in rows:
        app = apps[run.app_id]
        baseline = f" (baseline {run.baseline_score:.2f})" if run.baseline_score is not None else ""
        summary = (
            f"eval regression: prompt {version.name} v{version.number} scored "
            f"{run.aggregate_score:.2f} on {run.dataset}{baseline}"
        )
        data = {
            "run_id": run.id,
            "prompt": version.name,
            "version": version.number,
            "dataset": run.dataset,
            "score": run.aggregate_score,
            "baseline_score": run.baseline_score,
            "model": run.model,
        }
        kind, key = ChangeKind.EVAL_REGRESSION, f"eval-{run.id}"
        out.append(_app_change(app, kind, key, run.finished, summary, data, f"evals/{run.id}"))
    return out


def collect_changes(
    *,
    session: Session,
    apps: Sequence[App],
    start: dt.datetime,
    end: dt.datetime,
    kinds: Collection[ChangeKind] | None = None,
    include_team_budgets: bool = True,
) -> list[ChangePublic]:
    """Every change of these apps in [start, end), newest first."""
    wanted = set(kinds) if kinds else set(ChangeKind)
    by_id = {a.id: a for a in apps if a.id is not None}
    teams = {a.team for a in apps if a.team} if include_team_budgets else set()
    read = _Read(session, by_id, start, end, wanted)
    items = (
        _stored(read, teams) + _prompt_changes(read) + _finding_changes(read) + _eval_changes(read)
    )
    items.sort(key=lambda c: (c.at, c.id), reverse=True)
    return items


def app_timeline(
    *,
    session: Session,
    app: str,
    start: dt.datetime,
    end: dt.datetime,
    kinds: Collection[ChangeKind] | None,
    fresh: list[Freshness],
) -> Timeline:
    """An app's changes in [start, end), newest first.

    Raises:
        NotFoundError: no such app.
        InvalidInputError: a bad range.
    """
    check_range(start, end, MAX_RANGE)
    row = get_app(session=session, name=app)
    items = collect_changes(session=session, apps=[row], start=start, end=end, kinds=kinds)
    return Timeline(
        app=app,
        start=start,
        end=end,
        kinds=sorted(set(kinds) if kinds else set(ChangeKind)),
        items=items,
        freshness=fresh,
    )


def org_changes(
    *,
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    kinds: Collection[ChangeKind] | None,
    team: str | None,
    limit: int,
    offset: int,
    fresh: list[Freshness],
) -> ChangePage:
    """Every app's changes (optionally one team's), newest first, a page at a time."""
    check_range(start, end, MAX_RANGE)
    query = select(App)
    if team is not None:
        query = query.where(App.team == team)
    apps = list(session.exec(query).all())
    items = collect_changes(session=session, apps=apps, start=start, end=end, kinds=kinds)
    return ChangePage(
        start=start,
        end=end,
        items=items[offset : offset + limit],
        total=len(items),
        limit=limit,
        offset=offset,
        freshness=fresh,
    )
