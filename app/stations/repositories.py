"""Station rows: writes of projected locations, and reads of their stored documents.

The spatial search has its own module (``search_index``): it reads only the narrow
search projection and is shaped around the spatial index of each database.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.stations.models import ConnectorRecord, EvseRecord, LocationRecord
from app.stations.projection import LocationRow


class StationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

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
