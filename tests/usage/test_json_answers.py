"""One app's usage and costs are written as JSON from plain documents, without their models
(``kit.jsonbody``): the bytes must be those the models write. Each answer is read back into
its model and written again; a value of another type than the field's (an int for a float, a
float for money), a field out of order or missing changes the bytes."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from portal_api.costs.models import AppCosts
from portal_api.db import Database
from portal_api.demo import build_org, seed_demo
from portal_api.usage.models import AppUsage
from tests.conftest import bearer

NOW = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
# Whole days, edge hours and minutes, the current (partial) day, a range of hours only.
WINDOWS = [
    (NOW - 90 * DAY, NOW),
    (NOW - 30 * DAY - 5 * HOUR, NOW - 2 * DAY + 7 * HOUR + dt.timedelta(minutes=37)),
    (NOW - 40 * DAY, NOW - 10 * DAY),
    (NOW - 9 * HOUR, NOW + 3 * HOUR),
]
MODELS: dict[str, type[BaseModel]] = {"usage": AppUsage, "costs": AppCosts}
STEPS = {"usage": ("hour", "day", "week", "month"), "costs": ("day", "week", "month")}


@pytest.fixture
def demo(db: Database) -> list[str]:
    return [a.name for a in seed_demo(db, build_org(NOW)).apps[:3]]


def test_app_answers_are_the_bytes_their_models_write(client: TestClient, demo: list[str]) -> None:
    checked = priced = with_compute = 0
    for app in demo:
        for start, end in WINDOWS:
            for kind, model in MODELS.items():
                for step in STEPS[kind]:
                    if step == "hour" and end - start > 31 * DAY:
                        continue
                    response = client.get(
                        f"/api/v1/apps/{app}/{kind}",
                        params={"from": start.isoformat(), "to": end.isoformat(), "step": step},
                        headers=bearer("read"),
                    )
                    assert response.status_code == 200, response.text
                    assert response.headers["content-type"] == "application/json"
                    assert response.headers["x-portal-stale"] in ("true", "false")
                    answer = model.model_validate_json(response.content)
                    assert answer.model_dump_json().encode() == response.content, (app, kind)
                    checked += 1
                    if isinstance(answer, AppCosts):
                        priced += answer.total > 0
                        with_compute += bool(answer.compute)
                    else:
                        assert isinstance(answer, AppUsage)
                        assert answer.buckets, (app, start, end, step)
    # The data exercise what the documents hold: money, compute, buckets of every kind.
    # Per app: costs 4 windows x 3 steps, usage 4 x 4 but step=hour over 90 days.
    assert checked == len(demo) * (4 * 3 + 4 * 4 - 1)
    assert priced > 0
    assert with_compute > 0
