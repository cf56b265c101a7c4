"""Shared fixtures: real databases (SQLite and PostgreSQL), the API, the Kubernetes server.

Every database test runs on both backends. Migrations are applied with Alembic once per
backend and session; each test runs inside a transaction that is rolled back.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from portal_api.config import ApiToken, KubernetesMode, Settings
from portal_api.db import Database, make_engine, migrate
from portal_api.main import create_app
from portal_api.sources.bundle import Sources
from portal_api.sources.kubernetes import KubernetesSource
from portal_api.sources.openai import OpenAISource
from portal_api.sync.collector import StepResult
from tests.servers.kube import KubeState, kube_server, write_kubeconfig
from tests.servers.openai import OpenAIState, openai_server
from tests.servers.prometheus import PrometheusFactory
from tests.servers.threaded import ServerState
from tests.sync.helpers import KubeSync, sync_pass

POSTGRES_ADMIN_URL = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

READ_TOKEN = "read-token-0123456789abcdef"
INGEST_TOKEN = "ingest-token-0123456789abcdef"
ADMIN_TOKEN = "admin-token-0123456789abcdef"
TOKENS = {"read": READ_TOKEN, "ingest": INGEST_TOKEN, "admin": ADMIN_TOKEN}


# Test files whose session fixtures are dear (a Backstage backend; rendered projects and their
# virtual environments; the portal they call) run on one pytest-xdist worker together.
_SHARED_GROUPS = ("backstage", "templates")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``--dist loadgroup``) each test file runs whole on one worker, so its
    module fixtures are made once, and the files of ``_SHARED_GROUPS`` share a worker."""
    root = Path(__file__).parent
    for item in items:
        path = item.path.relative_to(root)
        group = path.parts[0] if path.parts[0] in _SHARED_GROUPS else str(path)
        item.add_marker(pytest.mark.xdist_group(group))


def bearer(scope: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[scope]}"}


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty database on the real PostgreSQL server (its URL), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database on the real PostgreSQL server, dropped at the end of the session."""
    name = f"portal_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.fail(f"PostgreSQL is required at {POSTGRES_ADMIN_URL}: {exc}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    eng = make_engine(url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Database]:
    """A Database whose every commit lands in a transaction rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    try:
        yield Database(connection)
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url="sqlite://",
        api_tokens=[
            ApiToken(name=f"{scope}-client", token=token, scopes=[scope])  # type: ignore[arg-type,list-item]
            for scope, token in TOKENS.items()
        ],
        sync_interval_seconds=300,
    )


@pytest.fixture
def sources() -> Sources:
    return Sources()


@pytest.fixture
def client(settings: Settings, db: Database, sources: Sources) -> Iterator[TestClient]:
    app = create_app(settings, db=db, sources=sources)
    with TestClient(app) as test_client:
        yield test_client


def server_fixtures(
    serve: Callable[[], AbstractContextManager[tuple[str, ServerState]]],
    *,
    session: str,
    state: str,
) -> tuple[Any, Any]:
    """The two fixtures of a test server: ``session``, the server ``serve`` starts once per test
    session (its URL and state), and ``state``, that state emptied for the test that asks."""

    @pytest.fixture(scope="session", name=session)
    def served() -> Iterator[tuple[str, ServerState]]:
        with serve() as server:
            yield server

    @pytest.fixture(name=state)
    def emptied(request: pytest.FixtureRequest) -> ServerState:
        url_and_state: tuple[str, ServerState] = request.getfixturevalue(session)
        return url_and_state[1].emptied()

    return served, emptied


# The Kubernetes and OpenAI-compatible test servers: started once, emptied for each test.
kube_session, kube = server_fixtures(kube_server, session="kube_session", state="kube")
openai_session, llm = server_fixtures(openai_server, session="openai_session", state="llm")


@pytest.fixture
def kubeconfig(kube_session: tuple[str, KubeState], tmp_path: Path) -> Path:
    return write_kubeconfig(tmp_path / "kubeconfig", kube_session[0])


@pytest.fixture
def kube_settings(settings: Settings, kubeconfig: Path) -> Settings:
    return settings.model_copy(
        update={"kubernetes": KubernetesMode.KUBECONFIG, "kubeconfig": kubeconfig}
    )


@pytest.fixture
def kube_source(kube_settings: Settings, kube: KubeState) -> Iterator[KubernetesSource]:  # noqa: ARG001 (empties the server first)
    source = KubernetesSource.from_settings(kube_settings)
    assert source is not None
    yield source
    source.close()


@pytest.fixture
def kube_sync(db: Database, kube_source: KubernetesSource, kube_settings: Settings) -> KubeSync:
    """Every sync step over the Kubernetes test server into ``db`` at a given time."""

    def run(now: dt.datetime) -> dict[str, StepResult]:
        return {r.step: r for r in sync_pass(db, kube_settings, now, kubernetes=kube_source)}

    return run


@pytest.fixture(scope="session")
def prometheus_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrometheusFactory]:
    """Starts real Prometheus servers loaded with given series; all stopped at the end."""
    factory = PrometheusFactory(tmp_path_factory.mktemp("prometheus"))
    yield factory
    factory.stop_all()


@pytest.fixture
def prom_settings(settings: Settings) -> Settings:
    """Prometheus configured (tests hand the sync a source on a test server) with one day of
    backfill."""
    return settings.model_copy(update={"prometheus_url": "http://unused", "backfill_days": 1})


@pytest.fixture
def openai_base_url(openai_session: tuple[str, OpenAIState]) -> str:
    return openai_session[0]


@pytest.fixture
def openai_source(openai_base_url: str, llm: OpenAIState) -> Iterator[OpenAISource]:  # noqa: ARG001 (empties the server first)
    source = OpenAISource(openai_base_url, api_key="sk-test", timeout=2.0, max_retries=2)
    yield source
    source.close()
