"""Routes of the readiness scorecard: one app's checks, and the org table (JSON or CSV)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from portal_api.db import utcnow
from portal_api.deps import ReadCaller, SessionDep, SourcesDep
from portal_api.kit.names import NAME_PATTERN
from portal_api.params import AppName, TimelineFreshness
from portal_api.readiness import service
from portal_api.readiness.models import AppReadiness, OrgReadiness
from portal_api.readiness.scorecard import Scorecard

router = APIRouter(tags=["readiness"])


def get_scorecard(request: Request) -> Scorecard:
    scorecard: Scorecard = request.app.state.scorecard
    return scorecard


ScorecardDep = Annotated[Scorecard, Depends(get_scorecard)]


@router.get("/apps/{app}/readiness", response_model=AppReadiness)
def app_readiness(
    session: SessionDep,
    scorecard: ScorecardDep,
    sources: SourcesDep,
    fresh: TimelineFreshness,
    _: ReadCaller,
    app: AppName,
) -> AppReadiness:
    """An app's production readiness: every check with why and how to fix, level, history."""
    return service.app_readiness(
        session=session,
        app=app,
        scorecard=scorecard,
        now=utcnow(),
        configured=sources.configured(),
        fresh=fresh,
    )


@router.get(
    "/readiness",
    response_model=OrgReadiness,
    responses={200: {"content": {"text/csv": {}}}},
)
def org_readiness(
    session: SessionDep,
    scorecard: ScorecardDep,
    sources: SourcesDep,
    fresh: TimelineFreshness,
    _: ReadCaller,
    team: Annotated[str | None, Query(max_length=63, pattern=NAME_PATTERN)] = None,
    level: Annotated[
        str | None,
        Query(max_length=31, description="Only apps at this level (`none`: below the lowest)"),
    ] = None,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Every app's readiness level and score, most ready first; filter by team and level."""
    report = service.org_readiness(
        session=session,
        scorecard=scorecard,
        now=utcnow(),
        configured=sources.configured(),
        fresh=fresh,
        team=team,
        level=level,
    )
    if format == "csv":
        stale = "true" if any(f.stale for f in fresh) else "false"
        return Response(
            service.render_csv(report),
            media_type="text/csv",
            headers={
                "Content-Disposition": 'inline; filename="readiness.csv"',
                "X-Portal-Stale": stale,
            },
        )
    return Response(report.model_dump_json(), media_type="application/json")
