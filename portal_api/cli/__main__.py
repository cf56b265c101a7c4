"""``python -m portal_api.cli``: the same as the ``genai-portal`` command."""

from portal_api.cli import app

app()
