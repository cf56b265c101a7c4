"""Evaluation runs: ingest (native JSON, promptfoo), run through the model endpoint, reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from sqlalchemy import func
from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.apps.service import get_app
from portal_api.db import utcnow
from portal_api.errors import ConflictError, InvalidInputError, NotFoundError, SourceError
from portal_api.evals import scorers
from portal_api.evals.models import (
    MAX_CASES,
    CaseIn,
    EvalCase,
    EvalCasePublic,
    EvalRun,
    EvalRunDetail,
    EvalRunIn,
    EvalRunPublic,
    EvalRunRequest,
    EvalSource,
    PromptRef,
    ScoreTrend,
    TrendPoint,
)
from portal_api.kit import templates
from portal_api.kit.ingest import insert_once
from portal_api.pagination import Page, PageParams
from portal_api.prices.book import PriceBook, PricesFileError, price_book
from portal_api.prompts.models import PromptVersion
from portal_api.prompts.service import resolve_version
from portal_api.sources.openai import OpenAISource

log = logging.getLogger(__name__)


# --- cost -----------------------------------------------------------------------------------


def token_cost(
    book: PriceBook | None,
    model: str | None,
    input_tokens: int,
    output_tokens: int,
    at: dt.datetime,
) -> Decimal | None:
    """Price of tokens in the price book (genai-prices and ``PORTAL_PRICES_FILE``, as usage
    is priced); None for an unknown model or without a price book."""
    if not model or (input_tokens == 0 and output_tokens == 0):
        return Decimal(0) if model else None
    if book is None:
        return None
    return book.token_cost(model, input_tokens=input_tokens, output_tokens=output_tokens, at=at)


def load_price_book(prices_file: Path | None) -> PriceBook | None:
    """The process's price book, or None (costs left unknown) when the file is broken."""
    try:
        return price_book(prices_file)
    except PricesFileError as exc:
        log.warning("evaluation costs left unknown: %s", exc)
        return None


# --- storing runs ---------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def aggregate(cases: Sequence[CaseIn]) -> tuple[dict[str, float], float]:
    """Mean per scorer, and the aggregate: the mean of those (the pass rate without scores)."""
    by_scorer: dict[str, list[float]] = defaultdict(list)
    for case in cases:
        for name, value in case.scores.items():
            by_scorer[name].append(value)
    means = {name: round(_mean(values), 4) for name, values in sorted(by_scorer.items())}
    if means:
        return means, round(_mean(list(means.values())), 4)
    return means, round(sum(c.passed for c in cases) / len(cases), 4) if cases else 0.0


def previous_baseline(*, session: Session, run: EvalRun, version: PromptVersion) -> EvalRun | None:
    """The latest run, on the same dataset, of the nearest earlier version that has one."""
    query = (
        select(EvalRun, PromptVersion.number)
        .join(PromptVersion, col(PromptVersion.id) == col(EvalRun.prompt_version_id))
        .where(
            PromptVersion.app_id == version.app_id,
            PromptVersion.name == version.name,
            PromptVersion.number < version.number,
            EvalRun.dataset == run.dataset,
        )
        .order_by(
            col(PromptVersion.number).desc(), col(EvalRun.finished).desc(), col(EvalRun.id).desc()
        )
    )
    found = session.exec(query).first()
    return found[0] if found else None


def store_run(
    *,
    session: Session,
    version: PromptVersion,
    source: EvalSource,
    dataset: str,
    model: str | None,
    started: dt.datetime,
    finished: dt.datetime,
    cases: Sequence[CaseIn],
    margin: float,
    input_tokens: int | None = None,
    output_tokens: int | None = None,
    cost: Decimal | None = None,
    external_id: str | None = None,
    ingest_key: str | None = None,
    ingest_digest: str | None = None,
    book: PriceBook | None = None,
) -> EvalRun:
    """Store a run and its cases; flag it when it falls below the previous version's latest."""
    assert version.id is not None
    means, agg = aggregate(cases)
    in_tokens = input_tokens if input_tokens is not None else sum(c.input_tokens for c in cases)
    out_tokens = output_tokens if output_tokens is not None else sum(c.output_tokens for c in cases)
    if cost is None:
        cost = token_cost(book, model, in_tokens, out_tokens, started)
    run = EvalRun(
        app_id=version.app_id,
        prompt_version_id=version.id,
        model=model,
        dataset=dataset,
        source=source,
        started=started,
        finished=finished,
        cases=len(cases),
        passed=sum(c.passed for c in cases),
        errors=sum(c.error is not None for c in cases),
        scores=means,
        aggregate_score=agg,
        input_tokens=in_tokens,
        output_tokens=out_tokens,
        cost=cost,
        external_id=external_id,
        ingest_key=ingest_key,
        ingest_digest=ingest_digest,
        created=utcnow(),
    )
    baseline = previous_baseline(session=session, run=run, version=version)
    if baseline is not None:
        run.baseline_run_id = baseline.id
        run.baseline_score = baseline.aggregate_score
        run.margin = margin
        # Rounded: 0.85 - 0.05 must not flag 0.8 through binary floating point.
        run.regression = round(baseline.aggregate_score - agg, 6) > round(margin, 6)
    session.add(run)
    session.flush()
    assert run.id is not None
    for i, case in enumerate(cases):
        session.add(
            EvalCase(
                run_id=run.id,
                index=i,
                vars=case.vars,
                input=case.input,
                output=case.output or "",
                blocked=case.blocked,
                expected=case.expected,
                scores=dict(case.scores),
                passed=case.passed,
                error=case.error,
                reasons=getattr(case, "reasons", {}) or {},
                input_tokens=case.input_tokens,
                output_tokens=case.output_tokens,
                latency_ms=case.latency_ms,
            )
        )
    session.flush()
    if run.regression:
        log.info(
            "eval run %s regressed: %.3f vs %.3f (margin %.3f)",
            run.id,
            agg,
            run.baseline_score or 0.0,
            margin,
        )
    return run


def _version(session: Session, app: App, ref: PromptRef) -> PromptVersion:
    assert app.id is not None
    return resolve_version(
        session=session, app_id=app.id, name=ref.name, number=ref.version, digest=ref.hash
    )


# --- ingest ---------------------------------------------------------------------------------


def _load_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise InvalidInputError("body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None


def _validation_message(exc: ValidationError, prefix: str = "") -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{prefix}{loc}: {err.get('msg')}" if loc else f"{prefix}{err.get('msg')}")
    return "; ".join(parts)


def is_promptfoo(body: Any) -> bool:
    return (
        isinstance(body, dict)
        and isinstance(body.get("results"), dict)
        and "results" in body["results"]
    )


@dataclass(frozen=True)
class IngestKey:
    """What makes a posted run the same run: the caller's id, else the content's digest."""

    key: str
    digest: str

    @classmethod
    def of(cls, external_id: str | None, body: Any, query: dict[str, Any]) -> IngestKey:
        canonical = json.dumps(
            {"body": body, "query": query}, sort_keys=True, separators=(",", ":"), default=str
        )
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        return cls(f"id:{external_id}" if external_id else f"sha256:{digest}", digest)


def _stored(session: Session, app_id: int, key: IngestKey) -> EvalRun | None:
    found = session.exec(
        select(EvalRun).where(EvalRun.app_id == app_id, EvalRun.ingest_key == key.key)
    ).first()
    if found is not None and found.ingest_digest not in (None, key.digest):
        raise ConflictError(
            f"{key.key.removeprefix('id:')!r} names another evaluation run of this app "
            f"(run {found.id}): a new run needs a new external_id (or promptfoo evalId)"
        )
    return found


def _store_once(session: Session, app_id: int, key: IngestKey, **run: Any) -> tuple[EvalRun, bool]:
    """The run stored under ``key``: stored now (True), or found (False) on a replay, even
    when an identical post stores it concurrently."""
    return insert_once(
        session,
        find=lambda: _stored(session, app_id, key),
        insert=lambda: store_run(
            session=session, ingest_key=key.key, ingest_digest=key.digest, **run
        ),
    )


def ingest_run(
    *,
    session: Session,
    app: str,
    raw: bytes,
    margin: float,
    prompt: str | None = None,
    version: int | None = None,
    digest: str | None = None,
    dataset: str | None = None,
    book: PriceBook | None = None,
) -> tuple[EvalRunPublic, bool]:
    """Store a run posted by CI: the portal's JSON, or a promptfoo results file.

    A promptfoo file names no prompt version of the portal: ``prompt`` (and ``version`` or
    ``digest``) say which; without them the version whose template is promptfoo's prompt.
    Idempotent: a run posted again (same ``external_id`` or promptfoo ``evalId``, else the
    same content) is the stored run, returned with ``False`` (not created).
    """
    app_row = get_app(session=session, name=app)
    assert app_row.id is not None
    body = _load_json(raw)
    query = {"prompt": prompt, "version": version, "hash": digest, "dataset": dataset}
    if is_promptfoo(body):
        parsed = parse_promptfoo(body)
        if not prompt:
            raise InvalidInputError("a promptfoo file needs ?prompt=<prompt name>")
        try:
            ref = PromptRef(name=prompt, version=version, hash=digest)
        except ValidationError as exc:
            raise InvalidInputError(_validation_message(exc, "prompt.")) from None
        if ref.version is None and ref.hash is None:
            pv = _version_by_template(session, app_row, prompt, parsed.template)
        else:
            pv = _version(session, app_row, ref)
        run, created = _store_once(
            session,
            app_row.id,
            IngestKey.of(parsed.eval_id, body, query),
            version=pv,
            source=EvalSource.PROMPTFOO,
            dataset=dataset or parsed.dataset,
            model=parsed.model,
            started=parsed.started,
            finished=parsed.finished,
            cases=parsed.cases,
            margin=margin,
            input_tokens=parsed.input_tokens,
            output_tokens=parsed.output_tokens,
            cost=parsed.cost,
            external_id=parsed.eval_id,
            book=book,
        )
        return to_public(session, run), created
    try:
        data = EvalRunIn.model_validate(body)
    except ValidationError as exc:
        raise InvalidInputError(_validation_message(exc)) from None
    if data.finished < data.started:
        raise InvalidInputError("finished is before started")
    pv = _version(session, app_row, data.prompt)
    run, created = _store_once(
        session,
        app_row.id,
        IngestKey.of(data.external_id, body, query),
        version=pv,
        source=EvalSource.CI,
        dataset=data.dataset,
        model=data.model or pv.model,
        started=data.started,
        finished=data.finished,
        cases=data.cases,
        margin=margin,
        input_tokens=data.input_tokens,
        output_tokens=data.output_tokens,
        cost=data.cost,
        external_id=data.external_id,
        book=book,
    )
    return to_public(session, run), created


def _version_by_template(
    session: Session, app: App, name: str, template: str | None
) -> PromptVersion:
    versions = session.exec(
        select(PromptVersion)
        .where(PromptVersion.app_id == app.id, PromptVersion.name == name)
        .order_by(col(PromptVersion.number).desc())
    ).all()
    if not versions:
        raise NotFoundError(f"no prompt named {name!r}")
    for v in versions:
        if template is not None and v.template.strip() == template.strip():
            return v
    raise InvalidInputError(
        f"no version of {name!r} has promptfoo's prompt as its template: pass ?version= or ?hash="
    )


@dataclass
class PromptfooRun:
    eval_id: str | None
    template: str | None
    model: str | None
    dataset: str
    started: dt.datetime
    finished: dt.datetime
    cases: list[CaseIn]
    input_tokens: int
    output_tokens: int
    cost: Decimal | None


def _pf_time(value: Any, fallback: dt.datetime) -> dt.datetime:
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
        except ValueError:
            return fallback
    return fallback


def _pf_scores(result: dict[str, Any], where: str) -> dict[str, float]:
    grading = result.get("gradingResult") or {}
    components = grading.get("componentResults") or []
    scores: dict[str, list[float]] = defaultdict(list)
    for comp in components:
        if not isinstance(comp, dict):
            raise InvalidInputError(f"{where}: gradingResult.componentResults holds a non-object")
        assertion = comp.get("assertion") or {}
        name = str(assertion.get("metric") or assertion.get("type") or "assert")[:63]
        value = comp.get("score")
        if isinstance(value, bool):
            value = 1.0 if value else 0.0
        if not isinstance(value, int | float):
            raise InvalidInputError(f"{where}: assertion {name} has no numeric score")
        scores[name].append(min(max(float(value), 0.0), 1.0))
    for name, value in (result.get("namedScores") or {}).items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            scores[str(name)[:63]].append(min(max(float(value), 0.0), 1.0))
    return {k: _mean(v) for k, v in scores.items()}


def parse_promptfoo(body: dict[str, Any]) -> PromptfooRun:
    """A promptfoo results file (``promptfoo eval -o results.json``, format version 2-3).

    Raises:
        InvalidInputError: the file does not have promptfoo's shape; the detail names the
            offending ``results.results[i]`` entry.
    """
    summary = body["results"]
    items = summary.get("results")
    if not isinstance(items, list) or not items:
        raise InvalidInputError("promptfoo file: results.results must be a non-empty list")
    if len(items) > MAX_CASES:
        raise InvalidInputError(f"promptfoo file: more than {MAX_CASES} results")
    prompts = summary.get("prompts") or []
    prompt_ids = {p.get("id") for p in prompts if isinstance(p, dict)}
    if len(prompt_ids) > 1:
        raise InvalidInputError(
            "promptfoo file compares several prompts: post one file per prompt version"
        )
    providers = {
        (r.get("provider") or {}).get("id")
        if isinstance(r.get("provider"), dict)
        else r.get("provider")
        for r in items
        if isinstance(r, dict)
    }
    if len(providers) > 1:
        raise InvalidInputError("promptfoo file compares several providers: post one per model")
    created = _pf_time(summary.get("timestamp"), utcnow())
    cases: list[CaseIn] = []
    total_cost = Decimal(0)
    has_cost = False
    in_tokens = out_tokens = 0
    for i, item in enumerate(items):
        where = f"results.results[{i}]"
        if not isinstance(item, dict):
            raise InvalidInputError(f"{where}: not an object")
        if "success" not in item or not isinstance(item["success"], bool):
            raise InvalidInputError(f"{where}: 'success' (true/false) is missing")
        response = item.get("response") or {}
        if not isinstance(response, dict):
            raise InvalidInputError(f"{where}: 'response' is not an object")
        usage = item.get("tokenUsage") or response.get("tokenUsage") or {}
        prompt = item.get("prompt") or {}
        test = item.get("testCase") or {}
        expected = next(
            (
                str(a.get("value"))
                for a in (test.get("assert") or [])
                if isinstance(a, dict) and a.get("type") in ("equals", "contains", "icontains")
            ),
            None,
        )
        output = response.get("output")
        try:
            case = CaseIn(
                vars=item.get("vars") or test.get("vars") or {},
                input=str(prompt.get("raw", "")) if isinstance(prompt, dict) else str(prompt),
                output=output
                if isinstance(output, str)
                else ("" if output is None else json.dumps(output)),
                expected=expected,
                scores=_pf_scores(item, where),
                passed=item["success"],
                error=str(item["error"])[:2000]
                if item.get("failureReason") == 2 and item.get("error")
                else None,
                input_tokens=int(usage.get("prompt") or 0),
                output_tokens=int(usage.get("completion") or 0),
                latency_ms=int(item["latencyMs"])
                if isinstance(item.get("latencyMs"), int)
                else None,
            )
        except (ValidationError, TypeError, ValueError) as exc:
            detail = (
                _validation_message(exc, f"{where}.")
                if isinstance(exc, ValidationError)
                else str(exc)
            )
            raise InvalidInputError(f"{where}: {detail}") from None
        if isinstance(item.get("cost"), int | float):
            total_cost += Decimal(str(item["cost"]))
            has_cost = True
        in_tokens += case.input_tokens
        out_tokens += case.output_tokens
        cases.append(case)
    provider = next(iter(providers), None)
    model = str(provider).split(":")[-1] if provider else None
    duration = (summary.get("stats") or {}).get("durationMs")
    finished = (
        created + dt.timedelta(milliseconds=duration) if isinstance(duration, int) else created
    )
    config = body.get("config") or {}
    return PromptfooRun(
        eval_id=str(body.get("evalId"))[:200] if body.get("evalId") else None,
        template=str(prompts[0].get("raw")) if prompts and isinstance(prompts[0], dict) else None,
        model=model,
        dataset=str(config.get("description") or "promptfoo")[:200],
        started=created,
        finished=finished,
        cases=cases,
        input_tokens=in_tokens,
        output_tokens=out_tokens,
        cost=total_cost.quantize(Decimal("1e-9")) if has_cost else None,
    )


# --- running from the portal ----------------------------------------------------------------


@dataclass
class DatasetCase:
    line: int
    vars: dict[str, Any]
    expected: str | None


def parse_dataset(text: str) -> list[DatasetCase]:
    """JSONL: one ``{"vars": {...}, "expected": "..."}`` per line (blank lines skipped).

    Raises:
        InvalidInputError: naming the first bad line.
    """
    cases = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(f"dataset line {number}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InvalidInputError(f"dataset line {number}: not a JSON object")
        variables = row.get("vars", {})
        if not isinstance(variables, dict):
            raise InvalidInputError(f"dataset line {number}: 'vars' must be an object")
        expected = row.get("expected")
        if expected is not None and not isinstance(expected, str):
            expected = json.dumps(expected, sort_keys=True)
        unknown = set(row) - {"vars", "expected", "description", "metadata"}
        if unknown:
            raise InvalidInputError(
                f"dataset line {number}: unknown keys {', '.join(sorted(unknown))}"
            )
        cases.append(DatasetCase(number, variables, expected))
    if not cases:
        raise InvalidInputError("dataset has no cases")
    if len(cases) > MAX_CASES:
        raise InvalidInputError(f"dataset has more than {MAX_CASES} cases")
    return cases


def render(template: str, variables: dict[str, Any], *, line: int) -> str:
    """The version's template rendered with a dataset line's variables (the portal's one
    renderer, as prompt versions declare their variables); a problem names the line."""
    try:
        return templates.render(template, variables)
    except templates.TemplateProblem as exc:
        raise InvalidInputError(f"dataset line {line}: {exc}") from None


@dataclass
class _CaseOutcome:
    case: CaseIn
    reasons: dict[str, str]
    # Tokens by the model that used them (the evaluated model, judge models): priced apart.
    tokens: dict[str, tuple[int, int]] = field(default_factory=dict)


def _add_tokens(
    tokens: dict[str, tuple[int, int]], model: str, used_in: int, used_out: int
) -> None:
    had_in, had_out = tokens.get(model, (0, 0))
    tokens[model] = (had_in + used_in, had_out + used_out)


def _run_case(
    llm: OpenAISource,
    *,
    model: str,
    parameters: dict[str, Any],
    prompt: str,
    item: DatasetCase,
    specs: list[Any],
) -> _CaseOutcome:
    started = time.perf_counter()
    try:
        reply = llm.chat(
            model=model, messages=[{"role": "user", "content": prompt}], parameters=parameters
        )
    except SourceError as exc:
        return _CaseOutcome(
            CaseIn(
                vars=item.vars,
                input=prompt,
                expected=item.expected,
                passed=False,
                error=exc.message,
            ),
            {},
        )
    latency = int((time.perf_counter() - started) * 1000)
    values: dict[str, float] = {}
    reasons: dict[str, str] = {}
    in_tokens, out_tokens = reply.input_tokens, reply.output_tokens
    tokens: dict[str, tuple[int, int]] = {}
    _add_tokens(tokens, model, reply.input_tokens, reply.output_tokens)
    passed = True
    for spec in specs:
        try:
            result = scorers.score(
                spec,
                llm=llm,
                default_judge_model=model,
                prompt=prompt,
                output=reply.text,
                expected=item.expected,
            )
        except SourceError as exc:
            result = scorers.Score(0.0, f"judge unavailable: {exc.message}", judge_failed=True)
        values[spec.key] = round(result.value, 4)
        if result.reason:
            reasons[spec.key] = result.reason[:500]
        in_tokens += result.input_tokens
        out_tokens += result.output_tokens
        if spec.type == "judge":
            _add_tokens(tokens, spec.model or model, result.input_tokens, result.output_tokens)
        passed = passed and result.value >= spec.threshold and not result.judge_failed
    case = CaseIn(
        vars=item.vars,
        input=prompt,
        output=reply.text,
        expected=item.expected,
        scores=values,
        passed=passed,
        input_tokens=in_tokens,
        output_tokens=out_tokens,
        latency_ms=latency,
    )
    return _CaseOutcome(case, reasons, tokens)


def run_cost(
    outcomes: Sequence[_CaseOutcome], at: dt.datetime, book: PriceBook | None
) -> Decimal | None:
    """The evaluated model's and the judges' tokens, each at its own price (None: unknown)."""
    totals: dict[str, tuple[int, int]] = {}
    for outcome in outcomes:
        for model, (used_in, used_out) in outcome.tokens.items():
            _add_tokens(totals, model, used_in, used_out)
    cost = Decimal(0)
    for model, (used_in, used_out) in sorted(totals.items()):
        price = token_cost(book, model, used_in, used_out, at)
        if price is None:
            return None
        cost += price
    return cost


class _CaseWithReasons(CaseIn):
    reasons: dict[str, str] = Field(default_factory=dict)


def run_eval(
    *,
    session: Session,
    app: str,
    request: EvalRunRequest,
    llm: OpenAISource | None,
    concurrency: int,
    margin: float,
    book: PriceBook | None = None,
) -> EvalRunPublic:
    """Run a dataset through a prompt version on the model endpoint, score and store it.

    Everything is validated before the first model call. Cases whose call fails after the
    client's retries are stored as errors; when every case fails the endpoint is reported
    down and nothing is stored.

    Raises:
        SourceError: no model endpoint is configured, or every call failed.
        InvalidInputError: a bad dataset line, variable, scorer or version reference.
    """
    app_row = get_app(session=session, name=app)
    version = _version(session, app_row, request.prompt)
    model = request.model or version.model
    if not model:
        raise InvalidInputError("the version names no model: pass 'model'")
    scorers.validate_scorers(request.scorers, default_judge_model=model)
    dataset = parse_dataset(request.cases)
    prompts = [render(version.template, item.vars, line=item.line) for item in dataset]
    if llm is None:
        raise SourceError("openai", "no model endpoint configured (PORTAL_OPENAI_BASE_URL)")
    started = utcnow()
    # Only sampling parameters go to the endpoint; the source filters the rest.
    parameters = dict(version.parameters)
    with ThreadPoolExecutor(max_workers=request.concurrency or concurrency) as pool:
        outcomes = list(
            pool.map(
                lambda pair: _run_case(
                    llm,
                    model=model,
                    parameters=parameters,
                    prompt=pair[0],
                    item=pair[1],
                    specs=request.scorers,
                ),
                zip(prompts, dataset, strict=True),
            )
        )
    finished = utcnow()
    if all(o.case.error is not None for o in outcomes):
        raise SourceError("openai", f"every call failed; first: {outcomes[0].case.error}")
    cases = [_CaseWithReasons(**o.case.model_dump(), reasons=o.reasons) for o in outcomes]
    run = store_run(
        session=session,
        version=version,
        source=EvalSource.PORTAL,
        dataset=request.dataset,
        model=model,
        started=started,
        finished=finished,
        cases=cases,
        margin=margin,
        cost=run_cost(outcomes, started, book),
    )
    return to_public(session, run)


# --- reads ----------------------------------------------------------------------------------


def to_public(session: Session, run: EvalRun) -> EvalRunPublic:
    version = session.get(PromptVersion, run.prompt_version_id)
    app = session.get(App, run.app_id)
    assert version is not None
    assert app is not None
    assert run.id is not None
    return EvalRunPublic(
        id=run.id,
        app=app.name,
        prompt=version.name,
        version=version.number,
        content_hash=version.content_hash,
        model=run.model,
        dataset=run.dataset,
        source=run.source,
        started=run.started,
        finished=run.finished,
        cases=run.cases,
        passed=run.passed,
        errors=run.errors,
        pass_rate=round(run.passed / run.cases, 4) if run.cases else None,
        scores=run.scores,
        aggregate_score=run.aggregate_score,
        input_tokens=run.input_tokens,
        output_tokens=run.output_tokens,
        cost=run.cost,
        regression=run.regression,
        baseline_run_id=run.baseline_run_id,
        baseline_score=run.baseline_score,
        margin=run.margin,
    )


def list_runs(
    *,
    session: Session,
    app: str,
    page: PageParams,
    prompt: str | None = None,
    version: int | None = None,
    dataset: str | None = None,
    regression: bool | None = None,
) -> Page[EvalRunPublic]:
    """Runs of an app, newest first."""
    app_row = get_app(session=session, name=app)
    query = (
        select(EvalRun)
        .join(PromptVersion, col(PromptVersion.id) == col(EvalRun.prompt_version_id))
        .where(EvalRun.app_id == app_row.id)
    )
    if prompt is not None:
        query = query.where(PromptVersion.name == prompt)
    if version is not None:
        query = query.where(PromptVersion.number == version)
    if dataset is not None:
        query = query.where(EvalRun.dataset == dataset)
    if regression is not None:
        query = query.where(EvalRun.regression == regression)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(EvalRun.finished).desc(), col(EvalRun.id).desc())
        .offset(page.offset)
        .limit(page.limit)
    ).all()
    return Page[EvalRunPublic](
        items=[to_public(session, r) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


def open_regressions(*, session: Session, app: str) -> list[EvalRunPublic]:
    """Regressions still standing: per prompt and dataset, the newest evaluated version's
    latest run, when it is flagged (a later, better version closes it)."""
    app_row = get_app(session=session, name=app)
    rows = session.exec(
        select(EvalRun, PromptVersion)
        .join(PromptVersion, col(PromptVersion.id) == col(EvalRun.prompt_version_id))
        .where(EvalRun.app_id == app_row.id)
        .order_by(
            col(PromptVersion.name),
            col(EvalRun.dataset),
            col(PromptVersion.number).desc(),
            col(EvalRun.finished).desc(),
            col(EvalRun.id).desc(),
        )
    ).all()
    latest: dict[tuple[str, str], EvalRun] = {}
    for run, version in rows:
        latest.setdefault((version.name, run.dataset), run)
    return [to_public(session, run) for run in latest.values() if run.regression]


def get_run(*, session: Session, app: str, run_id: int) -> EvalRunDetail:
    """One run with its cases."""
    app_row = get_app(session=session, name=app)
    run = session.get(EvalRun, run_id)
    if run is None or run.app_id != app_row.id:
        raise NotFoundError(f"app {app!r} has no evaluation run {run_id}")
    cases = session.exec(
        select(EvalCase).where(EvalCase.run_id == run_id).order_by(col(EvalCase.index))
    ).all()
    return EvalRunDetail(
        **to_public(session, run).model_dump(),
        case_results=[EvalCasePublic.model_validate(c, from_attributes=True) for c in cases],
    )


def score_trend(
    *, session: Session, app: str, prompt: str, dataset: str | None = None
) -> ScoreTrend:
    """Per version of a prompt (oldest first): mean of its runs' scores and its latest run."""
    app_row = get_app(session=session, name=app)
    versions = session.exec(
        select(PromptVersion)
        .where(PromptVersion.app_id == app_row.id, PromptVersion.name == prompt)
        .order_by(col(PromptVersion.number))
    ).all()
    if not versions:
        raise NotFoundError(f"no prompt named {prompt!r}")
    query = select(EvalRun).where(col(EvalRun.prompt_version_id).in_([v.id for v in versions]))
    if dataset is not None:
        query = query.where(EvalRun.dataset == dataset)
    runs: dict[int, list[EvalRun]] = defaultdict(list)
    for run in session.exec(query.order_by(col(EvalRun.finished), col(EvalRun.id))).all():
        runs[run.prompt_version_id].append(run)
    points = []
    for v in versions:
        assert v.id is not None
        items = runs.get(v.id, [])
        names = sorted({k for r in items for k in r.scores})
        cases = sum(r.cases for r in items)
        points.append(
            TrendPoint(
                version=v.number,
                content_hash=v.content_hash,
                runs=len(items),
                aggregate_score=round(_mean([r.aggregate_score for r in items]), 4)
                if items
                else None,
                pass_rate=round(sum(r.passed for r in items) / cases, 4) if cases else None,
                scores={
                    n: round(_mean([r.scores[n] for r in items if n in r.scores]), 4) for n in names
                },
                latest_run_id=items[-1].id if items else None,
                latest_finished=items[-1].finished if items else None,
                regression=items[-1].regression if items else False,
            )
        )
    return ScoreTrend(prompt=prompt, dataset=dataset, points=points)
