"""What the revisions in ``versions/`` share: a table written as data (its columns in one
compact spec string, its keys, unique sets and indexes), created and dropped in one loop.

Revisions are history: the DDL a helper here produces must never change (a changed helper would
rewrite every revision that uses it). Add a new helper instead of changing one.

A column spec is ``name type``, columns separated by commas; ``type`` is one of :data:`TYPES` or
``strN`` (``VARCHAR(N)``); a trailing ``?`` makes the column nullable::

    "id int, name str63, team str63?, links json, first_seen utc"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from alembic import op

import portal_api.db

TYPES: dict[str, Callable[[], sa.types.TypeEngine[object]]] = {
    "int": sa.Integer,
    "bigint": sa.BigInteger,
    "float": sa.Float,
    "bool": sa.Boolean,
    "text": sa.Text,
    "json": sa.JSON,
    "utc": lambda: portal_api.db.UTCDateTime(timezone=True),
    "money": portal_api.db.Money,
}


def columns(spec: str) -> list[sa.Column[object]]:
    """The columns of a spec (see the module's docstring), in its order."""
    made: list[sa.Column[object]] = []
    for item in spec.split(","):
        name, kind = item.split()
        nullable = kind.endswith("?")
        kind = kind.removesuffix("?")
        if kind.startswith("str"):
            type_: sa.types.TypeEngine[object] = sa.String(length=int(kind[3:]))
        else:
            type_ = TYPES[kind]()
        made.append(sa.Column(name, type_, nullable=nullable))
    return made


@dataclass(frozen=True)
class Index:
    name: str
    columns: list[str]
    unique: bool = False


@dataclass(frozen=True)
class Table:
    """A table as a revision creates it: ``columns`` (a spec), then a foreign key for each of
    ``foreign_keys`` (column -> the table whose ``id`` it refers to), the primary key, each
    ``unique`` column set. An index is an :class:`Index` or the names of its columns joined by
    commas (named ``ix_<table>_<columns>``; a trailing ``!`` makes it unique)."""

    name: str
    columns: str
    primary_key: str = "id"
    foreign_keys: Mapping[str, str] = field(default_factory=dict)
    unique: Sequence[tuple[str, ...]] = ()
    indexes: Sequence[Index | str] = ()

    def items(self) -> list[sa.schema.SchemaItem]:
        """Made anew on each call (a column belongs to one table object only)."""
        return [
            *columns(self.columns),
            *(sa.ForeignKeyConstraint([c], [f"{t}.id"]) for c, t in self.foreign_keys.items()),
            sa.PrimaryKeyConstraint(self.primary_key),
            *(sa.UniqueConstraint(*names) for names in self.unique),
        ]

    def index_list(self) -> list[Index]:
        made = []
        for index in self.indexes:
            if isinstance(index, str):
                names = index.removesuffix("!").split(",")
                index = Index(
                    f"ix_{self.name}_{'_'.join(names)}", names, unique=index.endswith("!")
                )
            made.append(index)
        return made


def app_table(
    name: str,
    columns: str,
    *,
    foreign_keys: Mapping[str, str] | None = None,
    unique: Sequence[tuple[str, ...]] = (),
    indexes: Sequence[Index | str] = (),
) -> Table:
    """A table whose rows belong to one app (the models' ``AppRow``): ``id``, ``app_id``
    (indexed, referring to ``app``), then ``columns``."""
    return Table(
        name,
        f"id int, app_id int, {columns}",
        foreign_keys={"app_id": "app", **(foreign_keys or {})},
        unique=unique,
        indexes=["app_id", *indexes],
    )


def tables(text: str) -> list[Table]:
    """Tables written as text, a block each: a line ``name: columns`` (``name [app]: columns``
    for an :func:`app_table`), then indented lines, each either more columns or one of
    ``key: column`` (the primary key, ``id`` unless given), ``refs: column table, ...``,
    ``unique: column ...`` (one unique set a line), ``index: column ... [!]`` (``!`` unique) or
    ``index <name>: column ...`` (an index with its own name)."""
    made = []
    for block in re.split(r"\n(?=\S)", text.strip()):
        head, *lines = block.splitlines()
        name, columns = (part.strip() for part in head.split(":", 1))
        primary_key = "id"
        foreign_keys: dict[str, str] = {}
        unique: list[tuple[str, ...]] = []
        indexes: list[Index | str] = []
        for line in lines:
            what, colon, value = line.strip().partition(": ")
            words = value.split()
            if not colon:
                columns += f", {line.strip().rstrip(',')}"
            elif what == "key":
                primary_key = value
            elif what == "refs":
                foreign_keys |= dict(ref.split() for ref in value.split(","))
            elif what == "unique":
                unique.append(tuple(words))
            elif what == "index":
                indexes.append(",".join(words).replace(",!", "!"))
            elif what.startswith("index "):
                indexes.append(Index(what.removeprefix("index "), words))
            else:
                raise ValueError(f"table {name}: {line.strip()!r} is no column nor key word")
        if name.endswith(" [app]"):
            table = app_table(
                name.removesuffix(" [app]"),
                columns,
                foreign_keys=foreign_keys,
                unique=unique,
                indexes=indexes,
            )
        else:
            table = Table(name, columns, primary_key, foreign_keys, unique, indexes)
        made.append(table)
    return made


def create_tables(tables: Sequence[Table]) -> None:
    for table in tables:
        op.create_table(table.name, *table.items())
        if indexes := table.index_list():
            with op.batch_alter_table(table.name, schema=None) as batch_op:
                for index in indexes:
                    batch_op.create_index(index.name, index.columns, unique=index.unique)


def drop_tables(tables: Sequence[Table]) -> None:
    """The reverse of :func:`create_tables`: last table first, each one's indexes first."""
    for table in reversed(tables):
        if indexes := table.index_list():
            with op.batch_alter_table(table.name, schema=None) as batch_op:
                for index in reversed(indexes):
                    batch_op.drop_index(index.name)
        op.drop_table(table.name)


def revision_of(tables: Sequence[Table]) -> tuple[Callable[[], None], Callable[[], None]]:
    """``upgrade`` and ``downgrade`` of a revision that only creates ``tables``."""
    return (lambda: create_tables(tables)), (lambda: drop_tables(tables))
