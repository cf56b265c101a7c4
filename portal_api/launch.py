"""The supervising process of ``genai-portal serve`` with several workers, kept small.

``serve`` checks the configuration and migrates, then replaces itself (same process id) with
this module: uvicorn's process manager and, when the background sync is on, one sync process
(``portal_api.cli.serve.background_sync``). Nothing of the portal is imported here: the
workers and the sync process hold the application, the supervisor only uvicorn (about 25 MB
instead of about 110 MB). The sync process stops when this one goes away (its stdin closes).

uvicorn starts its workers with multiprocessing's ``spawn``, which first starts
multiprocessing's resource tracker: one more Python process (about 12 MB) that removes the
named semaphores and shared memory a worker leaves behind. The workers create none (the
supervisor talks to each over a pipe), so they are handed a tracker that is ``/dev/null``
and no tracker process runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from multiprocessing import resource_tracker
from typing import Any

SYNC = "from portal_api.cli.serve import background_sync; background_sync()"


def without_resource_tracker() -> None:
    """Spawned processes report to ``/dev/null`` instead of a resource tracker process (it
    is alive to ``ensure_running``: a write to it succeeds)."""
    tracker: Any = resource_tracker._resource_tracker  # its fd is not in the type stubs
    if tracker._fd is None:
        tracker._fd = os.open(os.devnull, os.O_WRONLY)


def main(options: dict[str, object]) -> None:
    import uvicorn

    without_resource_tracker()
    syncer = None
    if options.pop("sync"):
        syncer = subprocess.Popen([sys.executable, "-c", SYNC], stdin=subprocess.PIPE)
    try:
        uvicorn.run("portal_api.main:serve_app", factory=True, proxy_headers=True, **options)  # type: ignore[arg-type]
    finally:
        if syncer is not None and syncer.stdin is not None:
            syncer.stdin.close()  # its signal to stop (it waits for the step in progress)
            try:
                syncer.wait(60)
            except subprocess.TimeoutExpired:
                syncer.kill()


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
