"""The workspace's real Backstage backend (backstage-plugins/packages/backend) as a test process.

It runs with the workspace's app-config.yaml plus a config of the test's own (port, working
directory, integrations, catalog locations), `cookiecutter` from the project's .venv on PATH, and
Node 22 from scripts/node-env.sh. The workspace's node_modules come from `make plugins-deps`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import yaml

from tests.servers.process import free_port

REPO = Path(__file__).resolve().parents[2]
WORKSPACE = REPO / "backstage-plugins"
BACKEND = WORKSPACE / "packages" / "backend"
START_TIMEOUT_S = 240  # a cold start transpiles the backend: ~20 s here, far more under load


@dataclass
class Backend:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    working_directory: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def token(self) -> str:
        """A guest user's Backstage token (the app's sign-in as guest)."""
        response = requests.get(
            f"{self.url}/api/auth/guest/refresh",
            headers={"X-Requested-With": "XMLHttpRequest"},
            timeout=60,
        )
        response.raise_for_status()
        token: str = response.json()["backstageIdentity"]["token"]
        return token

    def get(self, path: str, token: str, **params: Any) -> Any:
        response = requests.get(
            f"{self.url}{path}",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        assert response.status_code == 200, (path, response.status_code, response.text[:2000])
        return response.json()


def _require_workspace() -> None:
    if not (WORKSPACE / "node_modules" / "@backstage" / "backend-defaults").is_dir():
        raise AssertionError(
            "the Backstage workspace is not installed: run `make plugins-deps` "
            "(make test does it before pytest)"
        )


@contextmanager
def backstage_backend(config: dict[str, Any], workdir: Path) -> Iterator[Backend]:
    """Start the backend with ``config`` over app-config.yaml; stop it afterwards."""
    _require_workspace()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    working_directory = workdir / "scaffolder-work"
    working_directory.mkdir()
    docs = workdir / "techdocs"
    docs.mkdir()
    own = {
        "app": {"baseUrl": url},
        "backend": {
            "baseUrl": url,
            "listen": {"port": port, "host": "127.0.0.1"},
            "cors": {"origin": url},
            "workingDirectory": str(working_directory),
        },
        # TechDocs publishes what it builds into this test's folder, not into node_modules.
        "techdocs": {"publisher": {"type": "local", "local": {"publishDirectory": str(docs)}}},
        **config,
    }
    own["backend"].update(config.get("backend", {}))
    config_path = workdir / "app-config.test.yaml"
    config_path.write_text(yaml.safe_dump(own))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "GITHUB_"))}
    # cookiecutter for fetch:cookiecutter: the project's own, next to this Python.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["GENAI_PORTAL_TOKEN"] = env.get("GENAI_PORTAL_TOKEN", "unused-in-this-test")
    log_path = workdir / "backend.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                "bash",
                str(REPO / "scripts" / "node-env.sh"),
                "yarn",
                "backstage-cli",
                "package",
                "start",
                "--config",
                "../../app-config.yaml",
                "--config",
                str(config_path),
            ],
            cwd=BACKEND,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    backend = Backend(url, process, log_path, working_directory)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise AssertionError(f"backend exited: {backend.log()[-4000:]}")
            try:
                ready = requests.get(f"{url}/.backstage/health/v1/readiness", timeout=2)
                if ready.status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"backend not ready in {START_TIMEOUT_S} s: {backend.log()[-4000:]}"
                )
            time.sleep(0.5)
        yield backend
    finally:
        # The process group: yarn, backstage-cli and the node process it started.
        if process.poll() is None:
            os.killpg(process.pid, 15)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait(10)
