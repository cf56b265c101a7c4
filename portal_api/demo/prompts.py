"""Demo prompt histories, label moves, deploy timelines and evaluation runs (one regression)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import partial

from sqlmodel import Session, select

from portal_api.apps.models import App, Workload
from portal_api.demo.costs import demo_price_book
from portal_api.demo.org import DemoOrg
from portal_api.evals.models import CaseIn, EvalSource
from portal_api.evals.store import Judging, RunFacts, store_run
from portal_api.prompts.cluster import WorkloadKey, started_deployment
from portal_api.prompts.labels import move_label
from portal_api.prompts.models import PromptContent, PromptDeployment, PromptSource, PromptVersion
from portal_api.prompts.versions import record_version

MARGIN = 0.05


@dataclass(frozen=True)
class DemoVersion:
    template: str
    model: str
    temperature: float
    quality: float  # the mean case score its eval runs draw around
    day: int  # days after the org's start when CI first pushed it
    production: bool = True  # promoted to production (and deployed)


@dataclass(frozen=True)
class DemoPrompt:
    app: str
    name: str
    dataset: str
    versions: tuple[DemoVersion, ...]


_SUPPORT = "You are the support assistant of ExampleShop.\n"
PROMPTS = (
    DemoPrompt(
        "support-assistant",
        "answer",
        "support-faq-v2",
        (
            DemoVersion(
                _SUPPORT + "Answer the question: {{question}}\nContext:\n{{context}}",
                "gpt-4o",
                0.7,
                0.74,
                3,
            ),
            DemoVersion(
                _SUPPORT + "Answer the question using only the context. If the context does not "
                "answer it, say so.\nQuestion: {{question}}\nContext:\n{{context}}",
                "gpt-4o",
                0.3,
                0.86,
                24,
            ),
            # The regression: a cheaper model and a shorter prompt; caught, then rolled back.
            DemoVersion(
                _SUPPORT + "Answer briefly: {{question}}\nContext:\n{{context}}",
                "gpt-4o-mini",
                0.3,
                0.69,
                51,
            ),
            DemoVersion(
                _SUPPORT + "Answer the question using only the context, citing the article id. "
                "If the context does not answer it, say so.\nQuestion: {{question}}\n"
                "Context:\n{{context}}",
                "gpt-4o-mini",
                0.2,
                0.88,
                70,
            ),
        ),
    ),
    DemoPrompt(
        "ticket-triage",
        "classify",
        "tickets-labelled-500",
        (
            DemoVersion(
                "Classify the ticket as billing, bug or other.\nTicket: {{ticket}}",
                "gpt-4o-mini",
                0.0,
                0.81,
                5,
            ),
            DemoVersion(
                "Classify the ticket as billing, bug, account or other. Answer with JSON "
                '{"label": ...}.\nTicket: {{ticket}}',
                "gpt-4o-mini",
                0.0,
                0.9,
                40,
            ),
        ),
    ),
    DemoPrompt(
        "search-rag",
        "rerank-answer",
        "docs-questions",
        (
            DemoVersion(
                "Using the passages, answer {{query}}.\n{{passages}}", "gpt-4o-mini", 0.2, 0.77, 8
            ),
            DemoVersion(
                "Using only the passages, answer {{query}} in at most three sentences and list the "
                "passage ids you used.\n{{passages}}",
                "gpt-4o-mini",
                0.2,
                0.8,
                35,
            ),
            DemoVersion(
                "Using only the passages, answer {{query}} in at most three sentences and list the "
                "passage ids you used. Say 'not in the docs' when unsure.\n{{passages}}",
                "gpt-4o-mini",
                0.1,
                0.83,
                77,
                production=False,
            ),
        ),
    ),
    DemoPrompt(
        "sql-copilot",
        "text-to-sql",
        "warehouse-questions",
        (
            DemoVersion(
                "Write PostgreSQL for: {{question}}\nSchema:\n{{schema}}", "gpt-4o", 0.0, 0.62, 20
            ),
            DemoVersion(
                "Write one read-only PostgreSQL query for: {{question}}\nUse only these tables:\n"
                "{{schema}}\nReturn only SQL.",
                "gpt-4o",
                0.0,
                0.71,
                60,
            ),
        ),
    ),
)

_SCORERS = ("exact", "judge")


def _cases(rng: random.Random, quality: float, n: int = 12) -> list[CaseIn]:
    cases = []
    for i in range(n):
        judge = min(1.0, max(0.0, rng.gauss(quality, 0.12)))
        exact = 1.0 if rng.random() < quality else 0.0
        passed = exact == 1.0 and judge >= 0.5
        cases.append(
            CaseIn(
                vars={"case": i},
                input=f"demo case {i}",
                output="demo answer" if passed else "a weaker demo answer",
                expected="demo answer",
                scores={"exact": exact, "judge": round(judge, 2)},
                passed=passed,
                input_tokens=rng.randint(600, 1400),
                output_tokens=rng.randint(80, 250),
                latency_ms=rng.randint(400, 2500),
            )
        )
    return cases


def seed(session: Session, org: DemoOrg) -> None:
    if session.exec(select(PromptVersion.id)).first() is not None:
        return
    rng = random.Random(org.seed + 4)
    apps = {a.name: a for a in session.exec(select(App)).all()}
    for prompt in PROMPTS:
        app = apps.get(prompt.app)
        if app is None or app.id is None:
            continue
        workloads = session.exec(select(Workload).where(Workload.app_id == app.id)).all()
        production_ns = org.app(prompt.app).namespace
        previous: PromptDeployment | None = None
        move = partial(move_label, session=session, app=prompt.app, name=prompt.name)
        for number, demo in enumerate(prompt.versions, start=1):
            pushed = org.start + dt.timedelta(days=demo.day, hours=10)
            version, _ = record_version(
                session=session,
                app_id=app.id,
                name=prompt.name,
                content=PromptContent(
                    template=demo.template,
                    model=demo.model,
                    parameters={"temperature": demo.temperature},
                ),
                source=PromptSource.DEMO,
                now=pushed,
                author=f"dev{number}@{org.app(prompt.app).team}.example.com",
                source_ref=f"prompts/{prompt.name}.yaml@{rng.getrandbits(40):010x}",
            )
            assert version.id is not None
            move(label="staging", number=number, actor="ci", reason=None, now=pushed)
            ci_run = RunFacts(
                source=EvalSource.CI,
                dataset=prompt.dataset,
                model=demo.model,
                started=pushed + dt.timedelta(minutes=20),
                finished=pushed + dt.timedelta(minutes=27),
                cases=_cases(rng, demo.quality),
            )
            run = store_run(
                session=session,
                version=version,
                facts=ci_run,
                judging=Judging(MARGIN, demo_price_book()),
            )
            promote = pushed + dt.timedelta(days=1)
            if demo.production and promote < org.end:
                move(
                    label="production",
                    number=number,
                    actor="release-bot",
                    reason="eval passed",
                    now=promote,
                )
                for w in workloads:
                    if w.namespace != production_ns:
                        continue
                    if previous is not None and previous.ended is None:
                        previous.ended = promote
                        session.add(previous)
                    where: WorkloadKey = (w.kind, w.namespace, w.name)
                    previous = started_deployment(
                        app.id, prompt.name, version.id, where, "configmap", promote
                    )
                    session.add(previous)
            if run.regression:
                # Caught by the next day's review: production goes back to the version before.
                rollback = promote + dt.timedelta(hours=6)
                move(
                    label="production",
                    number=number - 1,
                    actor="admin",
                    reason="rollback: eval regression",
                    now=rollback,
                )
                if previous is not None:
                    previous.ended = rollback
                    session.add(previous)
                    earlier = session.exec(
                        select(PromptVersion).where(
                            PromptVersion.app_id == app.id,
                            PromptVersion.name == prompt.name,
                            PromptVersion.number == number - 1,
                        )
                    ).one()
                    assert earlier.id is not None
                    where = (previous.workload_kind, previous.namespace, previous.workload)
                    previous = started_deployment(
                        app.id, prompt.name, earlier.id, where, "configmap", rollback
                    )
                    session.add(previous)
        session.flush()
