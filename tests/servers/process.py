"""Running the portal's own command as a real server process in tests."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import requests

CLI = [sys.executable, "-m", "portal_api.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_HANDED_OUT: set[int] = set()


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def reserved_port() -> int:
    """A port for a server that binds it a while after the test names it (a scrape config is
    written first, the pod starts later): taken below the kernel's ephemeral range, where no
    outgoing connection and no port-0 server can take it meanwhile (``free_port``'s can be),
    free when handed out and never handed out twice in a run: each pytest-xdist worker takes
    ports from a slice of the range of its own (another worker's pod had bound a port this
    worker handed out a minute before: "Address already in use")."""
    high = _ephemeral_low()
    low = max(1024, high - 12000)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    if worker.startswith("gw") and worker[2:].isdigit() and workers > 1:
        index, span = int(worker[2:]) % workers, (high - low) // workers
        low, high = low + index * span, low + (index + 1) * span
    first = random.randrange(low, high)
    for step in range(high - low):
        port = low + (first - low + step) % (high - low)
        if port in _HANDED_OUT:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    raise RuntimeError(f"no free port in {low}-{high - 1}")


def run(
    command: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` to its end with its output captured as text. With ``check``, a non-zero
    exit fails the test with the command and its output; without, the caller judges the exit."""
    # subprocess's own check stays off: with ``check`` the assertion below names the output
    result = subprocess.run(
        list(command), env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    if check:
        assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    return result


def env_without_portal(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(extra)
    return env


@dataclass
class PortalProcess:
    """A server process started by a test, its URL and its log."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    log: IO[bytes]

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


START_SECONDS = 180


def start_server(
    command: list[str], *, env: dict[str, str], cwd: Path, port: int, health: str = "/healthz"
) -> PortalProcess:
    """Start a server process and wait until ``health`` answers 200 on ``port``.

    Output goes to a file, never to a pipe nobody reads (a full pipe would block the server).
    """
    log_path = cwd / f"server-{port}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    served = PortalProcess(f"http://127.0.0.1:{port}", process, log_path, log)
    # A busy CI machine can take over a minute to import the app and start workers; a server
    # that exits fails at once, so the long wait costs only when the server is slow, not broken.
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            served.stop()
            raise AssertionError(f"server exited: {served.output()[-3000:]}")
        try:
            if requests.get(f"{served.url}{health}", timeout=1).status_code == 200:
                return served
        except requests.RequestException:
            pass
        time.sleep(0.2)
    served.stop()
    raise AssertionError(
        f"server did not start within {START_SECONDS} s: {served.output()[-3000:]}"
    )


def start_portal(args: list[str], env: dict[str, str], workdir: Path) -> PortalProcess:
    """Start ``genai-portal <args> --port <free>`` and wait until it answers."""
    port = free_port()
    return start_server([*CLI, *args, "--port", str(port)], env=env, cwd=workdir, port=port)
