"""Migrations are the only way the schema is built: up, down and up again, both databases."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from app.core.db import Base
from app.db import models_registry
from app.db.migrations_runner import downgrade, upgrade
from tests.conftest import BACKENDS, PG_ASYNC_TEMPLATE, create_pg_database, drop_pg_database


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    models_registry.import_all()
    expected = set(Base.metadata.tables)
    assert expected <= await _tables(database_url)
    downgrade(database_url, "base")
    assert not (expected & await _tables(database_url))
    upgrade(database_url)
    assert expected <= await _tables(database_url)


@pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL deselected")
async def test_postgres_without_postgis_uses_the_core_point_index() -> None:
    name = f"emsp_test_nopostgis_{uuid.uuid4().hex[:8]}"
    create_pg_database(name)
    url = PG_ASYNC_TEMPLATE.format(name=name)
    try:
        upgrade(url, postgis="off")
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                indexes = await connection.run_sync(
                    lambda c: {i["name"] for i in inspect(c).get_indexes("locations")}
                )
        finally:
            await engine.dispose()
        assert "ix_locations_point" in indexes
        assert "ix_locations_geom" not in indexes
    finally:
        drop_pg_database(name)
