"""Running an evaluation from the portal: a dataset through a prompt version on the model
endpoint, scored and stored."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from pydantic import Field
from sqlmodel import Session

from portal_api.apps.service import get_app
from portal_api.db import utcnow
from portal_api.errors import InvalidInputError, SourceError
from portal_api.evals import scorers
from portal_api.evals.models import (
    MAX_CASES,
    CaseIn,
    EvalRunPublic,
    EvalRunRequest,
    EvalSource,
)
from portal_api.evals.store import (
    Judging,
    RunFacts,
    resolve_ref,
    store_run,
    to_public,
    token_cost,
)
from portal_api.kit import templates
from portal_api.prices.book import PriceBook
from portal_api.sources.openai import OpenAISource


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
    prompt: str,
    item: DatasetCase,
    *,
    model: str,
    parameters: dict[str, Any],
    specs: list[Any],
) -> _CaseOutcome:
    asked: dict[str, Any] = {"vars": item.vars, "input": prompt, "expected": item.expected}
    started = time.perf_counter()
    try:
        reply = llm.chat(
            model=model, messages=[{"role": "user", "content": prompt}], parameters=parameters
        )
    except SourceError as exc:
        return _CaseOutcome(CaseIn(**asked, passed=False, error=exc.message), {})
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
        **asked,
        output=reply.text,
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
    judging: Judging,
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
    version = resolve_ref(session, app_row, request.prompt)
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
    # What every case of the run shares, bound once; each case adds its prompt and line.
    run_case = partial(_run_case, llm, model=model, parameters=parameters, specs=request.scorers)
    with ThreadPoolExecutor(max_workers=request.concurrency or concurrency) as pool:
        outcomes = list(pool.map(run_case, prompts, dataset))
    finished = utcnow()
    if all(o.case.error is not None for o in outcomes):
        raise SourceError("openai", f"every call failed; first: {outcomes[0].case.error}")
    cases = [_CaseWithReasons(**o.case.model_dump(), reasons=o.reasons) for o in outcomes]
    facts = RunFacts(
        source=EvalSource.PORTAL,
        dataset=request.dataset,
        model=model,
        started=started,
        finished=finished,
        cases=cases,
        cost=run_cost(outcomes, started, judging.book),
    )
    # The cost is run_cost's, judges included (None: a price unknown), never re-priced from
    # the evaluated model's tokens alone.
    unpriced = Judging(judging.margin)
    run = store_run(session=session, version=version, facts=facts, judging=unpriced)
    return to_public(session, run)
