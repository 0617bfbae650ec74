"""All station queries: writes of projected rows, exports, and the spatial search.

Search is one statement per batch: the spatial index narrows to the boxes around the
circle (or the viewport), coarse filters run on the location's search projection, and
the exact haversine distance orders the candidates with a keyset after the last hit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.stations.geo import EARTH_RADIUS_M, Box
from app.stations.models import ConnectorRecord, EvseRecord, LocationRecord
from app.stations.projection import LocationRow


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
    pk: int
    summary: str
    distance_m: float


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


def _box_predicate(mode: SpatialMode, i: int) -> str:
    s, w, n, e = (f":{name}{i}" for name in ("s", "w", "n", "e"))
    if mode is SpatialMode.SQLITE_RTREE:
        return f"r.max_lat >= {s} AND r.min_lat <= {n} AND r.max_lon >= {w} AND r.min_lon <= {e}"
    if mode is SpatialMode.POSTGIS:
        return f"l.geom && ST_MakeEnvelope({w}, {s}, {e}, {n}, 4326)"
    return f"point(l.lon, l.lat) <@ box(point({w}, {s}), point({e}, {n}))"


@lru_cache(maxsize=256)
def _search_sql(
    mode: SpatialMode,
    box_count: int,
    *,
    radius: bool,
    after: bool,
    standards: bool,
    min_power: bool,
    available: bool,
    operators: bool,
    plug_and_charge: bool,
    ad_hoc: bool,
) -> str:
    least = "min" if mode is SpatialMode.SQLITE_RTREE else "least"
    distance = (
        f"2 * {EARTH_RADIUS_M} * asin({least}(1.0, sqrt("
        "power(sin(radians(l.lat - :lat) / 2), 2) + "
        "cos(radians(:lat)) * cos(radians(l.lat)) * power(sin(radians(l.lon - :lon) / 2), 2))))"
    )
    source = (
        "locations_rtree r JOIN locations l ON l.pk = r.id"
        if mode is SpatialMode.SQLITE_RTREE
        else "locations l"
    )
    # A station whose EVSEs are all REMOVED (or that has none) is nothing to drive to.
    conditions = ["l.publish = :true", "l.evse_count > 0"]
    if standards:
        conditions.append("(l.standards_mask & :standards_mask) != 0")
    if min_power:
        conditions.append("l.max_power_w >= :min_power_w")
    if available:
        conditions.append("l.available_evse_count > 0")
    if operators:
        conditions.append("l.operator_key IN :operator_keys")
    if plug_and_charge:
        conditions.append("l.plug_and_charge = :true")
    if ad_hoc:
        conditions.append("l.ad_hoc_payment = :true")
    common = " AND ".join(conditions)
    # Only fixed fragments are interpolated; every value is a bound parameter.
    inner = " UNION ALL ".join(
        f"SELECT l.pk AS pk, l.summary AS summary, {distance} AS dist FROM {source} "  # noqa: S608
        f"WHERE {_box_predicate(mode, i)} AND {common}"
        for i in range(box_count)
    )
    outer: list[str] = []
    if radius:
        outer.append("c.dist <= :radius")
    if after:
        outer.append("(c.dist > :after_d OR (c.dist = :after_d AND c.pk > :after_pk))")
    where = f" WHERE {' AND '.join(outer)}" if outer else ""
    select_sql = f"SELECT c.pk, c.summary, c.dist FROM ({inner}) c{where}"  # noqa: S608
    return select_sql + " ORDER BY c.dist, c.pk LIMIT :limit"


def _statement(sql: str, operators: bool) -> Any:
    statement = text(sql)
    if operators:
        statement = statement.bindparams(bindparam("operator_keys", expanding=True))
    return statement


class StationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def search(
        self,
        mode: SpatialMode,
        *,
        boxes: Sequence[Box],
        lat: float,
        lon: float,
        radius_m: float | None,
        filters: CoarseFilters,
        after: tuple[float, int] | None,
        limit: int,
    ) -> list[Candidate]:
        sql = _search_sql(
            mode,
            len(boxes),
            radius=radius_m is not None,
            after=after is not None,
            standards=bool(filters.standards_mask),
            min_power=filters.min_power_w > 0,
            available=filters.available_now,
            operators=bool(filters.operator_keys),
            plug_and_charge=filters.plug_and_charge,
            ad_hoc=filters.ad_hoc_payment,
        )
        params: dict[str, Any] = {"lat": lat, "lon": lon, "limit": limit, "true": True}
        for i, box in enumerate(boxes):
            params.update(
                {f"s{i}": box.south, f"w{i}": box.west, f"n{i}": box.north, f"e{i}": box.east}
            )
        if radius_m is not None:
            params["radius"] = radius_m
        if after is not None:
            params["after_d"], params["after_pk"] = after
        if filters.standards_mask:
            params["standards_mask"] = filters.standards_mask
        if filters.min_power_w > 0:
            params["min_power_w"] = filters.min_power_w
        if filters.operator_keys:
            params["operator_keys"] = list(filters.operator_keys)
        result = await self.session.execute(_statement(sql, bool(filters.operator_keys)), params)
        return [Candidate(pk=row[0], summary=row[1], distance_m=row[2]) for row in result]

    async def find_pk(self, country_code: str, party_id: str, location_id: str) -> int | None:
        return await self.session.scalar(
            select(LocationRecord.pk).where(
                LocationRecord.country_code == country_code,
                LocationRecord.party_id == party_id,
                LocationRecord.location_id == location_id,
            )
        )

    async def get_by_public_id(
        self, public_id: uuid.UUID
    ) -> tuple[dict[str, Any], list[tuple[dict[str, Any], list[dict[str, Any]]]]] | None:
        """The stored documents of one published station, EVSEs and connectors in order."""
        location = (
            await self.session.execute(
                select(LocationRecord.pk, LocationRecord.document).where(
                    LocationRecord.public_id == public_id, LocationRecord.publish.is_(True)
                )
            )
        ).first()
        if location is None:
            return None
        return location.document, await self._evse_documents(location.pk)

    async def get_documents(
        self, country_code: str, party_id: str, location_id: str
    ) -> tuple[dict[str, Any], list[tuple[dict[str, Any], list[dict[str, Any]]]]] | None:
        location = (
            await self.session.execute(
                select(LocationRecord.pk, LocationRecord.document).where(
                    LocationRecord.country_code == country_code,
                    LocationRecord.party_id == party_id,
                    LocationRecord.location_id == location_id,
                )
            )
        ).first()
        if location is None:
            return None
        return location.document, await self._evse_documents(location.pk)

    async def _evse_documents(
        self, location_pk: int
    ) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
        evse_rows = (
            await self.session.execute(
                select(EvseRecord.pk, EvseRecord.document)
                .where(EvseRecord.location_pk == location_pk)
                .order_by(EvseRecord.position)
            )
        ).all()
        if not evse_rows:
            return []
        connector_rows = (
            await self.session.execute(
                select(ConnectorRecord.evse_pk, ConnectorRecord.document)
                .where(ConnectorRecord.evse_pk.in_([row.pk for row in evse_rows]))
                .order_by(ConnectorRecord.evse_pk, ConnectorRecord.position)
            )
        ).all()
        by_evse: dict[int, list[dict[str, Any]]] = {row.pk: [] for row in evse_rows}
        for row in connector_rows:
            by_evse[row.evse_pk].append(row.document)
        return [(row.document, by_evse[row.pk]) for row in evse_rows]

    async def upsert(self, row: LocationRow) -> int:
        """Insert or fully replace one location with its EVSEs and connectors."""
        values = row.values
        pk = await self.find_pk(values["country_code"], values["party_id"], values["location_id"])
        if pk is None:
            pk = await self.session.scalar(
                insert(LocationRecord).values(**values).returning(LocationRecord.pk)
            )
            assert pk is not None  # noqa: S101 - RETURNING of an insert always yields the key
        else:
            await self.session.execute(
                update(LocationRecord).where(LocationRecord.pk == pk).values(**values)
            )
            await self.session.execute(delete(EvseRecord).where(EvseRecord.location_pk == pk))
        await self._insert_evses(pk, row)
        return pk

    async def insert_many(self, rows: Sequence[LocationRow]) -> None:
        """Bulk insert of new locations (imports into an empty table, benchmarks)."""
        for row in rows:
            pk = await self.session.scalar(
                insert(LocationRecord).values(**row.values).returning(LocationRecord.pk)
            )
            assert pk is not None  # noqa: S101
            await self._insert_evses(pk, row)

    async def _insert_evses(self, location_pk: int, row: LocationRow) -> None:
        for position, evse in enumerate(row.evses):
            evse_pk = await self.session.scalar(
                insert(EvseRecord)
                .values(
                    location_pk=location_pk,
                    position=position,
                    uid=evse.uid,
                    evse_id=evse.evse_id,
                    status=evse.status,
                    last_updated=evse.last_updated,
                    document=evse.document,
                )
                .returning(EvseRecord.pk)
            )
            if evse.connectors:
                await self.session.execute(
                    insert(ConnectorRecord),
                    [
                        {
                            "evse_pk": evse_pk,
                            "position": i,
                            "connector_id": c.connector_id,
                            "standard": c.standard,
                            "format": c.format,
                            "power_type": c.power_type,
                            "max_power_w": c.max_power_w,
                            "last_updated": c.last_updated,
                            "document": c.document,
                        }
                        for i, c in enumerate(evse.connectors)
                    ],
                )

    async def count(self) -> int:
        total = await self.session.scalar(select(func.count()).select_from(LocationRecord))
        return int(total or 0)
