"""Write the API's OpenAPI document, which catalog/openapi.json holds for Backstage.

python -m portal_api.catalog.openapi catalog/openapi.json     (make openapi)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from portal_api.config import Settings


def document() -> dict[str, Any]:
    """The OpenAPI document of the app as it is built for serving."""
    from portal_api.main import create_app

    openapi: dict[str, Any] = create_app(Settings(api_tokens=[])).openapi()
    return openapi


def render() -> str:
    return json.dumps(document(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        return 2
    Path(argv[0]).write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
