"""Counts of what a reconcile did: the stats a sync step reports."""

from __future__ import annotations


class Tally(dict[str, int]):
    """Named counts, each from 0 (a step reports a zero too); counting a name that was not
    named up front raises KeyError, so a misspelt count fails its test instead of adding a key."""

    def __init__(self, *names: str) -> None:
        super().__init__(dict.fromkeys(names, 0))
