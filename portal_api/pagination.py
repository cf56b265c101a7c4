"""Offset pagination shared by every list endpoint: the query parameters, the response shape
and `paginate()`, the one way a list is cut into a page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar, overload

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import Select, SelectOfScalar

T = TypeVar("T")
R = TypeVar("R")

MAX_LIMIT = 500
MAX_OFFSET = 2**31 - 1


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class PageParams(BaseModel):
    limit: int = 50
    offset: int = 0


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


@dataclass(frozen=True)
class Window(Generic[R]):
    """The rows of one page and the numbers a `Page` response carries beside its items."""

    rows: list[R]
    total: int
    limit: int
    offset: int


@overload
def paginate(source: SelectOfScalar[R], page: PageParams, *, session: Session) -> Window[R]: ...
@overload
def paginate(
    source: Select[*tuple[Any, ...]], page: PageParams, *, session: Session
) -> Window[Any]: ...
@overload
def paginate(source: Sequence[R], page: PageParams, *, session: None = None) -> Window[R]: ...
def paginate(source: Any, page: PageParams, *, session: Session | None = None) -> Window[Any]:
    """Cut one page out of an ordered query (counted and sliced in the database) or out of rows
    already loaded (counted and sliced in memory).

    Args:
        source: an ordered `select(...)` (needs `session`), or a sequence of rows.
        page: the limit and offset the caller asked for.
        session: the session that runs the query.

    Returns:
        The page's rows, the total before slicing, and the limit and offset used.
    """
    if isinstance(source, Sequence):
        rows = list(source[page.offset : page.offset + page.limit])
        return Window(rows=rows, total=len(source), limit=page.limit, offset=page.offset)
    if session is None:
        raise TypeError("paginate() needs a session to run a query")
    counted = select(func.count()).select_from(source.order_by(None).subquery())
    total = session.exec(counted).one()
    rows = list(session.exec(source.offset(page.offset).limit(page.limit)).all())
    return Window(rows=rows, total=total, limit=page.limit, offset=page.offset)


def where_given(query: SelectOfScalar[T], equal: dict[Any, Any]) -> SelectOfScalar[T]:
    """``query`` narrowed to rows whose column equals the value, for each value given (a None
    value is a filter not asked for)."""
    for column, value in equal.items():
        if value is not None:
            query = query.where(column == value)
    return query
