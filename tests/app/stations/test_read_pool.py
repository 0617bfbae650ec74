"""The PostgreSQL read pool survives a dropped connection (it skips the checkout ping)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.stations.geo import boxes_around
from app.stations.search_index import (
    CoarseFilters,
    EngineSearchIndex,
    SpatialMode,
    create_read_engine,
)
from tests.app.stations.builders import Seeder, Site


async def test_a_connection_killed_by_the_server_is_replaced_and_the_search_retried(
    database_url: str, engine: AsyncEngine, seed_sites: Seeder
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the read pool exists on PostgreSQL only")
    await seed_sites([Site("near", 52.52, 13.41, name="near")])
    read_engine = create_read_engine(database_url, 1)
    async with engine.connect() as connection:
        has_postgis = await connection.scalar(
            text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
        )
    mode = SpatialMode.POSTGIS if has_postgis else SpatialMode.POSTGRES_POINT_GIST
    index = EngineSearchIndex(read_engine, mode)

    async def search() -> list[int]:
        rows = await index.nearest(
            boxes=boxes_around(52.52, 13.41, 1_000),
            lat=52.52,
            lon=13.41,
            radius_m=1_000,
            filters=CoarseFilters(),
            after=None,
            limit=5,
        )
        return [row.pk for row in rows]

    try:
        first = await search()
        assert len(first) == 1
        async with read_engine.connect() as connection:  # the pool's only connection
            pid = await connection.scalar(text("SELECT pg_backend_pid()"))
        async with engine.connect() as admin:
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert await search() == first
    finally:
        await read_engine.dispose()
