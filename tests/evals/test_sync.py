"""The model-endpoint probe: its health shows in /api/v1/sources like any source's."""

from __future__ import annotations

import datetime as dt

from portal_api.config import Settings
from portal_api.db import Database
from portal_api.sources.openai import OpenAISource
from portal_api.sync.models import SourceStatus
from tests.servers.openai import unreachable_url
from tests.sync.helpers import sync_pass

T0 = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def test_probe_records_health(
    db: Database, openai_source: OpenAISource, settings: Settings
) -> None:
    results = sync_pass(db, settings, T0, openai=openai_source)
    assert [(r.step, r.ok) for r in results if not r.skipped] == [("openai/models", True)]
    with db.session() as session:
        status = session.get(SourceStatus, "openai/models")
        assert status is not None
        assert status.last_success == T0
        assert status.stats == {"models": 1, "listed": ["test-model"]}


def test_probe_of_an_unreachable_endpoint_fails_the_step(db: Database, settings: Settings) -> None:
    with unreachable_url() as url:
        down = OpenAISource(url, timeout=1.0, max_retries=0)
        results = sync_pass(db, settings, T0, openai=down)
        down.close()
    [result] = [r for r in results if not r.skipped]
    assert not result.ok
    assert result.error == "openai: model endpoint unreachable"
    with db.session() as session:
        status = session.get(SourceStatus, "openai/models")
        assert status is not None
        assert status.consecutive_failures == 1
