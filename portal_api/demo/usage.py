"""Demo usage: 90 days of hourly traffic per demo app and model, with a daily and weekly
rhythm, slow growth, and a batch spike (catalog-enricher, five days ago)."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from sqlmodel import Session, select

from portal_api.demo.org import DemoApp, DemoOrg
from portal_api.kit.timeutil import floor_day
from portal_api.usage.models import UsageHourly
from portal_api.usage.service import bulk_insert, rebuild_daily

HOUR = dt.timedelta(hours=1)
SPIKE_APP = "catalog-enricher"
SPIKE_DAYS_AGO = 5

# (input tokens per request, output tokens per request, cached share, latency p50 s, provider)
MODEL_SHAPE: dict[str, tuple[int, int, float, float, str]] = {
    "gpt-4o": (1400, 350, 0.3, 2.1, "openai"),
    "gpt-4o-mini": (900, 220, 0.25, 0.9, "openai"),
    "text-embedding-3-small": (300, 0, 0.0, 0.12, "openai"),
    "claude-sonnet-4-20250514": (2200, 600, 0.2, 3.4, "anthropic"),
    "claude-3-5-haiku-20241022": (1100, 300, 0.0, 1.1, "anthropic"),
    "llama-3.1-8b-instruct": (500, 120, 0.0, 0.45, "self-hosted"),
}


# Model changes the timeline shows: (app, model) -> (model used instead, days before the end).
# Support Assistant's last prompt version moved it to gpt-4o-mini; Catalog Enricher swapped
# its cheap model for a stronger one (its cost rises after that day).
MODEL_CHANGES: dict[tuple[str, str], tuple[str, float]] = {
    ("support-assistant", "gpt-4o"): ("gpt-4o-mini", 19 - 10 / 24),
    ("catalog-enricher", "claude-3-5-haiku-20241022"): ("claude-sonnet-4-20250514", 12),
}


MERGED = ("input_tokens", "output_tokens", "cached_input_tokens", "requests", "errors")


def _model_at(app: DemoApp, model: str, hour: dt.datetime, org: DemoOrg) -> str:
    change = MODEL_CHANGES.get((app.name, model))
    if change is not None and hour >= org.end - dt.timedelta(days=change[1]):
        return change[0]
    return model


def spike_day(org: DemoOrg) -> dt.datetime:
    return floor_day(org.end) - dt.timedelta(days=SPIKE_DAYS_AGO)


def _rate(app: DemoApp, hour: dt.datetime, org: DemoOrg, rng: random.Random) -> float:
    daily = 0.55 + 0.45 * math.sin((hour.hour - 8) / 24 * 2 * math.pi)  # peak mid-afternoon
    weekly = 0.45 if hour.weekday() >= 5 else 1.0
    growth = 1 + 0.35 * (hour - org.start) / (org.end - org.start)
    spike = 6.0 if app.name == SPIKE_APP and floor_day(hour) == spike_day(org) else 1.0
    return max(app.traffic * daily * weekly * growth * spike * rng.uniform(0.85, 1.15), 0)


def hourly_rows(org: DemoOrg) -> list[dict[str, Any]]:
    rng = random.Random(org.seed)
    rows: list[dict[str, Any]] = []
    for index, app in enumerate(org.apps):
        start = org.start + dt.timedelta(hours=7 * index)  # the app's first_seen
        hour = start
        while hour < org.end:
            base = _rate(app, hour, org, rng)
            this_hour: dict[str, dict[str, Any]] = {}
            for share, model in zip(_shares(len(app.models)), app.models, strict=True):
                requests = round(base * share)
                if requests == 0:
                    continue
                model = _model_at(app, model, hour, org)
                tin, tout, cached, p50, provider = MODEL_SHAPE[model]
                inputs = round(requests * tin * rng.uniform(0.9, 1.1))
                row = {
                    "hour": hour,
                    "day": floor_day(hour),
                    "app": app.name,
                    "namespace": app.namespace if app.in_cluster else "",
                    "model": model,
                    "provider": provider,
                    "input_tokens": inputs,
                    "output_tokens": round(requests * tout * rng.uniform(0.9, 1.1)),
                    "cached_input_tokens": round(inputs * cached),
                    "requests": requests,
                    "errors": round(requests * rng.uniform(0, 0.02)),
                    "latency_p50": round(p50 * rng.uniform(0.9, 1.1), 3),
                    "latency_p95": round(p50 * 2.6 * rng.uniform(0.9, 1.2), 3),
                    "ttft_p50": round(p50 * 0.25, 3) if tout else None,
                    "ttft_p95": round(p50 * 0.7, 3) if tout else None,
                }
                same = this_hour.get(model)
                if same is None:
                    this_hour[model] = row
                    rows.append(row)
                    continue
                # A replaced model's traffic joins its replacement's row of the hour.
                for key in MERGED:
                    same[key] += row[key]
            hour += HOUR
    return rows


def _shares(n: int) -> list[float]:
    weights = [1 / (i + 1) for i in range(n)]
    total = sum(weights)
    return [w / total for w in weights]


def seed(session: Session, org: DemoOrg) -> None:
    if session.exec(select(UsageHourly.id).limit(1)).first() is not None:
        return
    rows = hourly_rows(org)
    bulk_insert(session, UsageHourly, rows)
    rebuild_daily(session=session, start=org.start, end=org.end)
