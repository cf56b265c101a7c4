"""Demo apps and their workloads."""

from __future__ import annotations

import datetime as dt
import zlib

from sqlmodel import Session, select

from portal_api.apps.models import App, AppOrigin, Workload, WorkloadKind
from portal_api.demo.org import DemoOrg


def seed(session: Session, org: DemoOrg) -> None:
    if session.exec(select(App.id)).first() is not None:
        return
    for i, demo in enumerate(org.apps):
        first_seen = org.start + dt.timedelta(hours=7 * i)
        app = App(
            name=demo.name,
            namespace=demo.namespace,
            title=demo.title,
            description=demo.description,
            team=demo.team,
            lifecycle=demo.lifecycle,  # type: ignore[arg-type]
            system="genai-apps",
            cost_center=f"cc-{zlib.crc32(demo.team.encode()) % 9000 + 1000}",
            origin=AppOrigin.KUBERNETES if demo.in_cluster else AppOrigin.API,
            links=[{"url": f"https://git.example.com/{demo.team}/{demo.name}", "title": "Source"}],
            first_seen=first_seen,
            last_seen=org.end,
        )
        session.add(app)
        session.flush()
        if not demo.in_cluster:
            continue
        assert app.id is not None
        for namespace in (demo.namespace, f"{demo.namespace}-staging"):
            session.add(
                Workload(
                    app_id=app.id,
                    kind=WorkloadKind(demo.kind),
                    namespace=namespace,
                    name=demo.name,
                    replicas=demo.replicas if namespace == demo.namespace else 1,
                    images=[f"registry.example.com/{demo.team}/{demo.name}:1.{i + 4}.0"],
                    first_seen=first_seen,
                    last_seen=org.end,
                )
            )
    session.flush()
