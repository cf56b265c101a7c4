"""Statements of the hot reads compiled once per dialect and run through the driver.

A ``select()`` executed through SQLAlchemy is rebuilt, keyed, looked up in the compiled cache
and its result values converted one by one on every read; for one app's 90-day usage and
costs (450 rows, about 11,000 values) that was more work than the database's. A
``DriverQuery`` compiles its statement once per dialect, binds its parameters with their
types' bind processors, runs it with ``exec_driver_sql`` (the statement events still see it:
the response cache records the tables it reads) and converts only the columns whose type
needs it, a time column once per distinct value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.sql.selectable import SelectBase
from sqlalchemy.types import TypeEngine

Processor = Callable[[Any], Any]


def _is_time(type_: TypeEngine[Any]) -> bool:
    """A time column: few distinct values per read, converted once each. A ``TypeDecorator``
    (``UTCDateTime``) is judged by the type it decorates: its own ``python_type`` is
    ``object``, which left every time value converted row by row."""
    try:
        return getattr(type_, "impl_instance", type_).python_type is dt.datetime
    except NotImplementedError:
        return False


@dataclass
class _Compiled:
    sql: str
    positions: tuple[str, ...] | None  # names in order for positional paramstyles
    constants: dict[str, Any]  # the statement's own literals, bound once
    binds: dict[str, Processor | None]  # the caller's parameters' bind processors
    # (index, result processor, memoised): known from the first result's column types (a
    # driver's numeric processors depend on them)
    columns: tuple[tuple[int, Processor, bool], ...] | None = None


class DriverQuery:
    """One statement with named ``bindparam`` parameters; ``rows`` returns plain lists."""

    def __init__(self, statement: SelectBase) -> None:
        self._statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self._statement.compile(dialect=dialect)
        binds: dict[str, Processor | None] = {}
        constants: dict[str, Any] = {}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required or bind.callable is not None:
                binds[name] = process
            else:
                value = bind.effective_value
                constants[name] = process(value) if process is not None else value
        positions = tuple(compiled.positiontup or ()) if compiled.positional else None
        return _Compiled(compiled.string, positions, constants, binds)

    def _processors(
        self, dialect: Dialect, description: Any
    ) -> tuple[tuple[int, Processor, bool], ...]:
        columns = []
        for i, column in enumerate(self._statement.selected_columns):
            coltype = description[i][1] if description else None
            process = column.type.dialect_impl(dialect).result_processor(dialect, coltype)
            if process is not None:
                columns.append((i, process, _is_time(column.type)))
        return tuple(columns)

    def rows(self, connection: Connection, **params: Any) -> list[list[Any]]:
        """The statement's rows for ``params`` (every ``bindparam`` of it, by name)."""
        dialect = connection.dialect
        c = self._compiled.get(dialect.name)
        if c is None:
            c = self._compiled[dialect.name] = self._compile(dialect)
        values = dict(c.constants)
        for name, process in c.binds.items():
            value = params[name]
            values[name] = process(value) if process is not None and value is not None else value
        bound: Any = values if c.positions is None else tuple(values[n] for n in c.positions)
        result = connection.exec_driver_sql(c.sql, bound)
        if c.columns is None:
            c.columns = self._processors(dialect, result.cursor.description)
        # The driver's tuples, not Result rows: nothing here needs SQLAlchemy's row objects.
        out = [list(r) for r in result.cursor.fetchall()]
        result.close()
        for i, process, memoised in c.columns:
            if memoised:
                seen: dict[Any, Any] = {}
                for r in out:
                    raw = r[i]
                    if raw not in seen:
                        seen[raw] = process(raw)
                    r[i] = seen[raw]
            else:
                for r in out:
                    r[i] = process(r[i])
        return out
