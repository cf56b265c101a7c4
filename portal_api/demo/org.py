"""The demo organisation every seeder fills its domain's tables from."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from portal_api.db import utcnow

DEMO_TOKEN = "demo-admin-token-for-local-use-only"
HISTORY_DAYS = 90


@dataclass(frozen=True)
class DemoApp:
    name: str
    team: str
    namespace: str
    title: str
    description: str
    models: tuple[str, ...]
    lifecycle: str = "production"
    kind: str = "Deployment"
    replicas: int = 2
    # Relative traffic (requests per hour at the daily peak).
    traffic: int = 400
    in_cluster: bool = True


@dataclass(frozen=True)
class DemoOrg:
    teams: dict[str, str]  # name -> display name
    apps: tuple[DemoApp, ...]
    start: dt.datetime
    end: dt.datetime
    seed: int = 20261126
    rng: random.Random = field(default_factory=lambda: random.Random(20261126))

    def app(self, name: str) -> DemoApp:
        return next(a for a in self.apps if a.name == name)


def build_org(now: dt.datetime | None = None) -> DemoOrg:
    now = (now or utcnow()).replace(minute=0, second=0, microsecond=0)
    apps = (
        DemoApp(
            "support-assistant",
            "customer-care",
            "support",
            "Support Assistant",
            "Answers customer tickets from the help-centre knowledge base.",
            ("gpt-4o", "gpt-4o-mini", "text-embedding-3-small"),
            traffic=900,
            replicas=3,
        ),
        DemoApp(
            "ticket-triage",
            "customer-care",
            "support",
            "Ticket Triage",
            "Classifies and routes incoming tickets.",
            ("gpt-4o-mini",),
            traffic=600,
        ),
        DemoApp(
            "voice-summaries",
            "customer-care",
            "support",
            "Call Summaries",
            "Summarises recorded support calls.",
            ("claude-sonnet-4-20250514",),
            traffic=150,
            kind="StatefulSet",
            replicas=1,
        ),
        DemoApp(
            "search-rag",
            "search",
            "search",
            "Semantic Search",
            "Retrieval-augmented answers over product documentation.",
            ("gpt-4o-mini", "text-embedding-3-small"),
            traffic=1200,
            replicas=4,
        ),
        DemoApp(
            "query-rewriter",
            "search",
            "search",
            "Query Rewriter",
            "Rewrites shopper queries before retrieval.",
            ("llama-3.1-8b-instruct",),
            traffic=1500,
            kind="KnativeService",
            replicas=1,
        ),
        DemoApp(
            "catalog-enricher",
            "merchandising",
            "merch",
            "Catalog Enricher",
            "Writes product descriptions and attributes in batch.",
            ("gpt-4o", "claude-3-5-haiku-20241022"),
            traffic=250,
        ),
        DemoApp(
            "review-moderator",
            "merchandising",
            "merch",
            "Review Moderator",
            "Flags abusive or off-topic product reviews.",
            ("gpt-4o-mini",),
            traffic=500,
        ),
        DemoApp(
            "code-review-bot",
            "developer-experience",
            "devex",
            "Code Review Bot",
            "Comments on pull requests.",
            ("claude-sonnet-4-20250514", "gpt-4o"),
            traffic=120,
            lifecycle="experimental",
            replicas=1,
        ),
        DemoApp(
            "docs-chat",
            "developer-experience",
            "devex",
            "Internal Docs Chat",
            "Chat over the engineering handbook.",
            ("gpt-4o-mini", "text-embedding-3-small"),
            traffic=200,
        ),
        DemoApp(
            "sql-copilot",
            "data-platform",
            "data",
            "SQL Copilot",
            "Turns questions into warehouse SQL.",
            ("gpt-4o",),
            traffic=180,
            lifecycle="experimental",
            replicas=1,
        ),
        DemoApp(
            "churn-insights",
            "data-platform",
            "data",
            "Churn Insights",
            "Explains churn drivers from survey text.",
            ("llama-3.1-8b-instruct",),
            traffic=90,
        ),
        DemoApp(
            "marketing-copy",
            "growth",
            "growth",
            "Marketing Copy",
            "Drafts campaign copy; runs on a vendor platform outside the cluster.",
            ("gpt-4o",),
            traffic=60,
            in_cluster=False,
        ),
    )
    teams = {
        "customer-care": "Customer Care",
        "search": "Search & Discovery",
        "merchandising": "Merchandising",
        "developer-experience": "Developer Experience",
        "data-platform": "Data Platform",
        "growth": "Growth",
    }
    return DemoOrg(teams=teams, apps=apps, start=now - dt.timedelta(days=HISTORY_DAYS), end=now)
