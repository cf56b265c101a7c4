"""The demo organisation: a realistic sample so the dashboards have something to show.

One module per domain (``demo/apps.py``, ``demo/costs.py`` ...) holds a ``seed`` function that
fills that domain's tables from the shared organisation in ``demo/org.py``. Seeders are
idempotent: each skips when its data exists, so an older demo database gains a new domain's
data on the next ``genai-portal demo``. No domain imports this package; only the CLI, tests
and benches do.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from portal_api.db import Database
from portal_api.demo import apps, compute, costs, prompts, readiness, security, timeline, usage
from portal_api.demo.org import DEMO_TOKEN, DemoApp, DemoOrg, build_org

__all__ = ["DEMO_TOKEN", "DemoApp", "DemoOrg", "build_org", "seed_demo", "seeders"]

Seeder = Callable[[Session, DemoOrg], None]


def seeders() -> list[Seeder]:
    """Every domain's demo seeder, apps first."""
    # Timeline and readiness last: they record and score what the others seeded.
    return [
        apps.seed,
        prompts.seed,
        usage.seed,
        costs.seed,
        compute.seed,
        security.seed,
        timeline.seed,
        readiness.seed,
    ]


def seed_demo(db: Database, org: DemoOrg | None = None) -> DemoOrg:
    org = org or build_org()
    for seed in seeders():
        with db.session_scope() as session:
            seed(session, org)
    return org
