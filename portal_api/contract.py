"""The ingest contract the templates' services speak, as JSON Schema generated from the
portal's own request models (never a hand-copied shape).

    python -m portal_api.contract [DIR]   # writes DIR/prompts.schema.json, eval-run.schema.json

The templates ship the files in ``_common/skeleton/contract/``; a test fails when they
drift from the models. (The templates' copy of ``kit/identity.py`` is made by ``make templates``.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from portal_api.evals.models import EvalRunIn
from portal_api.prompts.models import PromptBatch

SKELETON = Path(__file__).resolve().parents[1] / "scaffolder-templates" / "_common" / "skeleton"
CONTRACT_DIR = SKELETON / "contract"


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema of what the route accepts."""
    out = {}
    for name, model, route in (
        ("prompts.schema.json", PromptBatch, "POST /api/v1/apps/{app}/prompts"),
        ("eval-run.schema.json", EvalRunIn, "POST /api/v1/apps/{app}/evals"),
    ):
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$comment"] = (
            f"The body of {route}. Generated from the GenAI Portal's models by "
            "`python -m portal_api.contract`: do not edit."
        )
        out[name] = schema
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(directory: Path = CONTRACT_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = directory / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written in write(Path(sys.argv[1]) if len(sys.argv) > 1 else CONTRACT_DIR):
        print(written)  # noqa: T201
