"""Property-based fuzzing of every operation in the OpenAPI document (schemathesis).

The demo API runs as a real server on the sample organisation; schemathesis generates valid
and invalid requests for every operation and checks that none answers 5xx, that every answer
is documented, and that bodies match their schemas (including the error body).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from portal_api.demo import DEMO_TOKEN
from tests.servers.process import env_without_portal, start_portal

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def test_no_operation_answers_5xx_or_off_its_schema(tmp_path: Path) -> None:
    server = start_portal(
        ["demo", "--database", str(tmp_path / "fuzz.db")], env_without_portal(), tmp_path
    )
    try:
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "run",
                f"{server.url}/openapi.json",
                "-H",
                f"Authorization: Bearer {DEMO_TOKEN}",
                "--checks",
                "not_a_server_error,status_code_conformance,"
                "content_type_conformance,response_schema_conformance",
                "--max-examples",
                "25",
                "--generation-deterministic",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
    finally:
        server.stop()
    assert run.returncode == 0, run.stdout[-6000:]
