"""Reading evaluation runs: lists, open regressions, one run, score trends and scores per
version."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from portal_api.apps.service import get_app
from portal_api.errors import NotFoundError
from portal_api.evals.models import (
    EvalCase,
    EvalCasePublic,
    EvalRun,
    EvalRunDetail,
    EvalRunPublic,
    RunFilter,
    ScoreTrend,
    TrendPoint,
)
from portal_api.evals.store import to_public
from portal_api.kit.fields import copy_into
from portal_api.kit.stats import mean
from portal_api.pagination import Page, PageParams, paginate, where_given
from portal_api.prompts.models import PromptVersion, VersionScores


def list_runs(
    *,
    session: Session,
    app: str,
    page: PageParams,
    filters: RunFilter,
) -> Page[EvalRunPublic]:
    """Runs of an app, newest first."""
    app_row = get_app(session=session, name=app)
    query = (
        select(EvalRun)
        .join(PromptVersion, col(PromptVersion.id) == col(EvalRun.prompt_version_id))
        .where(EvalRun.app_id == app_row.id)
    )
    versions = {PromptVersion.name: filters["prompt"], PromptVersion.number: filters["version"]}
    runs = {EvalRun.dataset: filters["dataset"], EvalRun.regression: filters["regression"]}
    query = where_given(query, {**versions, **runs})
    window = paginate(
        query.order_by(col(EvalRun.finished).desc(), col(EvalRun.id).desc()), page, session=session
    )
    return copy_into(
        Page[EvalRunPublic], window, items=[to_public(session, r) for r in window.rows]
    )


def open_regressions(*, session: Session, app: str) -> list[EvalRunPublic]:
    """Regressions still standing: per prompt and dataset, the newest evaluated version's
    latest run, when it is flagged (a later, better version closes it)."""
    app_row = get_app(session=session, name=app)
    rows = session.exec(
        select(EvalRun, PromptVersion)
        .join(PromptVersion, col(PromptVersion.id) == col(EvalRun.prompt_version_id))
        .where(EvalRun.app_id == app_row.id)
        .order_by(
            col(PromptVersion.name),
            col(EvalRun.dataset),
            col(PromptVersion.number).desc(),
            col(EvalRun.finished).desc(),
            col(EvalRun.id).desc(),
        )
    ).all()
    latest: dict[tuple[str, str], EvalRun] = {}
    for run, version in rows:
        latest.setdefault((version.name, run.dataset), run)
    return [to_public(session, run) for run in latest.values() if run.regression]


def get_run(*, session: Session, app: str, run_id: int) -> EvalRunDetail:
    """One run with its cases."""
    app_row = get_app(session=session, name=app)
    run = session.get(EvalRun, run_id)
    if run is None or run.app_id != app_row.id:
        raise NotFoundError(f"app {app!r} has no evaluation run {run_id}")
    cases = session.exec(
        select(EvalCase).where(EvalCase.run_id == run_id).order_by(col(EvalCase.index))
    ).all()
    return EvalRunDetail(
        **to_public(session, run).model_dump(),
        case_results=[EvalCasePublic.model_validate(c, from_attributes=True) for c in cases],
    )


def score_trend(
    *, session: Session, app: str, prompt: str, dataset: str | None = None
) -> ScoreTrend:
    """Per version of a prompt (oldest first): mean of its runs' scores and its latest run."""
    app_row = get_app(session=session, name=app)
    versions = session.exec(
        select(PromptVersion)
        .where(PromptVersion.app_id == app_row.id, PromptVersion.name == prompt)
        .order_by(col(PromptVersion.number))
    ).all()
    if not versions:
        raise NotFoundError(f"no prompt named {prompt!r}")
    query = select(EvalRun).where(col(EvalRun.prompt_version_id).in_([v.id for v in versions]))
    if dataset is not None:
        query = query.where(EvalRun.dataset == dataset)
    runs: dict[int, list[EvalRun]] = defaultdict(list)
    for run in session.exec(query.order_by(col(EvalRun.finished), col(EvalRun.id))).all():
        runs[run.prompt_version_id].append(run)
    points = []
    for v in versions:
        assert v.id is not None
        items = runs.get(v.id, [])
        summary = _summarise(items)
        points.append(
            TrendPoint(
                version=v.number,
                content_hash=v.content_hash,
                runs=len(items),
                aggregate_score=summary.aggregate_score if items else None,
                pass_rate=summary.pass_rate,
                scores=summary.mean_scores,
                latest_run_id=summary.latest_run_id,
                latest_finished=items[-1].finished if items else None,
                regression=summary.regression,
            )
        )
    return ScoreTrend(prompt=prompt, dataset=dataset, points=points)


def version_scores(*, session: Session, version_ids: list[int]) -> dict[int, VersionScores]:
    """Mean evaluation scores and pass rate per version, over all its runs (the prompt pages'
    ``ScoreReader``: handed to the prompts routes by the composition root)."""
    if not version_ids:
        return {}
    runs = session.exec(
        select(EvalRun)
        .where(col(EvalRun.prompt_version_id).in_(version_ids))
        .order_by(col(EvalRun.finished), col(EvalRun.id))
    ).all()
    by_version: dict[int, list[EvalRun]] = defaultdict(list)
    for run in runs:
        by_version[run.prompt_version_id].append(run)
    return {vid: _summarise(items) for vid, items in by_version.items()}


def _summarise(runs: list[EvalRun]) -> VersionScores:
    """Runs of one version, oldest first: their mean scores, pass rate and latest run."""
    names = sorted({k for r in runs for k in r.scores})
    cases = sum(r.cases for r in runs)
    return VersionScores(
        runs=len(runs),
        mean_scores={
            n: round(mean([r.scores[n] for r in runs if n in r.scores]), 4) for n in names
        },
        aggregate_score=round(mean([r.aggregate_score for r in runs]), 4),
        pass_rate=round(sum(r.passed for r in runs) / cases, 4) if cases else None,
        regression=runs[-1].regression if runs else False,
        latest_run_id=runs[-1].id if runs else None,
    )
