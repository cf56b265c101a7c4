"""Storing evaluation runs: aggregate scores, the regression check against the previous version,
the cost of tokens, the public shape of a run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from portal_api.apps.models import App
from portal_api.config import Settings
from portal_api.db import utcnow
from portal_api.evals.models import (
    CaseIn,
    EvalCase,
    EvalRun,
    EvalRunPublic,
    EvalSource,
    PromptRef,
)
from portal_api.kit.fields import copy_into
from portal_api.kit.stats import mean
from portal_api.prices.book import PriceBook, price_book_or_none
from portal_api.prompts.models import PromptVersion
from portal_api.prompts.versions import resolve_version

log = logging.getLogger(__name__)


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
    return price_book_or_none(prices_file, what="evaluation")


@dataclass(frozen=True)
class Judging:
    """How a stored run is judged and priced: flagged when it falls more than ``margin`` below
    the previous version's latest run; its tokens priced from ``book`` when it names no cost."""

    margin: float
    book: PriceBook | None = None

    @classmethod
    def from_settings(cls, settings: Settings, margin: float | None = None) -> Judging:
        """The configured margin (or the caller's) and the process's price book."""
        if margin is None:
            margin = settings.eval_regression_margin
        return cls(margin, load_price_book(settings.prices_file))


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


def aggregate(cases: Sequence[CaseIn]) -> tuple[dict[str, float], float]:
    """Mean per scorer, and the aggregate: the mean of those (the pass rate without scores)."""
    by_scorer: dict[str, list[float]] = defaultdict(list)
    for case in cases:
        for name, value in case.scores.items():
            by_scorer[name].append(value)
    means = {name: round(mean(values), 4) for name, values in sorted(by_scorer.items())}
    if means:
        return means, round(mean(list(means.values())), 4)
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


@dataclass(frozen=True)
class RunFacts:
    """What a run says of itself, however it ran; without tokens or a cost, its cases' tokens
    are summed and priced."""

    source: EvalSource
    dataset: str
    model: str | None
    started: dt.datetime
    finished: dt.datetime
    cases: Sequence[CaseIn]
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost: Decimal | None = None
    external_id: str | None = None


def store_run(
    *,
    session: Session,
    version: PromptVersion,
    facts: RunFacts,
    judging: Judging,
    key: IngestKey | None = None,
) -> EvalRun:
    """Store a run and its cases (under ``key``, when posted); flag it when it falls below the
    previous version's latest."""
    margin = judging.margin
    assert version.id is not None
    cases = facts.cases
    means, agg = aggregate(cases)
    in_tokens = facts.input_tokens
    if in_tokens is None:
        in_tokens = sum(c.input_tokens for c in cases)
    out_tokens = facts.output_tokens
    if out_tokens is None:
        out_tokens = sum(c.output_tokens for c in cases)
    cost = facts.cost
    if cost is None:
        cost = token_cost(judging.book, facts.model, in_tokens, out_tokens, facts.started)
    run = copy_into(
        EvalRun,
        facts,
        app_id=version.app_id,
        prompt_version_id=version.id,
        cases=len(cases),
        passed=sum(c.passed for c in cases),
        errors=sum(c.error is not None for c in cases),
        scores=means,
        aggregate_score=agg,
        input_tokens=in_tokens,
        output_tokens=out_tokens,
        cost=cost,
        ingest_key=key.key if key else None,
        ingest_digest=key.digest if key else None,
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
            copy_into(
                EvalCase,
                case,
                run_id=run.id,
                index=i,
                output=case.output or "",
                scores=dict(case.scores),
                reasons=getattr(case, "reasons", {}) or {},
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


def resolve_ref(session: Session, app: App, ref: PromptRef) -> PromptVersion:
    """The prompt version a run names (by number, hash prefix, or the latest)."""
    assert app.id is not None
    return resolve_version(
        session=session, app_id=app.id, name=ref.name, number=ref.version, digest=ref.hash
    )


def to_public(session: Session, run: EvalRun) -> EvalRunPublic:
    version = session.get(PromptVersion, run.prompt_version_id)
    app = session.get(App, run.app_id)
    assert version is not None
    assert app is not None
    assert run.id is not None
    return copy_into(
        EvalRunPublic,
        run,
        app=app.name,
        prompt=version.name,
        version=version.number,
        content_hash=version.content_hash,
        pass_rate=round(run.passed / run.cases, 4) if run.cases else None,
    )
