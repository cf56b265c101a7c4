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
from tests.servers.process import CLI, env_without_portal, wait_ready
from tests.servers.prometheus import free_port

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def test_no_operation_answers_5xx_or_off_its_schema(tmp_path: Path) -> None:
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads fills up (64 KB of access log)
    # and blocks the server mid-run.
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [*CLI, "demo", "--database", str(tmp_path / "fuzz.db"), "--port", str(port)],
        env=env_without_portal(),
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url, server)
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "run",
                f"{url}/openapi.json",
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
        server.terminate()
        server.wait(10)
        log.close()
    assert run.returncode == 0, run.stdout[-6000:]
