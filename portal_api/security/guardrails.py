"""Guardrail events from Prometheus: hourly rollups per app and rule (exact counts, the
current hour as a partial one), spikes as findings."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from portal_api.apps.models import App, AppOrigin, AppStatus
from portal_api.security.checks import NO_GUARDRAIL_METRICS, finding_for
from portal_api.security.ingest import Check, FindingDraft
from portal_api.security.models import (
    FindingSource,
    GuardrailRollup,
    OwaspLlm,
    Severity,
)
from portal_api.sources.counters import CounterReader
from portal_api.sources.prometheus import PrometheusSource

log = logging.getLogger(__name__)

HOUR = dt.timedelta(hours=1)
METRIC = "genai_guardrail_events_total"
# Apps that exported the metric at all within the window.
APPS_WITH_METRIC = "group by ({app}) (present_over_time(" + METRIC + "[{days}d]))"
PRESENCE_DAYS = 7
REREAD = dt.timedelta(hours=3)  # late scrapes: re-read the last hours on each pass

RULE_OWASP = {
    "prompt_injection": OwaspLlm.LLM01,
    "jailbreak": OwaspLlm.LLM01,
    "pii": OwaspLlm.LLM02,
    "secret": OwaspLlm.LLM02,
    "secrets": OwaspLlm.LLM02,
    "canary": OwaspLlm.LLM07,
    "system_prompt_leak": OwaspLlm.LLM07,
}
HIGH_RULES = {"prompt_injection", "jailbreak", "secret", "secrets", "canary", "system_prompt_leak"}


@dataclass
class GuardrailRead:
    rows: list[tuple[int, str, str, str, dt.datetime, float]]
    series: int
    unknown_apps: set[str]
    end: dt.datetime


def read_events(
    *,
    source: PrometheusSource,
    app_label: str,
    app_ids: Mapping[str, int],
    start: dt.datetime,
    end: dt.datetime,
    until: dt.datetime | None = None,
) -> GuardrailRead:
    """Exact hourly event counts in [start, end) (both on the hour), and in the partial hour
    [end, until) when ``until`` is later, summed over namespaces and pods: whole numbers.

    Raises:
        SourceError: Prometheus failed or could not be reached.
    """
    rows: dict[tuple[int, str, str, str, dt.datetime], float] = defaultdict(float)
    unknown: set[str] = set()
    series: set[tuple[str, str, str, str, str]] = set()
    read = CounterReader(source, narrow_label=app_label).hourly(
        METRIC, start=start, end=end, until=until
    )
    for labels, hours in read.series():
        name = labels.get(app_label, "")
        rule = labels.get("rule", "unknown")[:100]
        direction = labels.get("direction", "unknown")[:20]
        action = labels.get("action", "unknown")[:20]
        series.add((labels.get("namespace", ""), name, rule, direction, action))
        app_id = app_ids.get(name)
        if app_id is None:
            unknown.add(name)
            continue
        for hour, value in hours.items():
            rows[(app_id, rule, direction, action, hour)] += value
    return GuardrailRead(
        rows=[(*k, float(round(v))) for k, v in rows.items()],
        series=len(series),
        unknown_apps=unknown,
        end=end,
    )


def apps_with_metric(*, source: PrometheusSource, app_label: str, at: dt.datetime) -> set[str]:
    """Raises SourceError when Prometheus fails."""
    samples = source.query(APPS_WITH_METRIC.format(app=app_label, days=PRESENCE_DAYS), at=at)
    return {s.labels.get(app_label, "") for s in samples}


SPIKE_REMEDIATION = (
    "Look at the blocked and flagged requests: an attack in progress (one client or key), a new "
    "integration feeding untrusted text, or a guard rule that misfires after a change."
)


def spike_findings(
    *,
    session: Session,
    end: dt.datetime,
    factor: float,
    min_events: int,
) -> list[FindingDraft]:
    """Rules whose last 24 h of events exceed ``factor`` times their daily mean of the 7 days
    before (and at least ``min_events``)."""
    day_start = end - dt.timedelta(days=1)
    base_start = day_start - dt.timedelta(days=7)
    rollups = session.exec(
        select(GuardrailRollup).where(
            col(GuardrailRollup.hour) >= base_start, col(GuardrailRollup.hour) < end
        )
    ).all()
    recent: dict[tuple[int, str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    baseline: dict[tuple[int, str, str], float] = defaultdict(float)
    for r in rollups:
        key = (r.app_id, r.rule, r.direction)
        if r.hour >= day_start:
            recent[key][r.action] += r.events
        else:
            baseline[key] += r.events / 7
    names = {a.id: a.name for a in session.exec(select(App)).all()}
    drafts = []
    for (app_id, rule, direction), actions in sorted(recent.items()):
        total = sum(actions.values())
        base = baseline.get((app_id, rule, direction), 0.0)
        if total < min_events or total < factor * max(base, 1.0):
            continue
        blocked, flagged = actions.get("blocked", 0.0), actions.get("flagged", 0.0)
        spike = Check(
            f"GUARDRAIL-SPIKE:{rule}:{direction}",
            Severity.HIGH if rule in HIGH_RULES else Severity.MEDIUM,
            f"Spike of {rule} guardrail events on {direction}s",
            SPIKE_REMEDIATION,
            RULE_OWASP.get(rule),
        )
        drafts.append(
            spike.finding(
                FindingSource.GUARDRAIL,
                app_id,
                f"App {names.get(app_id, app_id)} ({direction})",
                f"{total:.0f} events in the last 24 h ({blocked:.0f} blocked, "
                f"{flagged:.0f} flagged) against a daily mean of {base:.1f} over the week before.",
                {
                    "rule": rule,
                    "direction": direction,
                    "blocked_24h": blocked,
                    "flagged_24h": flagged,
                    "baseline_daily": round(base, 3),
                },
            )
        )
    return drafts


def missing_guardrail_findings(
    *, session: Session, seen: set[str], end: dt.datetime
) -> list[FindingDraft]:
    """Apps in the cluster that exported no guardrail metric for a week (nor have stored events)."""
    since = end - dt.timedelta(days=PRESENCE_DAYS)
    with_rollups = set(
        session.exec(select(GuardrailRollup.app_id).where(col(GuardrailRollup.hour) >= since)).all()
    )
    drafts = []
    apps = session.exec(
        select(App).where(App.status == AppStatus.ACTIVE, App.origin == AppOrigin.KUBERNETES)
    ).all()
    for app in apps:
        assert app.id is not None
        if app.name in seen or app.id in with_rollups:
            continue
        drafts.append(
            finding_for(
                NO_GUARDRAIL_METRICS,
                app.id,
                f"App {app.name}",
                f"No {METRIC} series in the last {PRESENCE_DAYS} days.",
            )
        )
    return drafts
