"""Routes of the readiness scorecard: one app's checks, and the org table (JSON or CSV)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Literal, TypedDict

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlmodel import Session

from portal_api.db import utcnow
from portal_api.deps import ReadCaller, SessionDep, SourcesDep
from portal_api.params import AppName, TeamQuery, TimelineFreshness
from portal_api.readiness import service
from portal_api.readiness.models import AppReadiness, OrgReadiness
from portal_api.readiness.scorecard import Scorecard
from portal_api.sync.models import Freshness

router = APIRouter(tags=["readiness"])


def get_scorecard(request: Request) -> Scorecard:
    scorecard: Scorecard = request.app.state.scorecard
    return scorecard


class ReadinessRead(TypedDict):
    """What readiness is scored against: the transaction, the scorecard, the time, which
    sources are on, and the freshness of those behind the timeline."""

    session: Session
    scorecard: Scorecard
    now: dt.datetime
    configured: Mapping[str, bool]
    fresh: list[Freshness]


def readiness_read(
    session: SessionDep,
    scorecard: Annotated[Scorecard, Depends(get_scorecard)],
    sources: SourcesDep,
    fresh: TimelineFreshness,
    _: ReadCaller,
) -> ReadinessRead:
    return ReadinessRead(
        session=session,
        scorecard=scorecard,
        now=utcnow(),
        configured=sources.configured(),
        fresh=fresh,
    )


ReadinessReadDep = Annotated[ReadinessRead, Depends(readiness_read)]


@router.get("/apps/{app}/readiness", response_model=AppReadiness)
def app_readiness(read: ReadinessReadDep, app: AppName) -> AppReadiness:
    """An app's production readiness: every check with why and how to fix, level, history."""
    return service.app_readiness(**read, app=app)


@router.get(
    "/readiness",
    response_model=OrgReadiness,
    responses={200: {"content": {"text/csv": {}}}},
)
def org_readiness(
    read: ReadinessReadDep,
    team: TeamQuery = None,
    level: Annotated[
        str | None,
        Query(max_length=31, description="Only apps at this level (`none`: below the lowest)"),
    ] = None,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Every app's readiness level and score, most ready first; filter by team and level."""
    report = service.org_readiness(**read, team=team, level=level)
    if format == "csv":
        stale = "true" if any(f.stale for f in read["fresh"]) else "false"
        return Response(
            service.render_csv(report),
            media_type="text/csv",
            headers={
                "Content-Disposition": 'inline; filename="readiness.csv"',
                "X-Portal-Stale": stale,
            },
        )
    return Response(report.model_dump_json(), media_type="application/json")
