"""Reading a promptfoo results file (``promptfoo eval -o results.json``) into the portal's run
shape."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from portal_api.db import utcnow
from portal_api.errors import InvalidInputError
from portal_api.evals.models import (
    MAX_CASES,
    CaseIn,
)
from portal_api.kit.ingest import validation_message
from portal_api.kit.stats import mean


def is_promptfoo(body: Any) -> bool:
    return (
        isinstance(body, dict)
        and isinstance(body.get("results"), dict)
        and "results" in body["results"]
    )


@dataclass
class PromptfooRun:
    external_id: str | None  # promptfoo's evalId
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
    return {k: mean(v) for k, v in scores.items()}


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
                validation_message(exc, f"{where}.")
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
        external_id=str(body.get("evalId"))[:200] if body.get("evalId") else None,
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
