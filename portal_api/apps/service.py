"""App registry logic: discovery from workloads, registration through the API, reads."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal_api.apps.models import (
    App,
    AppCreate,
    AppDetail,
    AppFilter,
    AppOrigin,
    AppPage,
    AppPublic,
    AppStatus,
    Workload,
    WorkloadKind,
    WorkloadPublic,
)
from portal_api.errors import ConflictError, or_not_found
from portal_api.kit.ingest import insert_once
from portal_api.kit.tally import Tally
from portal_api.pagination import PageParams, paginate, where_given
from portal_api.sources.models import WorkloadInfo
from portal_api.sync.models import Freshness

log = logging.getLogger(__name__)


def owner_ref(team: str | None) -> str | None:
    """The Backstage owner entity ref of a team (a Group)."""
    return f"group:default/{team}" if team else None


def to_public(app: App) -> AppPublic:
    return AppPublic.model_validate(app, update={"owner": owner_ref(app.team)})


def get_app(*, session: Session, name: str) -> App:
    """The app by name.

    Raises:
        NotFoundError: no app has that name.
    """
    app = session.exec(select(App).where(App.name == name)).first()
    return or_not_found(app, f"no app named {name!r}")


def get_app_detail(*, session: Session, name: str, freshness: Freshness) -> AppDetail:
    app = get_app(session=session, name=name)
    workloads = session.exec(
        select(Workload)
        .where(Workload.app_id == app.id)
        .order_by(col(Workload.present).desc(), col(Workload.namespace), col(Workload.name))
    ).all()
    return AppDetail.model_validate(
        app,
        update={
            "owner": owner_ref(app.team),
            "workloads": [WorkloadPublic.model_validate(w) for w in workloads],
            "freshness": freshness,
        },
    )


def list_apps(
    *,
    session: Session,
    page: PageParams,
    filters: AppFilter,
    freshness: Freshness,
) -> AppPage:
    columns = {App.team: filters["team"], App.namespace: filters["namespace"]}
    query = where_given(select(App), {**columns, App.status: filters["status"]})
    if search := filters["search"]:
        query = query.where(func.lower(App.name).contains(search.lower()))
    window = paginate(query.order_by(col(App.name)), page, session=session)
    return AppPage(
        items=[to_public(a) for a in window.rows],
        total=window.total,
        limit=window.limit,
        offset=window.offset,
        freshness=freshness,
    )


def _same_registration(app: App, data: AppCreate) -> bool:
    fields = set(AppCreate.model_fields) - {"links"}
    links = [link.model_dump(mode="json", exclude_none=True) for link in data.links]
    return (
        app.origin == AppOrigin.API
        and app.links == links
        and all(getattr(app, f) == getattr(data, f) for f in fields)
    )


def create_app(*, session: Session, data: AppCreate, now: dt.datetime) -> tuple[App, bool]:
    """Register an app through the API; registering the same app again is a replay.

    Returns:
        The app, and whether it was created now (False: an identical registration existed).

    Raises:
        ConflictError: another app with that name exists already.
    """

    def find() -> App | None:
        app = session.exec(select(App).where(App.name == data.name)).first()
        if app is not None and not _same_registration(app, data):
            raise ConflictError(f"an app named {data.name!r} exists already")
        return app

    def insert() -> App:
        links = [link.model_dump(mode="json", exclude_none=True) for link in data.links]
        app = _new_app(data, AppOrigin.API, now, links=links)
        session.add(app)
        session.flush()
        return app

    return insert_once(session, find=find, insert=insert)


def _new_app(fields: Any, origin: AppOrigin, now: dt.datetime, **extra: Any) -> App:
    """A new app row of ``origin`` (its fields from a model or a mapping), first seen now."""
    return App.model_validate(
        fields, update={"origin": origin, "first_seen": now, "last_seen": now, **extra}
    )


def _most_common(values: list[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def reconcile_workloads(
    *, session: Session, workloads: list[WorkloadInfo], now: dt.datetime
) -> Tally:
    """Bring the registry in line with the workloads the cluster runs now.

    New app ids become apps; apps and workloads no longer seen are marked gone (never
    deleted, so their history stays); an app that comes back is active again.
    """
    result = Tally("apps_seen", "apps_created", "apps_gone", "workloads_seen")
    result["workloads_seen"] = len(workloads)
    by_app: dict[str, list[WorkloadInfo]] = defaultdict(list)
    for w in workloads:
        by_app[w.app_id].append(w)

    apps = {a.name: a for a in session.exec(select(App)).all()}
    for name, items in sorted(by_app.items()):
        team = _most_common([w.team for w in items])
        namespace = _most_common([w.namespace for w in items])
        lifecycle = _most_common([w.annotations.get("genai-portal.io/lifecycle") for w in items])
        cost_center = _most_common(
            [w.annotations.get("genai-portal.io/cost-center") for w in items]
        )
        app = apps.get(name)
        if app is None:
            named = {"name": name, "namespace": namespace, "team": team}
            app = _new_app(named, AppOrigin.KUBERNETES, now)
            result["apps_created"] += 1
            apps[name] = app
        # The cluster is the truth for discovered apps; registered apps keep what was said.
        if app.origin == AppOrigin.KUBERNETES:
            app.team = team
            app.namespace = namespace
            app.cost_center = cost_center or app.cost_center
        else:
            app.team = app.team or team
            app.namespace = app.namespace or namespace
        if lifecycle in {"experimental", "production", "deprecated"}:
            app.lifecycle = lifecycle  # type: ignore[assignment]
        app.status = AppStatus.ACTIVE
        app.gone_since = None
        app.last_seen = now
        session.add(app)
        result["apps_seen"] += 1
    session.flush()

    existing: dict[tuple[str, str, str], Workload] = {
        (str(w.kind), w.namespace, w.name): w for w in session.exec(select(Workload)).all()
    }
    seen: set[tuple[str, str, str]] = set()
    for info in workloads:
        key = (info.kind, info.namespace, info.name)
        seen.add(key)
        row = existing.get(key)
        app_id = apps[info.app_id].id
        assert app_id is not None
        if row is None:
            row = Workload(
                app_id=app_id,
                kind=WorkloadKind(info.kind),
                namespace=info.namespace,
                name=info.name,
                first_seen=now,
            )
        row.app_id = app_id
        row.replicas = info.replicas
        row.images = info.images
        row.present = True
        row.last_seen = now
        session.add(row)
    for key, row in existing.items():
        if key not in seen and row.present:
            row.present = False
            session.add(row)

    for app in apps.values():
        if (
            app.origin == AppOrigin.KUBERNETES
            and app.name not in by_app
            and app.status == AppStatus.ACTIVE
        ):
            app.status = AppStatus.GONE
            app.gone_since = now
            session.add(app)
            result["apps_gone"] += 1
            log.info("app %s has no workloads any more; marked gone", app.name)
    session.flush()
    return result
