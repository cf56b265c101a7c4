"""Stored answers: the response cache's second level, in the database, shared by every worker
and replica (what recording rules are to PromQL).

The sync, after a pass, computes the dashboard's default reads of every app (``precompute``)
and stores each answer with the table versions it was computed at. A worker that misses its
in-memory cache looks the read up here (one primary-key lookup) and serves the stored answer
only while every one of those versions is still the current one (read for this request, as
the in-memory level does), its ``expires`` has not passed and it was computed under the same
``context`` (code version and the settings the answer depends on): a read never gets an
answer older than a committed write, nor one whose clock-dependent parts have moved on.

Only reads whose answer does not depend on who asks are stored (an app's usage and costs: a
read's caller is only checked, never used), keyed on the path and the canonical query: the
whole hours the window covers (``exact_range``), which is all the answer depends on, so the
Backstage plugin's ``from``/``to`` to the millisecond find the answer stored for their hour.
The token and its ``read`` scope are checked before any answer is served.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import zlib
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Column, Float, LargeBinary
from sqlmodel import Field, SQLModel
from starlette.datastructures import State

from portal_api import __version__
from portal_api.answer import Entry
from portal_api.cache import ANSWERS, TABLE, fresh
from portal_api.errors import PortalError
from portal_api.kit.lookup import lookups_of
from portal_api.kit.timeutil import check_range
from portal_api.params import window
from portal_api.sync.service import stale_after
from portal_api.usage.service import MAX_HOURLY_RANGE, MAX_RANGE, exact_range

# The reads stored: an app's usage and costs (their steps), answered alike for every caller.
_PATH = re.compile(r"/api/v1/apps/[^/]+/(usage|costs)")
_STEPS = {"usage": ("hour", "day", "week", "month"), "costs": ("day", "week", "month")}
_ASKED = frozenset({"from", "to", "step"})
_TIME = TypeAdapter(dt.datetime)
# However the clock and the data stand, a stored answer is not served after a day.
LONGEST = 24 * 3600.0


class StoredAnswer(SQLModel, table=True):
    """One stored answer of a read: its versions, expiry, headers and zlib-compressed body."""

    __tablename__ = ANSWERS

    key: str = Field(primary_key=True, max_length=512)  # path?canonical query
    context: str = Field(max_length=128)  # code version and the settings answers depend on
    deps: str  # JSON [[table, version], ...]: served only while all are current
    expires: float = Field(sa_column=Column(Float(precision=53), nullable=False))  # epoch s
    etag: str = Field(max_length=64)
    headers: str  # JSON [[name, value], ...] of the computed answer
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


def canonical(path: str, query: bytes) -> str | None:
    """``path?query`` of a stored read in the form every equal answer shares (the whole hours
    its window covers, in UTC, and its step); None for any other read, and for a query the
    route would refuse or answer otherwise (unknown or repeated parameters, a bad time, a
    range too long): those are computed."""
    found = _PATH.fullmatch(path)
    if found is None:
        return None
    try:
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        asked = dict(pairs)
        step = asked.get("step", "day")
        if len(asked) != len(pairs) or not asked.keys() <= _ASKED or step not in _STEPS[found[1]]:
            return None
        start, end = (
            _TIME.validate_python(asked[k]) if k in asked else None for k in ("from", "to")
        )
        span = window(start, end)
        check_range(span["start"], span["end"], MAX_RANGE)
        if step == "hour" and span["end"] - span["start"] > MAX_HOURLY_RANGE:
            return None
        first, last = exact_range(span["start"], span["end"])
    except (ValueError, ValidationError, PortalError, OverflowError):
        return None
    return f"{path}?{urlencode({'from': first.isoformat(), 'to': last.isoformat(), 'step': step})}"


def context_of(state: State) -> str:
    """What a stored answer must have been computed under to be served by this app: the code's
    version, when a fresh source turns stale, and whether Prometheus is configured (the
    freshness every stored read carries)."""
    settings = state.settings
    configured = state.sources.configured().get("prometheus", False)
    after = stale_after(settings.sync_interval_seconds).total_seconds()
    return f"{__version__};{after:.0f};{int(configured)}"


def expires_at(body: bytes, after: dt.timedelta, now: float) -> float:
    """Until when an answer's clock-dependent part holds: its ``freshness.stale`` turns true at
    the source's last success + ``after`` (a stale or unsynced source stays so until a write,
    which the versions catch). The window is in the key; buckets' ``partial`` depends on the
    watermark, not the clock."""
    freshness = json.loads(body).get("freshness") or {}
    as_of = freshness.get("as_of")
    if freshness.get("stale") or freshness.get("state") == "off" or as_of is None:
        return now + LONGEST
    turns = dt.datetime.fromisoformat(as_of).timestamp() + after.total_seconds()
    return min(turns, now + LONGEST)


def row_of(
    key: str, context: str, entry: Entry, body: bytes, after: dt.timedelta
) -> dict[str, Any]:
    """The stored row of a computed 200 answer (``body``: its uncompressed JSON)."""
    return {
        "key": key,
        "context": context,
        "deps": json.dumps(entry.deps),
        "expires": expires_at(body, after, time.time()),
        "etag": entry.etag.decode(),
        "headers": json.dumps(
            [[k.decode("latin-1"), v.decode("latin-1")] for k, v in entry.headers]
        ),
        # Deflated again, harder: 23% smaller than the in-memory level 1 (7.7 against 10 KB
        # per answer at 1,000 apps), 0.5 ms more per answer in the sync, inflated as fast.
        "body": zlib.compress(body, 6),
    }


_LOOKUP = f"SELECT context, deps, expires, etag, headers, body FROM {ANSWERS} WHERE key = :key"


class StoredLevel:
    """The lookup of the response cache's second level (``ResponseCache(stored=...)``)."""

    canonical = staticmethod(canonical)

    def __init__(self, *, serve: bool, ttl_seconds: float) -> None:
        self.serve = serve  # False: keys are canonical, nothing is looked up
        self.ttl = ttl_seconds
        self.hits = 0
        self.misses = 0

    async def fetch(self, state: State, key: str) -> Any:
        """The row stored for ``key`` (None: none), looked up (``kit.lookup.lookups_of``)."""
        try:
            rows = await lookups_of(state).rows(_LOOKUP, {"key": key})
        except Exception:  # no table yet (not migrated), database down: compute instead
            return None
        return rows[0] if rows else None

    async def fetch_with_versions(
        self, state: State, key: str
    ) -> tuple[dict[str, int] | None, Any]:
        """Every table's version, then the row stored for ``key``, in one statement (a worker
        with nothing in memory for ``key``: one round trip, one snapshot)."""
        try:
            return _split(await lookups_of(state).rows(_VERSIONS_AND_ROW, {"key": key}))
        except Exception:  # no table yet, database down: nothing to key on (the route answers)
            return None, None

    def entry(self, row: Any, state: State, versions: dict[str, int]) -> Entry | None:
        """The stored ``row`` as an answer when it is current at ``versions``, unexpired and
        computed under this app's context (kept in memory at most until it expires)."""
        left = row[2] - time.time()
        if row[0] != context_of(state) or left <= 0:
            self.misses += 1
            return None
        deps = tuple((str(name), int(version)) for name, version in json.loads(row[1]))
        if not fresh(deps, versions):
            self.misses += 1
            return None
        self.hits += 1
        return Entry(
            deps=deps,
            expires=time.monotonic() + min(self.ttl, left),
            status=200,
            headers=[(k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(row[4])],
            body=bytes(row[5]),
            etag=row[3].encode(),
        )


# Every table's version and the answer stored for a key, in one statement: one round trip,
# one snapshot (the answer's columns are NULL on the version rows and the other way round).
_VERSIONS_AND_ROW = (
    f"SELECT name, version, NULL, NULL, NULL, NULL, NULL, NULL FROM {TABLE} UNION ALL "
    f"SELECT NULL, NULL, context, deps, expires, etag, headers, body FROM {ANSWERS} "
    "WHERE key = :key"
)


def _split(rows: Sequence[Any]) -> tuple[dict[str, int], Any]:
    versions, row = {}, None
    for r in rows:
        if r[0] is None:
            row = tuple(r[2:])
        else:
            versions[r[0]] = r[1]
    return versions, row
