"""A Kubernetes API test server: speaks the REST protocol for what the portal reads.

It serves list calls (cluster-wide and namespaced, core and grouped resources, custom
resources) with label selectors and limit/continue paging, returns real-shaped List and
Status objects, and can be told to fail a path with a given status code. The portal's real
``kubernetes`` client reaches it through a kubeconfig.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import yaml

from tests.servers.threaded import ServerState, serving

TOKEN = "kube-test-token"

_PATH = re.compile(
    r"^/(?:api/(?P<core_version>v1)|apis/(?P<group>[^/]+)/(?P<version>[^/]+))"
    r"(?:/namespaces/(?P<namespace>[^/]+))?/(?P<plural>[^/]+)(?:/(?P<name>[^/]+))?$"
)

_KINDS = {
    "deployments": "Deployment",
    "statefulsets": "StatefulSet",
    "services": "Service",
    "configmaps": "ConfigMap",
    "pods": "Pod",
    "poddisruptionbudgets": "PodDisruptionBudget",
    "networkpolicies": "NetworkPolicy",
    "vulnerabilityreports": "VulnerabilityReport",
    "configauditreports": "ConfigAuditReport",
    "exposedsecretreports": "ExposedSecretReport",
    "leases": "Lease",
}


def _matches(labels: dict[str, str], selector: str | None) -> bool:
    """Equality- and set-based label selectors, as the API server evaluates them."""
    if not selector:
        return True
    # split on commas that are not inside parentheses
    terms = re.findall(r"(?:[^,(]|\([^)]*\))+", selector)
    for raw in terms:
        term = raw.strip()
        if m := re.fullmatch(r"(\S+?)\s+(in|notin)\s+\(([^)]*)\)", term):
            key, op, values = m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",")}
            if op == "in" and labels.get(key) not in values:
                return False
            if op == "notin" and labels.get(key) in values:
                return False
        elif "!=" in term:
            key, value = term.split("!=", 1)
            if labels.get(key.strip()) == value.strip():
                return False
        elif "=" in term:
            key, value = term.replace("==", "=").split("=", 1)
            if labels.get(key.strip()) != value.strip():
                return False
        elif term.startswith("!"):
            if term[1:] in labels:
                return False
        elif term not in labels:
            return False
    return True


class KubeState(ServerState):
    """Objects by (apiVersion, plural); failures by path prefix."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.objects: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.failures: dict[str, int] = {}
        self.installed: set[tuple[str, str]] = set()  # resources that exist even when empty
        self.requests: list[str] = []
        self.resource_version = 1000

    def add(self, obj: dict[str, Any], plural: str | None = None) -> dict[str, Any]:
        api_version = obj["apiVersion"]
        plural = plural or obj["kind"].lower() + "s"
        if obj["kind"] == "NetworkPolicy":
            plural = "networkpolicies"
        meta = obj.setdefault("metadata", {})
        meta.setdefault("uid", str(uuid.uuid4()))
        meta.setdefault("creationTimestamp", "2026-10-01T08:00:00Z")
        with self.lock:
            self.resource_version += 1
            meta["resourceVersion"] = str(self.resource_version)
            items = self.objects.setdefault((api_version, plural), [])
            items[:] = [
                o
                for o in items
                if not (
                    o["metadata"]["name"] == meta["name"]
                    and o["metadata"].get("namespace") == meta.get("namespace")
                )
            ]
            items.append(obj)
        return obj

    def remove(self, api_version: str, plural: str, namespace: str | None, name: str) -> None:
        with self.lock:
            items = self.objects.get((api_version, plural), [])
            items[:] = [
                o
                for o in items
                if not (
                    o["metadata"]["name"] == name and o["metadata"].get("namespace") == namespace
                )
            ]

    def install(self, api_version: str, plural: str) -> None:
        """Make a resource type known (a CRD with no objects answers an empty list)."""
        self.installed.add((api_version, plural))

    def fail(self, path_prefix: str, status: int) -> None:
        """Answer ``status`` for every request whose path starts with ``path_prefix``."""
        self.failures[path_prefix] = status


def _status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


_REASONS = {403: "Forbidden", 404: "NotFound", 500: "InternalError", 401: "Unauthorized"}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *_: Any) -> None:  # keep test output clean
        return

    def _send(self, code: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _route(self) -> tuple[re.Match[str], str] | None:
        """Checks auth and injected failures; returns the path match and apiVersion."""
        state = self.server.state
        state.requests.append(f"{self.command} {self.path}")
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._send(401, _status(401, "Unauthorized", "Unauthorized"))
            return None
        path = urlparse(self.path).path
        for prefix, code in state.failures.items():
            if path.startswith(prefix):
                self._send(code, _status(code, _REASONS.get(code, "Error"), f"injected {code}"))
                return None
        m = _PATH.match(path)
        if not m:
            self._send(404, _status(404, "NotFound", "the server could not find the resource"))
            return None
        api_version = (
            m.group("core_version") if m.group("core_version") else f"{m['group']}/{m['version']}"
        )
        return m, api_version

    def _find(self, m: re.Match[str], api_version: str, name: str) -> dict[str, Any] | None:
        state = self.server.state
        with state.lock:
            return next(
                (
                    o
                    for o in state.objects.get((api_version, m["plural"]), [])
                    if o["metadata"]["name"] == name
                    and o["metadata"].get("namespace") == m["namespace"]
                ),
                None,
            )

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        body: dict[str, Any] = json.loads(self.rfile.read(length) or b"{}")
        return body

    def _store(self, code: int, m: re.Match[str], api_version: str, obj: dict[str, Any]) -> None:
        """Keep ``obj`` in the path's namespace and answer it as stored, with ``code``."""
        obj.setdefault("apiVersion", api_version)
        obj["metadata"]["namespace"] = m["namespace"]
        self._send(code, self.server.state.add(obj, m["plural"]))

    def _dispatch(self, handle: Callable[[re.Match[str], str], None]) -> None:
        routed = self._route()
        if routed is not None:
            handle(*routed)

    def do_POST(self) -> None:
        self._dispatch(self._create)

    def do_PUT(self) -> None:
        self._dispatch(self._replace)

    def do_GET(self) -> None:
        self._dispatch(self._read)

    def _create(self, m: re.Match[str], api_version: str) -> None:
        obj = self._body()
        if self._find(m, api_version, obj["metadata"]["name"]) is not None:
            self._send(409, _status(409, "AlreadyExists", "already exists"))
            return
        self._store(201, m, api_version, obj)

    def _replace(self, m: re.Match[str], api_version: str) -> None:
        obj = self._body()
        current = self._find(m, api_version, m["name"])
        if current is None:
            self._send(404, _status(404, "NotFound", "not found"))
            return
        sent = (obj.get("metadata") or {}).get("resourceVersion")
        if sent != current["metadata"]["resourceVersion"]:
            # Optimistic concurrency, as the API server does it.
            self._send(409, _status(409, "Conflict", "the object has been modified"))
            return
        self._store(200, m, api_version, obj)

    def _read(self, m: re.Match[str], api_version: str) -> None:
        state = self.server.state
        plural = m["plural"]
        if m["name"]:
            found = self._find(m, api_version, m["name"])
            if found is None:
                self._send(404, _status(404, "NotFound", f'{plural} "{m["name"]}" not found'))
            else:
                self._send(200, found)
            return
        key = (api_version, plural)
        with state.lock:
            known = key in state.objects or key in state.installed
            items = list(state.objects.get(key, []))
        if not known and not (api_version in ("v1", "apps/v1") and plural in _KINDS):
            self._send(404, _status(404, "NotFound", "the server could not find the resource"))
            return
        query = parse_qs(urlparse(self.path).query)
        namespace = m["namespace"]
        selector = (query.get("labelSelector") or [None])[0]
        items = [
            o
            for o in items
            if (namespace is None or o["metadata"].get("namespace") == namespace)
            and _matches(o["metadata"].get("labels") or {}, selector)
        ]
        items.sort(key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
        start = int((query.get("continue") or ["0"])[0] or 0)
        limit = int((query.get("limit") or ["0"])[0] or 0)
        page = items[start : start + limit] if limit else items[start:]
        more = limit and start + limit < len(items)
        kind = _KINDS.get(plural, plural.capitalize().rstrip("s"))
        self._send(
            200,
            {
                "kind": f"{kind}List",
                "apiVersion": api_version,
                "metadata": {
                    "resourceVersion": str(state.resource_version),
                    **({"continue": str(start + limit)} if more else {}),
                },
                "items": page,
            },
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: KubeState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


@contextmanager
def kube_server() -> Iterator[tuple[str, KubeState]]:
    state = KubeState()
    with serving(_Server(state)) as url:
        yield url, state


def write_kubeconfig(path: Path, url: str) -> Path:
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "test", "cluster": {"server": url}}],
                "users": [{"name": "portal", "user": {"token": TOKEN}}],
                "contexts": [{"name": "test", "context": {"cluster": "test", "user": "portal"}}],
                "current-context": "test",
            }
        )
    )
    return path
