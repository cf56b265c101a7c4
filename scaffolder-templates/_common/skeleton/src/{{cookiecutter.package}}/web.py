"""The HTTP surface every GenAI service of this platform has: health, metrics, error bodies."""

from __future__ import annotations

import openai
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .config import APP_NAME
from .guard import GuardrailError


def base_app(description: str) -> FastAPI:
    """A FastAPI app with /healthz, /readyz, /metrics and the error handlers."""
    app = FastAPI(title=APP_NAME, description=description)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> dict[str, str]:
        return {"status": "ready"}

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.exception_handler(GuardrailError)
    def guardrail_error(_: Request, exc: GuardrailError) -> JSONResponse:
        return JSONResponse({"error": "GuardrailBlocked", "detail": str(exc)}, status_code=422)

    @app.exception_handler(openai.APIError)
    def model_error(_: Request, exc: openai.APIError) -> JSONResponse:
        # The provider's message can echo request details: say only which kind of failure.
        return JSONResponse(
            {"error": "ModelUnavailable", "detail": f"the model endpoint failed ({type(exc).__name__})"},
            status_code=502,
        )

    return app
