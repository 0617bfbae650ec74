"""Fixtures of the stations tests."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db import sessionmaker_for
from app.stations.ingest import upsert_locations
from tests.app.stations.builders import Seeder, Site, build_location


@pytest.fixture
def seed_sites(engine: AsyncEngine) -> Seeder:
    async def seed(sites: Sequence[Site]) -> None:
        async with sessionmaker_for(engine)() as session, session.begin():
            await upsert_locations(session, [build_location(s) for s in sites], source="test")

    return seed
