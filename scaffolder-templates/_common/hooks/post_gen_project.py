"""Keep only what the answers asked for: the Knative overlay exists for serverless services."""

import shutil
from pathlib import Path

if "{{ cookiecutter.serverless }}".lower() not in ("true", "yes", "1"):
    shutil.rmtree(Path("deploy") / "overlays")
