"""Routes of evaluation runs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from portal_api.deps import IngestCaller, PageDep, ReadCaller, SessionDep, SettingsDep, SourcesDep
from portal_api.errors import PortalError
from portal_api.evals import ingest, runner, service, store
from portal_api.evals.models import (
    DATASET_PATTERN,
    EvalRunDetail,
    EvalRunIn,
    EvalRunPublic,
    EvalRunRequest,
    RunFilter,
    ScoreTrend,
)
from portal_api.pagination import Page
from portal_api.params import AppName, create_route, created_or_replayed
from portal_api.prompts.models import MAX_ID, PROMPT_NAME_PATTERN

router = APIRouter(prefix="/apps/{app}/evals", tags=["evals"])

PromptQuery = Annotated[str | None, Query(max_length=63, pattern=PROMPT_NAME_PATTERN)]
VersionQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
DatasetQuery = Annotated[str | None, Query(max_length=200, pattern=DATASET_PATTERN)]
Margin = Annotated[
    float | None,
    Query(ge=0, le=1, description="Regression margin (default PORTAL_EVAL_REGRESSION_MARGIN)"),
]


MAX_BODY_BYTES = 50 * 1024 * 1024


class PayloadTooLargeError(PortalError):
    status_code = 413
    kind = "PayloadTooLarge"


async def raw_body(request: Request) -> bytes:
    """The body as sent: parsed by the service, so errors can name lines and entries."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLargeError(f"body larger than {MAX_BODY_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise PayloadTooLargeError(f"body larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _inline_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON Schema with its ``$defs`` inlined (the route's body is read raw)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    inlined: dict[str, Any] = walk(schema)
    return inlined


_INGEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        _inline_schema(EvalRunIn.model_json_schema()),
                        {
                            "type": "object",
                            "description": "promptfoo results file (promptfoo eval -o results.json)",
                            "required": ["results"],
                        },
                    ]
                }
            }
        },
    }
}


def run_filter(
    prompt: PromptQuery = None,
    version: VersionQuery = None,
    dataset: DatasetQuery = None,
    regression: bool | None = None,
) -> RunFilter:
    return RunFilter(prompt=prompt, version=version, dataset=dataset, regression=regression)


@router.get("", response_model=Page[EvalRunPublic])
def list_runs(
    session: SessionDep,
    _: ReadCaller,
    app: AppName,
    filters: Annotated[RunFilter, Depends(run_filter)],
    page: PageDep,
) -> Page[EvalRunPublic]:
    """Evaluation runs of an app, newest first, filtered by prompt, version and dataset."""
    return service.list_runs(session=session, app=app, page=page, filters=filters)


@create_route(
    router,
    "",
    EvalRunPublic,
    "the run stored by an earlier post",
    "The external_id (evalId) names another run of this app",
    openapi_extra=_INGEST_BODY,
    responses={413: {"description": "Body larger than 50 MiB"}},
)
def ingest_run(
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    _: IngestCaller,
    app: AppName,
    body: Annotated[bytes, Depends(raw_body)],
    prompt: PromptQuery = None,
    version: VersionQuery = None,
    hash: Annotated[str | None, Query(min_length=8, max_length=64, pattern=r"^[0-9a-f]+$")] = None,
    dataset: DatasetQuery = None,
    margin: Margin = None,
) -> EvalRunPublic:
    """Store a run from CI: the portal's JSON, or a promptfoo results file (?prompt=...).

    Idempotent: posting the same run again (same `external_id` or promptfoo `evalId`, else
    the same content) answers 200 with the stored run instead of storing another."""
    query = ingest.IngestQuery(prompt=prompt, version=version, hash=hash, dataset=dataset)
    judging = store.Judging.from_settings(settings, margin)
    run, created = ingest.ingest_run(
        session=session, app=app, raw=body, query=query, judging=judging
    )
    created_or_replayed(response, created)
    return run


@router.post("/run", response_model=EvalRunPublic, status_code=201)
def run_eval(
    session: SessionDep,
    settings: SettingsDep,
    sources: SourcesDep,
    _: IngestCaller,
    app: AppName,
    request: EvalRunRequest,
    margin: Margin = None,
) -> EvalRunPublic:
    """Run a dataset through a prompt version on the model endpoint and store the scores."""
    return runner.run_eval(
        session=session,
        app=app,
        request=request,
        llm=sources.openai,
        concurrency=settings.eval_concurrency,
        judging=store.Judging.from_settings(settings, margin),
    )


@router.get("/trend", response_model=ScoreTrend)
def score_trend(
    session: SessionDep,
    _: ReadCaller,
    app: AppName,
    prompt: Annotated[str, Query(max_length=63, pattern=PROMPT_NAME_PATTERN)],
    dataset: DatasetQuery = None,
) -> ScoreTrend:
    """Scores per version of a prompt, oldest first: which version moved quality."""
    return service.score_trend(session=session, app=app, prompt=prompt, dataset=dataset)


@router.get("/regressions", response_model=list[EvalRunPublic])
def open_regressions(session: SessionDep, _: ReadCaller, app: AppName) -> list[EvalRunPublic]:
    """Regressions still standing: the app's badge (per prompt and dataset, the newest run)."""
    return service.open_regressions(session=session, app=app)


@router.get("/{run_id}", response_model=EvalRunDetail)
def get_run(
    session: SessionDep, _: ReadCaller, app: AppName, run_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> EvalRunDetail:
    """One evaluation run with its cases."""
    return service.get_run(session=session, app=app, run_id=run_id)
