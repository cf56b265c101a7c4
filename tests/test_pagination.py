"""paginate(): the one way a list becomes a page, from a query or from rows already loaded."""

from __future__ import annotations

from sqlmodel import col, select

from portal_api.apps.models import App
from portal_api.db import Database
from portal_api.pagination import PageParams, paginate
from tests.factories import make_app


def test_a_query_is_counted_before_it_is_sliced(db: Database) -> None:
    with db.session_scope() as session:
        for name in ("c-app", "a-app", "d-app", "b-app", "e-app"):
            make_app(session, name=name, namespace=name)
        ordered = select(App).order_by(col(App.name))
        window = paginate(ordered, PageParams(limit=2, offset=1), session=session)
        assert [a.name for a in window.rows] == ["b-app", "c-app"]
        assert (window.total, window.limit, window.offset) == (5, 2, 1)
        past_the_end = paginate(ordered, PageParams(limit=2, offset=9), session=session)
        assert (past_the_end.rows, past_the_end.total) == ([], 5)


def test_a_joined_query_counts_rows_not_columns(db: Database) -> None:
    with db.session_scope() as session:
        for name in ("a-app", "b-app", "c-app"):
            make_app(session, name=name, namespace=name)
        both = select(App, App.name).order_by(col(App.name).desc())
        window = paginate(both, PageParams(limit=1, offset=0), session=session)
        assert [(a.name, n) for a, n in window.rows] == [("c-app", "c-app")]
        assert window.total == 3


def test_rows_already_loaded_are_sliced_in_memory() -> None:
    window = paginate(list(range(7)), PageParams(limit=3, offset=5))
    assert (window.rows, window.total, window.limit, window.offset) == ([5, 6], 7, 3, 5)
