"""Alembic environment: async engines, both SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app.core.db import Base
from app.db import models_registry

models_registry.import_all()
target_metadata = Base.metadata
config = context.config


# Spatial structures are created per database by raw DDL in the migrations; they are
# not in the ORM metadata, so comparisons must not propose dropping them.
_UNMANAGED_NAMES = {
    "geom",
    "ix_locations_geom",
    "ix_locations_point",
    "locations_search",
}


def _include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    del obj, reflected, compare_to
    if name is None:
        return True
    if type_ == "table" and name.startswith("locations_rtree"):
        return False
    return name not in _UNMANAGED_NAMES


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place: batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes["database_url"]
    asyncio.run(_run_async(url))


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported; run against a database")
run_migrations_online()
