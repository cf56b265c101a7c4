"""Routes of the catalog: the portal's apps as Backstage entities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from portal_api.apps.models import NAME_PATTERN
from portal_api.catalog import service
from portal_api.deps import STALE_HEADER, STALE_HEADER_DOC, ReadCaller, SessionDep, stale_header
from portal_api.sync.deps import KubernetesFreshness

router = APIRouter(prefix="/catalog", tags=["catalog"])

YAML_MEDIA_TYPE = "application/yaml"


@router.get(
    "/entities",
    response_class=Response,
    responses={
        200: {
            "description": "Backstage Component entities, one YAML document each",
            "headers": {"X-Portal-Stale": STALE_HEADER_DOC},
            "content": {YAML_MEDIA_TYPE: {"schema": {"type": "string"}}},
        }
    },
)
def list_entities(
    session: SessionDep,
    fresh: KubernetesFreshness,
    _: ReadCaller,
    team: Annotated[str | None, Query(max_length=63, pattern=NAME_PATTERN)] = None,
    include_gone: Annotated[
        bool, Query(description="Also apps no longer seen, with lifecycle deprecated")
    ] = False,
) -> Response:
    """Discovered apps as Backstage Component entities (multi-document YAML), for a url location."""
    return Response(
        service.entities_yaml(session=session, team=team, include_gone=include_gone),
        media_type=YAML_MEDIA_TYPE,
        headers={STALE_HEADER: stale_header(fresh)},
    )
