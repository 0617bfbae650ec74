"""Dependency providers and start-up of the stations domain."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from app.stations.repositories import StationRepository
from app.stations.search_index import (
    SessionSearchIndex,
    SpatialMode,
    SqliteFileSearchIndex,
    detect_spatial_mode,
)
from app.stations.services import StationService


def provide_station_service(
    db_session: NamedDependency[AsyncSession], state: State
) -> StationService:
    # Tests pin the clock on app.state to check "open now" at chosen instants.
    clock = state.get("clock") or _utc_now
    index = state.sqlite_search_index or SessionSearchIndex(db_session, state.spatial_mode)
    return StationService(StationRepository(db_session), index, state.settings, clock=clock)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@asynccontextmanager
async def stations_lifespan(app: Litestar) -> AsyncGenerator[None, None]:
    """Learn once which spatial index the migrations built, and open the inline reader."""
    try:
        async with app.state.db_engine.connect() as connection:
            app.state.spatial_mode = await detect_spatial_mode(connection)
    except SQLAlchemyError:
        # Not reachable yet: readiness reports it; search picks the dialect's default.
        is_sqlite = app.state.db_engine.dialect.name == "sqlite"
        app.state.spatial_mode = (
            SpatialMode.SQLITE_RTREE if is_sqlite else SpatialMode.POSTGRES_POINT_GIST
        )
    index = SqliteFileSearchIndex.for_url(app.state.settings.database_url)
    app.state.sqlite_search_index = index
    try:
        yield
    finally:
        if index is not None:
            index.close()
