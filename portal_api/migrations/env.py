"""Alembic environment: runs on the connection that portal_api.db.migrate hands it."""

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import portal_api.models  # noqa: F401  (registers every table on SQLModel.metadata)
from portal_api.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from portal_api.config import get_settings

        url = get_settings().database_url
    engine = make_engine(url)
    with engine.begin() as conn:
        _run(conn)
