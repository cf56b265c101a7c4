"""Eval tests: the API's sources include the OpenAI-compatible test server."""

from __future__ import annotations

import pytest

from portal_api.db import Database
from portal_api.sources.bundle import Sources
from portal_api.sources.openai import OpenAISource
from tests.factories import make_app


@pytest.fixture
def sources(openai_source: OpenAISource) -> Sources:
    return Sources(openai=openai_source)


@pytest.fixture
def app_name(db: Database) -> str:
    with db.session_scope() as session:
        make_app(session, name="triage")
    return "triage"
