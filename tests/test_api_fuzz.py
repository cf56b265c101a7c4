"""Property-based fuzzing of every operation in the OpenAPI document (schemathesis).

The API runs as a real server on the sample organisation, on SQLite and on PostgreSQL;
schemathesis generates valid and invalid requests for every operation, with a token of each
scope, and checks that none answers 5xx, that every answer is documented, and that bodies
and headers match their schemas (including the error body). Examples are bounded so the six
runs add a few minutes to CI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal_api.db import Database, make_engine, migrate
from portal_api.demo import seed_demo
from tests.conftest import TOKENS, fresh_postgres_database
from tests.servers.process import PortalProcess, env_without_portal, start_portal

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
ROOT = Path(__file__).resolve().parents[1]
# Per operation; the admin token reaches every operation's handler, so it gets the most.
MAX_EXAMPLES = {"read": 8, "ingest": 8, "admin": 20}
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance"
)


def _tokens_env() -> str:
    return json.dumps(
        [{"name": f"{s}-client", "token": t, "scopes": [s]} for s, t in TOKENS.items()]
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PortalProcess]:
    workdir = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    if request.param == "sqlite":
        # The demo command itself, with the configured tokens (it honours PORTAL_API_TOKENS).
        started = start_portal(
            ["demo", "--database", str(workdir / "fuzz.db")],
            env_without_portal(PORTAL_API_TOKENS=_tokens_env()),
            workdir,
        )
        yield started
        started.stop()
        return
    with fresh_postgres_database("portal_fuzz") as url:
        engine = make_engine(url)
        migrate(engine)
        seed_demo(Database(engine))
        engine.dispose()
        started = start_portal(
            ["serve"],
            env_without_portal(
                PORTAL_DATABASE_URL=url,
                PORTAL_API_TOKENS=_tokens_env(),
                PORTAL_SYNC_INTERVAL_SECONDS="0",
            ),
            workdir,
        )
        yield started
        started.stop()


@pytest.mark.parametrize("scope", ["read", "ingest", "admin"])
def test_no_operation_answers_5xx_or_off_its_schema(
    server: PortalProcess, scope: str, tmp_path: Path
) -> None:
    run = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            f"{server.url}/openapi.json",
            "-H",
            f"Authorization: Bearer {TOKENS[scope]}",
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            str(MAX_EXAMPLES[scope]),
            "--generation-deterministic",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": "tests.fuzz_hooks", "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, run.stdout[-8000:]
    log = server.output()
    assert "Traceback" not in log, log[-4000:]
