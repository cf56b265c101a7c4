"""The model-endpoint probe: its health shows in /api/v1/sources like any source's."""

from __future__ import annotations

import datetime as dt

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.sources.bundle import Sources
from portal_api.sources.openai import OpenAISource
from portal_api.steps import all_steps
from portal_api.sync.collector import run_sync
from portal_api.sync.models import SourceStatus
from tests.servers.openai import unreachable_url

T0 = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def test_probe_records_health(
    db: Database, openai_source: OpenAISource, settings: Settings
) -> None:
    results = run_sync(
        steps=all_steps(), db=db, sources=Sources(openai=openai_source), settings=settings, now=T0
    )
    assert [(r.step, r.ok) for r in results if not r.skipped] == [("openai/models", True)]
    with db.session() as session:
        status = session.get(SourceStatus, "openai/models")
        assert status is not None
        assert status.last_success == T0
        assert status.stats == {"models": 1, "listed": ["test-model"]}


def test_probe_of_an_unreachable_endpoint_fails_the_step(db: Database, settings: Settings) -> None:
    with unreachable_url() as url:
        down = OpenAISource(url, timeout=1.0, max_retries=0)
        results = run_sync(
            steps=all_steps(), db=db, sources=Sources(openai=down), settings=settings, now=T0
        )
        down.close()
    [result] = [r for r in results if not r.skipped]
    assert not result.ok
    assert result.error == "openai: model endpoint unreachable"
    with db.session() as session:
        status = session.get(SourceStatus, "openai/models")
        assert status is not None
        assert status.consecutive_failures == 1
