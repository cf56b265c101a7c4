"""What the revisions in ``versions/`` share: a table with its indexes, created and dropped in
one loop, and the columns every domain writes the same way.

Revisions are history: the DDL a helper here produces must never change (a changed helper would
rewrite every revision that uses it). Add a new helper instead of changing one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

import portal_api.db


@dataclass(frozen=True)
class Index:
    name: str
    columns: list[str]
    unique: bool = False


@dataclass(frozen=True)
class Table:
    """A table as a revision creates it. ``items`` makes its columns and constraints anew on
    each call (a column belongs to one table object only)."""

    name: str
    items: Callable[[], Sequence[sa.schema.SchemaItem]]
    indexes: list[Index] = field(default_factory=list)


def create_tables(tables: Sequence[Table]) -> None:
    for table in tables:
        op.create_table(table.name, *table.items())
        if table.indexes:
            with op.batch_alter_table(table.name, schema=None) as batch_op:
                for index in table.indexes:
                    batch_op.create_index(index.name, index.columns, unique=index.unique)


def drop_tables(tables: Sequence[Table]) -> None:
    """The reverse of :func:`create_tables`: last table first, each one's indexes first."""
    for table in reversed(tables):
        if table.indexes:
            with op.batch_alter_table(table.name, schema=None) as batch_op:
                for index in reversed(table.indexes):
                    batch_op.drop_index(index.name)
        op.drop_table(table.name)


def id_key() -> sa.Column[int]:
    """The integer ``id`` (the primary key is declared with the table's constraints)."""
    return sa.Column("id", sa.Integer(), nullable=False)


def string(name: str, length: int, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def utc(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, portal_api.db.UTCDateTime(timezone=True), nullable=nullable)


def references(column: str, table: str) -> sa.ForeignKeyConstraint:
    """``column`` refers to ``table``'s ``id``."""
    return sa.ForeignKeyConstraint([column], [f"{table}.id"])


def money(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, portal_api.db.Money(), nullable=nullable)


def app_table(
    name: str,
    columns: Callable[[], Sequence[sa.Column[Any]]],
    *,
    foreign_keys: Mapping[str, str] | None = None,
    unique: Sequence[tuple[str, ...]] = (),
    indexes: Sequence[Index] = (),
) -> Table:
    """A table whose rows belong to one app (the models' ``AppRow``): ``id``, ``app_id``
    (indexed, referring to ``app``), then ``columns``; ``foreign_keys`` maps more columns to the
    tables they refer to, ``unique`` lists unique column sets."""

    def items() -> list[sa.schema.SchemaItem]:
        return [
            id_key(),
            sa.Column("app_id", sa.Integer(), nullable=False),
            *columns(),
            references("app_id", "app"),
            *(references(column, table) for column, table in (foreign_keys or {}).items()),
            sa.PrimaryKeyConstraint("id"),
            *(sa.UniqueConstraint(*names) for names in unique),
        ]

    return Table(name, items, [Index(f"ix_{name}_app_id", ["app_id"]), *indexes])
