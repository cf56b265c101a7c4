"""The supervising process of ``genai-portal serve`` with several workers, kept small.

``serve`` checks the configuration and migrates, then replaces itself (same process id) with
this module: uvicorn's process manager and, when the background sync is on, one sync process
(``portal_api.cli.serve.background_sync``). Nothing of the portal is imported here: the
workers and the sync process hold the application, the supervisor only uvicorn (about 25 MB
instead of about 110 MB). The sync process stops when this one goes away (its stdin closes).
"""

from __future__ import annotations

import json
import subprocess
import sys

SYNC = "from portal_api.cli.serve import background_sync; background_sync()"


def main(options: dict[str, object]) -> None:
    import uvicorn

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
