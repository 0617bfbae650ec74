"""Search latency in-process: the service and repository, no HTTP, one query at a time."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.core.db import create_engine, sessionmaker_for
from app.core.settings import load_settings
from app.stations.repositories import StationRepository
from app.stations.search_index import (
    EngineSearchIndex,
    SearchIndex,
    SessionSearchIndex,
    create_read_engine,
    detect_spatial_mode,
)
from app.stations.search_sqlite import SqliteFileSearchIndex
from app.stations.services import StationQuery, StationService
from benchmarks.stations.dataset import QueryPoint

# Viewport of a phone map at city zoom: about 5 km x 7 km.
VIEWPORT_DLAT = 0.0225
VIEWPORT_DLON = 0.05


@dataclass(frozen=True)
class QueryKind:
    name: str
    build: Callable[[QueryPoint], StationQuery]


def _nearest(p: QueryPoint) -> StationQuery:
    return StationQuery(lat=p.lat, lon=p.lon, radius_m=5_000, limit=20)


def _nearest_filtered(p: QueryPoint) -> StationQuery:
    return StationQuery(
        lat=p.lat,
        lon=p.lon,
        radius_m=5_000,
        limit=20,
        standards=("IEC_62196_T2_COMBO",),
        min_power_kw=100,
        available_now=True,
    )


def _viewport(p: QueryPoint) -> StationQuery:
    return StationQuery(
        south=p.lat - VIEWPORT_DLAT,
        north=p.lat + VIEWPORT_DLAT,
        west=p.lon - VIEWPORT_DLON,
        east=p.lon + VIEWPORT_DLON,
        limit=20,
    )


def _viewport_filtered(p: QueryPoint) -> StationQuery:
    return StationQuery(
        south=p.lat - VIEWPORT_DLAT,
        north=p.lat + VIEWPORT_DLAT,
        west=p.lon - VIEWPORT_DLON,
        east=p.lon + VIEWPORT_DLON,
        limit=20,
        standards=("IEC_62196_T2_COMBO",),
        min_power_kw=100,
        available_now=True,
    )


KINDS = (
    QueryKind("nearest-20 in 5 km", _nearest),
    QueryKind("nearest-20 in 5 km, CCS>=100kW free", _nearest_filtered),
    QueryKind("viewport 5x7 km", _viewport),
    QueryKind("viewport 5x7 km, CCS>=100kW free", _viewport_filtered),
)


@dataclass(frozen=True)
class Latency:
    kind: str
    p50_ms: float
    p95_ms: float
    mean_results: float


async def measure(url: str, points: list[QueryPoint], warmup: int = 300) -> list[Latency]:
    settings = load_settings(environ={}, database_url=url)
    engine = create_engine(settings)
    factory = sessionmaker_for(engine)
    try:
        async with engine.connect() as connection:
            mode = await detect_spatial_mode(connection)
        results: list[Latency] = []
        # The same index the app picks: inline for a SQLite file, a read pool for
        # PostgreSQL. Neither uses the request session, so none is opened per query.
        read_engine = None if settings.is_sqlite else create_read_engine(url, 4)
        async with factory() as session:
            index: SearchIndex = SqliteFileSearchIndex.for_url(url) or (
                EngineSearchIndex(read_engine, mode)
                if read_engine is not None
                else SessionSearchIndex(session, mode)
            )
            service = StationService(StationRepository(session), index, settings)
            # Warm caches the way a running server has them: every query area once.
            for point in points:
                await service.search(KINDS[0].build(point))
            for kind in KINDS:
                for point in points[:warmup]:
                    await service.search(kind.build(point))
                samples: list[float] = []
                found = 0
                for point in points:
                    query = kind.build(point)
                    started = time.perf_counter_ns()
                    page = await service.search(query)
                    samples.append((time.perf_counter_ns() - started) / 1e6)
                    found += len(page.items)
                samples.sort()
                results.append(
                    Latency(
                        kind=kind.name,
                        p50_ms=statistics.median(samples),
                        p95_ms=samples[int(len(samples) * 0.95) - 1],
                        mean_results=found / len(points),
                    )
                )
        if read_engine is not None:
            await read_engine.dispose()
        return results
    finally:
        await engine.dispose()
