"""A GitHub REST API test server: what Backstage's GitHub integration reads and the first call
of ``publish:github``.

Backstage reads a ``url`` location on GitHub through its GithubUrlReader: a file through
``GET /repos/{owner}/{repo}/contents/{path}?ref=`` (raw media type), a directory (a template's
skeleton, for ``fetch:cookiecutter``) through the commit status (``GET .../commits/{ref}/status``,
which names the commit and the repository's ``archive_url``) and the tarball of that commit.
This server publishes one repository, a snapshot of chosen folders of this checkout, under
``http://127.0.0.1:<port>/<owner>/<repo>/blob/<branch>/<path>`` (the web URLs) and the API under
``/api/v3`` (GitHub Enterprise's layout).

``publish:github`` first asks ``GET /api/v3/users/{owner}``: the server holds that request
(:meth:`GithubServer.held_publish`) so a test can read the scaffolder's workspace after every
step before the publish step, then answers 404: the task stops there, nothing is published.
"""

from __future__ import annotations

import hashlib
import io
import json
import queue
import tarfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from tests.servers.threaded import serving

TOKEN = "github-test-token-0123456789"


@dataclass
class _Hold:
    """A publish request waiting for the test: the owner asked for, and the go-ahead."""

    owner: str
    release: threading.Event = field(default_factory=threading.Event)


@dataclass
class GithubServer:
    url: str
    owner: str
    repo: str
    branch: str
    sha: str
    holds: queue.Queue[_Hold]

    @property
    def host(self) -> str:
        return self.url.removeprefix("http://")

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/v3"

    def blob_url(self, path: str) -> str:
        return f"{self.url}/{self.owner}/{self.repo}/blob/{self.branch}/{path}"

    @contextmanager
    def held_publish(self, timeout: float) -> Iterator[str]:
        """Wait for ``publish:github`` to ask for its owner; yield the owner while the request
        is held, then let it fail with 404 (nothing gets published)."""
        hold = self.holds.get(timeout=timeout)
        try:
            yield hold.owner
        finally:
            hold.release.set()


def _snapshot(root: Path, folders: list[str]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for folder in folders:
        # A folder's files, or one file.
        paths = [root / folder] if (root / folder).is_file() else sorted((root / folder).rglob("*"))
        for path in paths:
            if (
                path.is_file()
                and "__pycache__" not in path.parts
                and "node_modules" not in path.parts
            ):
                files[str(path.relative_to(root))] = path.read_bytes()
    return files


def _tarball(files: dict[str, bytes], prefix: str) -> bytes:
    """The archive GitHub serves for a commit: every file under one top folder."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{prefix}/{name}")
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@contextmanager
def github_server(
    root: Path, folders: list[str], owner: str = "acme", repo: str = "genai-portal"
) -> Iterator[GithubServer]:
    """Serve ``folders`` (or files) of ``root`` as the ``main`` branch of ``owner/repo``."""
    files = _snapshot(root, folders)
    sha = hashlib.sha1(b"".join(k.encode() + v for k, v in files.items())).hexdigest()
    tarball = _tarball(files, f"{owner}-{repo}-{sha[:7]}")
    holds: queue.Queue[_Hold] = queue.Queue()
    base = f"/api/v3/repos/{owner}/{repo}"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, body: object) -> None:
            self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8")

        def _not_found(self) -> None:
            self._json(
                404, {"message": "Not Found", "documentation_url": "https://docs.github.com"}
            )

        def do_GET(self) -> None:
            parsed = urlparse(self.path)
            path = unquote(parsed.path)
            if (
                self.headers.get("Authorization") != f"token {TOKEN}"
                and self.headers.get("Authorization") != f"Bearer {TOKEN}"
            ):
                self._json(401, {"message": "Bad credentials"})
                return
            if path == base:
                self._json(200, {"full_name": f"{owner}/{repo}", "default_branch": "main"})
            elif path.startswith(f"{base}/contents/"):
                ref = parse_qs(parsed.query).get("ref", ["main"])[0]
                name = path.removeprefix(f"{base}/contents/")
                if ref not in ("main", sha) or name not in files:
                    self._not_found()
                else:
                    self._send(200, files[name], "application/vnd.github.v3.raw")
            elif path in (f"{base}/commits/main/status", f"{base}/commits/{sha}/status"):
                archive = f"{server.url}{base}/{{archive_format}}{{/ref}}"
                trees = f"{server.url}{base}/git/trees{{/sha}}"
                self._json(
                    200,
                    {
                        "state": "success",
                        "sha": sha,
                        "total_count": 0,
                        "statuses": [],
                        "repository": {
                            "full_name": f"{owner}/{repo}",
                            "archive_url": archive,
                            "trees_url": trees,
                        },
                    },
                )
            elif path == f"{base}/tarball/{sha}":
                self._send(200, tarball, "application/x-gzip")
            elif path.startswith("/api/v3/users/"):
                hold = _Hold(owner=path.removeprefix("/api/v3/users/"))
                holds.put(hold)
                hold.release.wait(600)
                self._not_found()
            else:
                self._not_found()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    with serving(httpd) as url:
        server = GithubServer(url=url, owner=owner, repo=repo, branch="main", sha=sha, holds=holds)
        yield server
