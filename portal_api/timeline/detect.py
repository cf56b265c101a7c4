"""Finding changes by comparison: workloads against their last snapshot, and models appearing
or disappearing in the hourly usage rollups. Pure functions; the service stores what they find."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from portal_api.kit.timeutil import HOUR
from portal_api.sources.models import WorkloadInfo
from portal_api.timeline.models import ChangeKind, WorkloadSnapshot

# A model counts as new (or gone) when the app ran other models without it for this long:
# long enough that a quiet night is not a switch, short enough to date the change to the hour.
MODEL_GAP = dt.timedelta(hours=12)
# An addition and a removal this close together are one switch.
SWITCH_WINDOW = dt.timedelta(hours=3)


@dataclass
class DetectedChange:
    kind: ChangeKind
    at: dt.datetime
    summary: str
    key: str  # what the change is about; with kind and time it makes the fingerprint
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        text = f"{self.kind}\x1f{self.key}\x1f{self.at.isoformat()}"
        return hashlib.sha256(text.encode()).hexdigest()


def short_image(image: str) -> str:
    """``registry/team/app:1.4@sha256:abcdef...`` -> ``app:1.4@sha256:abcdef12``."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if digest:
        algo, _, value = digest.partition(":")
        return f"{last}@{algo}:{value[:12]}"
    return last


def _traffic(w: WorkloadInfo) -> list[dict[str, Any]]:
    targets = [t.model_dump() for t in w.traffic]
    return sorted(targets, key=lambda t: (t["revision"] or "", t["tag"] or "", t["percent"]))


def _describe_traffic(targets: list[dict[str, Any]]) -> str:
    parts = []
    for t in targets:
        name = t["revision"] or "latest"
        if t.get("tag"):
            name += f" ({t['tag']})"
        parts.append(f"{name} {t['percent']} %")
    return ", ".join(parts) or "none"


def workload_changes(
    workload: WorkloadInfo, snapshot: WorkloadSnapshot | None, now: dt.datetime
) -> list[DetectedChange]:
    """What changed in a workload since its snapshot (nothing on first sight: no baseline)."""
    if snapshot is None:
        return []
    ref = f"{workload.kind} {workload.namespace}/{workload.name}"
    key = f"{workload.kind}/{workload.namespace}/{workload.name}"
    out: list[DetectedChange] = []
    images = {c.name: c.image for c in workload.containers}
    for container, image in sorted(images.items()):
        before = snapshot.images.get(container)
        if before is not None and before != image:
            out.append(
                DetectedChange(
                    ChangeKind.IMAGE,
                    now,
                    f"{ref} container {container}: {short_image(before)} → {short_image(image)}",
                    f"{key}/{container}",
                    {
                        "workload": ref,
                        "container": container,
                        "from": before,
                        "to": image,
                    },
                )
            )
    if (
        snapshot.replicas is not None
        and workload.replicas is not None
        and snapshot.replicas != workload.replicas
    ):
        what = "min-scale" if workload.kind == "KnativeService" else "replicas"
        out.append(
            DetectedChange(
                ChangeKind.SCALE,
                now,
                f"{ref} {what} {snapshot.replicas} → {workload.replicas}",
                key,
                {
                    "workload": ref,
                    "field": what,
                    "from": snapshot.replicas,
                    "to": workload.replicas,
                },
            )
        )
    if workload.kind == "KnativeService":
        if workload.revision and workload.revision != snapshot.revision:
            was = f" (was {snapshot.revision})" if snapshot.revision else ""
            out.append(
                DetectedChange(
                    ChangeKind.KNATIVE_REVISION,
                    now,
                    f"{ref}: revision {workload.revision} ready{was}",
                    key,
                    {"workload": ref, "from": snapshot.revision, "to": workload.revision},
                )
            )
        traffic = _traffic(workload)
        if traffic and traffic != snapshot.traffic:
            out.append(
                DetectedChange(
                    ChangeKind.KNATIVE_TRAFFIC,
                    now,
                    f"{ref} traffic: {_describe_traffic(traffic)}",
                    key,
                    {"workload": ref, "from": snapshot.traffic, "to": traffic},
                )
            )
    return out


def update_snapshot(
    snapshot: WorkloadSnapshot | None, workload: WorkloadInfo, app_id: int, now: dt.datetime
) -> WorkloadSnapshot:
    row = snapshot or WorkloadSnapshot(
        app_id=app_id,
        kind=workload.kind,
        namespace=workload.namespace,
        name=workload.name,
        seen=now,
    )
    row.app_id = app_id
    row.images = {c.name: c.image for c in workload.containers}
    row.replicas = workload.replicas
    row.revision = workload.revision or row.revision
    row.traffic = _traffic(workload) or row.traffic
    row.seen = now
    return row


def _clusters(
    added: dict[dt.datetime, set[str]], removed: dict[dt.datetime, set[str]]
) -> list[tuple[dt.datetime, list[str], list[str]]]:
    """Additions and removals within SWITCH_WINDOW of the first one, as one change at its hour:
    a rollout overlaps old and new model for an hour or two (and hourly buckets split it)."""
    hours = sorted(set(added) | set(removed))
    out: list[tuple[dt.datetime, list[str], list[str]]] = []
    i = 0
    while i < len(hours):
        first = hours[i]
        new: set[str] = set()
        old: set[str] = set()
        while i < len(hours) and hours[i] - first <= SWITCH_WINDOW:
            new |= added.get(hours[i], set())
            old |= removed.get(hours[i], set())
            i += 1
        both = new & old  # gone and back within the window: no change
        out.append((first, sorted(new - both), sorted(old - both)))
    return [c for c in out if c[1] or c[2]]


# An active run: the first and last hour (inclusive, hours since the epoch) of a stretch in
# which a model served an app every hour.
Run = tuple[int, int]


def hour_index(t: dt.datetime) -> int:
    return int(t.timestamp()) // 3600


def runs_of(hours: Iterable[int]) -> list[Run]:
    """Sorted hour indices (duplicates allowed) as their contiguous runs."""
    runs: list[Run] = []
    for h in hours:
        if runs and h <= runs[-1][1] + 1:
            if h > runs[-1][1]:
                runs[-1] = (runs[-1][0], h)
        else:
            runs.append((h, h))
    return runs


def _active_in(runs: list[Run], firsts: list[int], lo: int, hi: int) -> bool:
    """Whether a run (sorted, disjoint; ``firsts`` their first hours) touches [lo, hi]."""
    i = bisect_right(firsts, hi) - 1
    return i >= 0 and runs[i][1] >= lo


def _others_active(
    models: dict[str, list[Run]], firsts: dict[str, list[int]], model: str, lo: int, hi: int
) -> bool:
    return any(
        _active_in(rs, firsts[other], lo, hi) for other, rs in models.items() if other != model
    )


def model_switches(
    active: Iterable[tuple[str, str, dt.datetime]],
    *,
    start: dt.datetime,
    end: dt.datetime,
    gap: dt.timedelta = MODEL_GAP,
) -> list[tuple[str, DetectedChange]]:
    """Models that started or stopped serving an app, from (app, model, hour) of active hours.

    A model *appears* at hour h when the app ran other models in the ``gap`` before h but not
    this one; it *disappears* at h when it ran in the hour before h, then not for ``gap``
    while other models did. Only changes in [start, end) whose evidence lies before ``end``
    are reported; what appears and disappears within SWITCH_WINDOW is one switch.
    Returns (app, change) pairs.
    """
    hours: dict[tuple[str, str], list[int]] = defaultdict(list)
    for app, model, hour in active:
        hours[(app, model)].append(hour_index(hour))
    runs = {key: runs_of(sorted(hs)) for key, hs in hours.items()}
    return model_switches_in_runs(runs, start=start, end=end, gap=gap)


def model_switches_in_runs(
    runs: dict[tuple[str, str], list[Run]],
    *,
    start: dt.datetime,
    end: dt.datetime,
    gap: dt.timedelta = MODEL_GAP,
) -> list[tuple[str, DetectedChange]]:
    """``model_switches`` from each (app, model)'s active runs (sorted, disjoint, apart by
    at least an idle hour): only a run's first and last hours can start or end a model, so
    the work grows with the runs, not with the hours."""
    by_app: dict[str, dict[str, list[Run]]] = defaultdict(dict)
    for (app, model), model_runs in runs.items():
        if model_runs:
            by_app[app][model] = model_runs
    # Hours h with start <= h < end are first <= index < last (start and end need not be whole
    # hours: a watermark is "now").
    first, last = math.ceil(start.timestamp() / 3600), math.ceil(end.timestamp() / 3600)
    steps = int(gap / HOUR)
    out: list[tuple[str, DetectedChange]] = []
    for app, models in sorted(by_app.items()):
        firsts = {model: [a for a, _ in rs] for model, rs in models.items()}
        added: dict[dt.datetime, set[str]] = defaultdict(set)
        removed: dict[dt.datetime, set[str]] = defaultdict(set)
        for model, rs in models.items():
            for i, (a, b) in enumerate(rs):
                # Appears at a: nothing of its own in the gap before, others ran in it.
                if (
                    first <= a < last
                    and (i == 0 or rs[i - 1][1] < a - steps)
                    and _others_active(models, firsts, model, a - steps, a - 1)
                ):
                    added[_hour(a)].add(model)
                # Gone at b + 1: nothing of its own in the gap after, others ran in it.
                if (
                    first <= b + 1 < last
                    and b + steps < last
                    and (i + 1 == len(rs) or rs[i + 1][0] > b + steps)
                    and _others_active(models, firsts, model, b + 1, b + steps)
                ):
                    removed[_hour(b + 1)].add(model)
        for h, new, old in _clusters(added, removed):
            if new and old:
                summary = f"model switch: {', '.join(old)} → {', '.join(new)}"
            elif new:
                summary = f"model added: {', '.join(new)}"
            else:
                summary = f"model removed: {', '.join(old)}"
            out.append(
                (
                    app,
                    DetectedChange(
                        ChangeKind.MODEL_SWITCH,
                        h,
                        summary,
                        f"{app}/models",
                        {"added": new, "removed": old},
                    ),
                )
            )
    return out


def _hour(index: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(index * 3600, tz=dt.UTC)
