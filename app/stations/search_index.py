"""The spatial search index: nearest stations within a disc, filtered, in keyset pages.

One statement answers "the ``limit`` nearest live stations within ``radius`` of a
point, after position ``after``, inside these boxes": the spatial index yields the
candidates of the boxes around the disc, the coarse filters run on a narrow copy of the
search projection, the distance orders them, and only the final page is joined back to
``locations`` for its pre-rendered summary. The service widens the disc step by step
(see ``StationService``), so a dense city centre is answered from a few dozen
candidates instead of thousands.

Implementations:

- :class:`EngineSearchIndex` (PostgreSQL): autocommit connections of a read pool.
- :class:`SessionSearchIndex`: through the request's session (SQLite without a file).
- ``app.stations.search_sqlite.SqliteFileSearchIndex``: SQLite, inline on the loop.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import TextClause, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine

from app.stations.geo import EARTH_RADIUS_M, Box


class SpatialMode(StrEnum):
    SQLITE_RTREE = "sqlite-rtree"
    POSTGIS = "postgis"
    POSTGRES_POINT_GIST = "postgres-point-gist"


@dataclass(frozen=True, slots=True)
class CoarseFilters:
    """Filters the database can apply from the search projection alone."""

    standards_mask: int = 0
    min_power_w: int = 0
    available_now: bool = False
    operator_keys: tuple[str, ...] = ()
    plug_and_charge: bool = False
    ad_hoc_payment: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """One station found: ``sort_key`` orders and pages (its unit is the index's)."""

    pk: int
    distance_m: float
    sort_key: float
    summary: str


class SearchIndex(Protocol):
    @property
    def initial_radius_m(self) -> float:
        """Where the widening disc starts: cheap statements start small."""
        ...

    async def nearest(
        self,
        *,
        boxes: Sequence[Box],
        lat: float,
        lon: float,
        radius_m: float,
        filters: CoarseFilters,
        after: tuple[float, int] | None,
        limit: int,
    ) -> list[Candidate]: ...


async def detect_spatial_mode(connection: AsyncConnection) -> SpatialMode:
    if connection.dialect.name == "sqlite":
        return SpatialMode.SQLITE_RTREE
    has_geom = await connection.scalar(
        text(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'locations' AND column_name = 'geom' "
            "AND table_schema = current_schema()"
        )
    )
    return SpatialMode.POSTGIS if has_geom else SpatialMode.POSTGRES_POINT_GIST


def box_predicate(mode: SpatialMode, i: int) -> str:
    s, w, n, e = (f":{name}{i}" for name in ("s", "w", "n", "e"))
    if mode is SpatialMode.SQLITE_RTREE:
        return f"r.max_lat >= {s} AND r.min_lat <= {n} AND r.max_lon >= {w} AND r.min_lon <= {e}"
    # Migration 0003: the expressions match the indexes on locations_search exactly.
    if mode is SpatialMode.POSTGIS:
        return (
            "ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326) && "
            f"ST_MakeEnvelope({w}, {s}, {e}, {n}, 4326)"
        )
    return f"point(t.lon, t.lat) <@ box(point({w}, {s}), point({e}, {n}))"


def _filter_conditions(
    t: str,
    *,
    standards: bool,
    min_power: bool,
    available: bool,
    operator_count: int,
    plug_and_charge: bool,
    ad_hoc: bool,
) -> list[str]:
    conditions = []
    if min_power:
        conditions.append(f"{t}.max_power_w >= :min_power_w")
    if available:
        conditions.append(f"{t}.available_evse_count > 0")
    if standards:
        conditions.append(f"({t}.standards_mask & :standards_mask) != 0")
    if operator_count:
        keys = ", ".join(f":op{i}" for i in range(operator_count))
        conditions.append(f"{t}.operator_key IN ({keys})")
    if plug_and_charge:
        conditions.append(f"{t}.plug_and_charge = :true")
    if ad_hoc:
        conditions.append(f"{t}.ad_hoc_payment = :true")
    return conditions


@lru_cache(maxsize=512)
def search_sql(
    mode: SpatialMode,
    box_count: int,
    *,
    after: bool,
    standards: bool,
    min_power: bool,
    available: bool,
    operator_count: int,
    plug_and_charge: bool,
    ad_hoc: bool,
) -> str:
    """The statement for one shape of query; values are always bound parameters.

    Rows are ``(pk, distance in metres, sort key, summary)``. Both databases read only
    live stations from a narrow structure (migrations 0002 and 0003) and join the wide
    row for the page alone. SQLite sorts by the haversine of the R*Tree's point;
    PostgreSQL by the squared chord between unit vectors, which orders exactly like the
    great-circle distance with nothing but arithmetic, and converts the page's chords to
    metres at the end.
    """
    filters = _filter_conditions(
        "t" if mode is not SpatialMode.SQLITE_RTREE else "f",
        standards=standards,
        min_power=min_power,
        available=available,
        operator_count=operator_count,
        plug_and_charge=plug_and_charge,
        ad_hoc=ad_hoc,
    )
    if mode is SpatialMode.SQLITE_RTREE:
        lat, lon = "(r.min_lat + r.max_lat) / 2", "(r.min_lon + r.max_lon) / 2"
        sort_key = (
            f"2 * {EARTH_RADIUS_M} * asin(min(1.0, sqrt("
            f"power(sin(radians({lat} - :lat) / 2), 2) + "
            f"cos(radians(:lat)) * cos(radians({lat})) * "
            f"power(sin(radians({lon} - :lon) / 2), 2))))"
        )
        source = "locations_rtree r" + (
            " JOIN locations_search f ON f.pk = r.id" if filters else ""
        )
        key, bound, metres = "r.id", ":radius", "p.sort_key"
    else:
        sort_key = "(t.x - :x) * (t.x - :x) + (t.y - :y) * (t.y - :y) + (t.z - :z) * (t.z - :z)"
        source, key, bound = "locations_search t", "t.pk", ":chord2"
        metres = f"2 * {EARTH_RADIUS_M} * asin(least(1.0, sqrt(p.sort_key) / 2))"
    candidates = " UNION ALL ".join(
        f"SELECT {key} AS pk, {sort_key} AS sort_key FROM {source} "  # noqa: S608
        f"WHERE {' AND '.join([box_predicate(mode, i), *filters])}"
        for i in range(box_count)
    )
    window = [f"d.sort_key <= {bound}"]
    if after:
        window.append("(d.sort_key > :after_key OR (d.sort_key = :after_key AND d.pk > :after_pk))")
    page = (
        f"SELECT d.pk AS pk, d.sort_key AS sort_key FROM ({candidates}) d "  # noqa: S608
        f"WHERE {' AND '.join(window)} ORDER BY d.sort_key, d.pk LIMIT :limit"
    )
    return (
        f"SELECT p.pk, {metres}, p.sort_key, loc.summary FROM ({page}) p "  # noqa: S608
        "JOIN locations loc ON loc.pk = p.pk ORDER BY p.sort_key, p.pk"
    )


def search_parameters(
    *,
    boxes: Sequence[Box],
    lat: float,
    lon: float,
    radius_m: float,
    filters: CoarseFilters,
    after: tuple[float, int] | None,
    limit: int,
) -> dict[str, Any]:
    phi, lam = math.radians(lat), math.radians(lon)
    chord = 2 * math.sin(min(radius_m, math.pi * EARTH_RADIUS_M) / (2 * EARTH_RADIUS_M))
    params: dict[str, Any] = {
        "lat": lat,
        "lon": lon,
        "x": math.cos(phi) * math.cos(lam),
        "y": math.cos(phi) * math.sin(lam),
        "z": math.sin(phi),
        "chord2": chord * chord,
        "limit": limit,
        "true": True,
        "radius": radius_m,
    }
    for i, box in enumerate(boxes):
        params[f"s{i}"] = box.south
        params[f"w{i}"] = box.west
        params[f"n{i}"] = box.north
        params[f"e{i}"] = box.east
    if after is not None:
        params["after_key"], params["after_pk"] = after
    if filters.standards_mask:
        params["standards_mask"] = filters.standards_mask
    if filters.min_power_w > 0:
        params["min_power_w"] = filters.min_power_w
    for i, operator in enumerate(filters.operator_keys):
        params[f"op{i}"] = operator
    return params


class _Base:
    mode: SpatialMode

    def _sql(self, box_count: int, filters: CoarseFilters, after: tuple[float, int] | None) -> str:
        return search_sql(
            self.mode,
            box_count,
            after=after is not None,
            standards=bool(filters.standards_mask),
            min_power=filters.min_power_w > 0,
            available=filters.available_now,
            operator_count=len(filters.operator_keys),
            plug_and_charge=filters.plug_and_charge,
            ad_hoc=filters.ad_hoc_payment,
        )

    async def _rows(self, statement: TextClause, params: dict[str, Any]) -> list[Candidate]:
        raise NotImplementedError

    async def nearest(
        self,
        *,
        boxes: Sequence[Box],
        lat: float,
        lon: float,
        radius_m: float,
        filters: CoarseFilters,
        after: tuple[float, int] | None,
        limit: int,
    ) -> list[Candidate]:
        params = search_parameters(
            boxes=boxes,
            lat=lat,
            lon=lon,
            radius_m=radius_m,
            filters=filters,
            after=after,
            limit=limit,
        )
        return await self._rows(text(self._sql(len(boxes), filters, after)), params)


def _candidate(row: Any) -> Candidate:
    return Candidate(pk=row[0], distance_m=row[1], sort_key=row[2], summary=row[3])


class SessionSearchIndex(_Base):
    """Through the request's session (SQLite without a file, and tests of parity)."""

    initial_radius_m = 600.0

    def __init__(self, session: AsyncSession, mode: SpatialMode) -> None:
        self.session = session
        self.mode = mode

    async def _rows(self, statement: TextClause, params: dict[str, Any]) -> list[Candidate]:
        result = await self.session.execute(statement, params)
        return [_candidate(row) for row in result]


class EngineSearchIndex(_Base):
    """PostgreSQL: each statement on an autocommit connection of a read-only pool.

    A search is a read of committed rows; wrapping it in the request's transaction only
    adds a BEGIN and a COMMIT round trip. Every widening of the disc is a round trip
    too, so the first disc is larger than on SQLite, where a statement costs
    microseconds. The pool skips the ping on checkout (another round trip per
    statement); a connection found dead is discarded and the statement retried once.
    """

    initial_radius_m = 800.0

    def __init__(self, engine: AsyncEngine, mode: SpatialMode) -> None:
        self.engine = engine
        self.mode = mode

    async def _rows(self, statement: TextClause, params: dict[str, Any]) -> list[Candidate]:
        for attempt in (1, 2):
            try:
                async with self.engine.connect() as connection:
                    result = await connection.execute(statement, params)
                    return [_candidate(row) for row in result]
            except DBAPIError as exc:
                if not exc.connection_invalidated or attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover


def create_read_engine(database_url: str, pool_size: int) -> AsyncEngine:
    """The read-only pool of :class:`EngineSearchIndex` (see there for its settings)."""
    return create_async_engine(
        database_url,
        isolation_level="AUTOCOMMIT",
        pool_pre_ping=False,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1_800,
    )
