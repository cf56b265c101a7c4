"""The Gradio UI (needs the ``production`` extra)."""

from __future__ import annotations

import gradio as gr

from .chat import ChatSession
from .config import APP_NAME


def build_ui(session: ChatSession) -> gr.Blocks:
    return gr.ChatInterface(
        session.respond,
        title=APP_NAME,
        description={{ cookiecutter.description | tojson }},
        examples=["What can you help me with?"],
        api_name="chat",
    )
