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
    EngineSearchIndex,
    SessionSearchIndex,
    SpatialMode,
    create_read_engine,
    detect_spatial_mode,
)
from app.stations.search_sqlite import SqliteFileSearchIndex
from app.stations.services import StationService


def provide_station_service(
    db_session: NamedDependency[AsyncSession], state: State
) -> StationService:
    # Tests pin the clock on app.state to check "open now" at chosen instants.
    clock = state.get("clock") or _utc_now
    index = state.search_index or SessionSearchIndex(db_session, state.spatial_mode)
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
    settings = app.state.settings
    sqlite_index = SqliteFileSearchIndex.for_url(settings.database_url)
    read_engine = (
        None
        if settings.is_sqlite
        else create_read_engine(settings.database_url, settings.database_pool_size)
    )
    app.state.search_index = sqlite_index or (
        EngineSearchIndex(read_engine, app.state.spatial_mode) if read_engine else None
    )
    try:
        yield
    finally:
        if sqlite_index is not None:
            sqlite_index.close()
        if read_engine is not None:
            await read_engine.dispose()
