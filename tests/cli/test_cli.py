"""The ``genai-portal`` command, run as a real process."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from portal_api import __version__
from portal_api.demo import DEMO_TOKEN
from tests.factories import deployment
from tests.servers.kube import KubeState
from tests.servers.process import CLI, PortalProcess, env_without_portal, start_portal

TOKEN = "cli-test-token-123456"
Served = Callable[[list[str], dict[str, str]], PortalProcess]
ClusterEnv = Callable[..., dict[str, str]]


@pytest.fixture
def cluster(kube: KubeState, kubeconfig: Path, tmp_path: Path) -> ClusterEnv:
    """The Kubernetes test server runs app chat (team care, namespace support); gives the
    settings of a portal that reads it, storing in SQLite file ``database`` (plus ``extra``)."""
    kube.add(deployment("chat", "support", annotations={"genai-portal.io/team": "care"}))

    def env(database: str, **extra: str) -> dict[str, str]:
        return env_without_portal(
            PORTAL_DATABASE_URL=f"sqlite:///{tmp_path / database}",
            PORTAL_KUBERNETES="kubeconfig",
            PORTAL_KUBECONFIG=str(kubeconfig),
            PORTAL_API_TOKENS=json.dumps([{"name": "t", "token": TOKEN, "scopes": ["read"]}]),
            **extra,
        )

    return env


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Callable[[list[str], dict[str, str]], PortalProcess]]:
    processes: list[PortalProcess] = []

    def start(args: list[str], env: dict[str, str]) -> PortalProcess:
        processes.append(start_portal(args, env, tmp_path))
        return processes[-1]

    yield start
    for process in processes:
        process.stop()


def test_version() -> None:
    out = subprocess.run([*CLI, "version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == __version__


def test_demo_serves_the_sample_organisation(served: Served, tmp_path: Path) -> None:
    url = served(["demo", "--database", str(tmp_path / "demo.db")], env_without_portal()).url
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    apps = requests.get(f"{url}/api/v1/apps?limit=100", headers=headers, timeout=10).json()
    assert apps["total"] == 12
    teams = {a["team"] for a in apps["items"]}
    assert len(teams) >= 5
    assert requests.get(f"{url}/api/v1/apps", timeout=10).status_code == 401

    # Run again on the same file: reused, not duplicated.
    subprocess.run(
        [*CLI, "demo", "--database", str(tmp_path / "demo.db"), "--no-serve"],
        env=env_without_portal(),
        check=True,
        capture_output=True,
    )
    with sqlite3.connect(tmp_path / "demo.db") as conn:
        assert conn.execute("SELECT count(*) FROM app").fetchone() == (12,)


def test_demo_honours_configured_tokens(served: Served, tmp_path: Path) -> None:
    tokens = [
        {"name": "backstage", "token": TOKEN, "scopes": ["read"]},
        {"name": "ci", "token": "ci-" + TOKEN, "scopes": ["ingest"]},
    ]
    demo = served(
        ["demo", "--database", str(tmp_path / "demo.db")],
        env_without_portal(PORTAL_API_TOKENS=json.dumps(tokens)),
    )
    read = requests.get(
        f"{demo.url}/api/v1/apps", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
    )
    assert read.status_code == 200
    assert read.json()["total"] == 12
    # The configured scopes hold: the read token cannot ingest, the built-in token is not accepted.
    assert (
        requests.post(
            f"{demo.url}/api/v1/apps",
            json={"name": "x"},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        ).status_code
        == 403
    )
    assert (
        requests.get(
            f"{demo.url}/api/v1/apps",
            headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
            timeout=10,
        ).status_code
        == 401
    )
    output = demo.output()
    assert "backstage (read)" in output
    assert TOKEN not in output  # names and scopes only: tokens are secrets
    assert DEMO_TOKEN not in output


def test_sync_reads_the_cluster_and_serve_shows_it(
    served: Served, tmp_path: Path, kube: KubeState, cluster: ClusterEnv
) -> None:
    kube.add(deployment("rag", "search"))
    env = cluster("portal.db", PORTAL_SYNC_INTERVAL_SECONDS="0")
    out = subprocess.run(
        [*CLI, "sync"], env=env, cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "kubernetes/apps" in out.stderr
    assert "cli-test-token" not in out.stdout + out.stderr

    url = served(["serve"], env).url
    headers = {"Authorization": f"Bearer {TOKEN}"}
    apps = requests.get(f"{url}/api/v1/apps", headers=headers, timeout=10).json()
    assert sorted(a["name"] for a in apps["items"]) == ["chat", "rag"]
    sources = requests.get(f"{url}/api/v1/sources", headers=headers, timeout=10).json()
    k8s = next(s for s in sources if s["source"] == "kubernetes")
    assert k8s["state"] == "ok"

    # The API server fails: sync exits non-zero, says why, and the data stays.
    kube.fail("/apis/apps/v1", 500)
    out = subprocess.run([*CLI, "sync"], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 1
    assert "500" in out.stderr
    apps = requests.get(f"{url}/api/v1/apps", headers=headers, timeout=10).json()
    assert apps["total"] == 2


def test_serve_syncs_in_the_background(
    served: Served, kube: KubeState, cluster: ClusterEnv
) -> None:
    env = cluster("bg.db", PORTAL_SYNC_INTERVAL_SECONDS="1")
    url = served(["serve"], env).url
    headers = {"Authorization": f"Bearer {TOKEN}"}
    deadline = time.monotonic() + 120  # the loop ends as soon as both apps are there
    names: list[str] = []
    while time.monotonic() < deadline and names != ["chat", "search"]:
        kube.add(deployment("search", "search"))
        body = requests.get(f"{url}/api/v1/apps", headers=headers, timeout=10).json()
        names = sorted(a["name"] for a in body["items"])
        time.sleep(0.3)
    assert names == ["chat", "search"]


def test_bad_configuration_is_a_clear_error(tmp_path: Path) -> None:
    out = subprocess.run(
        [*CLI, "sync"],
        env=env_without_portal(
            PORTAL_API_TOKENS="[not json", PORTAL_DATABASE_URL=f"sqlite:///{tmp_path}/x.db"
        ),
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "PORTAL_API_TOKENS is not valid JSON" in out.stderr


def test_two_replicas_with_a_lease_elect_one_syncer(
    served: Served, kube: KubeState, cluster: ClusterEnv
) -> None:
    env = cluster(
        "lease.db",
        PORTAL_SYNC_INTERVAL_SECONDS="1",
        PORTAL_LEADER_ELECTION="lease",
        PORTAL_LEASE_NAMESPACE="portal",
    )
    served(["serve"], env)
    served(["serve"], env)
    # First a lease (on a busy machine the first sync pass can take a while), then watch it.
    appeared = time.monotonic() + 120
    while time.monotonic() < appeared and not kube.objects.get(
        ("coordination.k8s.io/v1", "leases")
    ):
        time.sleep(0.2)
    deadline = time.monotonic() + 6
    holders: set[str] = set()
    while time.monotonic() < deadline:
        leases = kube.objects.get(("coordination.k8s.io/v1", "leases"), [])
        if leases:
            holders.add(leases[0]["spec"]["holderIdentity"])
        time.sleep(0.2)
    assert len(holders) == 1  # one replica held it throughout, renewing it
    lists = [r for r in kube.requests if "/deployments" in r]
    assert lists  # and that one synced
