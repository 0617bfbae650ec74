"""Dependency providers of the stations domain."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from app.stations.repositories import SpatialMode, StationRepository, detect_spatial_mode
from app.stations.services import StationService


def provide_station_service(
    db_session: NamedDependency[AsyncSession], state: State
) -> StationService:
    # Tests pin the clock on app.state to check "open now" at chosen instants.
    clock = state.get("clock") or _utc_now
    return StationService(
        StationRepository(db_session), state.settings, state.spatial_mode, clock=clock
    )


def _utc_now() -> datetime:
    return datetime.now(UTC)


@asynccontextmanager
async def stations_lifespan(app: Litestar) -> AsyncGenerator[None, None]:
    """Learn once which spatial index the migrations built on this database."""
    try:
        async with app.state.db_engine.connect() as connection:
            app.state.spatial_mode = await detect_spatial_mode(connection)
    except SQLAlchemyError:
        # Not reachable yet: readiness reports it; search picks the dialect's default.
        is_sqlite = app.state.db_engine.dialect.name == "sqlite"
        app.state.spatial_mode = (
            SpatialMode.SQLITE_RTREE if is_sqlite else SpatialMode.POSTGRES_POINT_GIST
        )
    yield
