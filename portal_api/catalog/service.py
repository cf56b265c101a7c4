"""Discovered apps as Backstage Component entities, so a Backstage ``url`` location can
register the apps that have no catalog-info.yaml of their own yet."""

from __future__ import annotations

from typing import Any

import yaml
from sqlmodel import Session, col, select

from portal_api.apps.models import App, AppStatus
from portal_api.apps.service import owner_ref
from portal_api.kit.mapping import compact, resource

# Backstage needs an owner; an app whose team is not known yet is owned by this Group.
UNKNOWN_OWNER = "group:default/unknown"


def component(app: App) -> dict[str, Any]:
    """The Backstage Component entity of an app."""
    annotations = compact(
        {
            "backstage.io/kubernetes-id": app.name,
            "genai-portal.io/origin": str(app.origin),
            "backstage.io/kubernetes-namespace": app.namespace,
            "genai-portal.io/team": app.team,
            "genai-portal.io/cost-center": app.cost_center,
        }
    )
    metadata: dict[str, Any] = {"name": app.name, "annotations": annotations, "tags": ["genai"]}
    metadata |= compact({"title": app.title, "description": app.description})
    if app.links:
        metadata["links"] = [
            {k: v for k, v in link.items() if k in ("url", "title", "icon") and v}
            for link in app.links
        ]
    spec: dict[str, Any] = {
        "type": "service",
        # An app no longer seen in the cluster stays in the catalog as deprecated.
        "lifecycle": "deprecated"
        if app.status == AppStatus.GONE
        else str(app.lifecycle or "production"),
        "owner": owner_ref(app.team) or UNKNOWN_OWNER,
    }
    if app.system:
        spec["system"] = app.system
    return resource("backstage.io/v1alpha1", "Component", metadata, spec)


def list_components(
    *, session: Session, team: str | None = None, include_gone: bool = False
) -> list[dict[str, Any]]:
    query = select(App).order_by(col(App.name))
    if team is not None:
        query = query.where(App.team == team)
    if not include_gone:
        query = query.where(App.status == AppStatus.ACTIVE)
    return [component(app) for app in session.exec(query).all()]


def entities_yaml(*, session: Session, team: str | None = None, include_gone: bool = False) -> str:
    """The apps' Component entities as one multi-document YAML text."""
    entities = list_components(session=session, team=team, include_gone=include_gone)
    if not entities:
        # An empty stream, said in a comment (a reader sees why; YAML parsers see no document).
        return "# no GenAI apps match\n"
    return yaml.safe_dump_all(entities, sort_keys=False, allow_unicode=True)
