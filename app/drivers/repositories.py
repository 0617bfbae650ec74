"""Queries of the driver's account; services never build SQL themselves."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.drivers.models import Driver, FavouriteStation, Vehicle
from app.stations.models import LocationRecord


class DriverRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_uid(self, firebase_uid: str) -> Driver | None:
        return await self.session.scalar(select(Driver).where(Driver.firebase_uid == firebase_uid))

    async def by_id(self, driver_id: uuid.UUID) -> Driver | None:
        return await self.session.get(Driver, driver_id)

    async def insert_if_absent(
        self, firebase_uid: str, email: str | None, name: str | None
    ) -> None:
        """Create the row unless the uid has one; two racing first requests both succeed."""
        dialect = self.session.get_bind().dialect.name
        now = utcnow()
        values = {
            "id": uuid.uuid4(),
            "firebase_uid": firebase_uid,
            "email": email,
            "name": name,
            "locale": "en",
            "currency": "EUR",
            "marketing_consent": False,
            "created_at": now,
            "updated_at": now,
        }
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        await self.session.execute(
            insert(Driver).values(**values).on_conflict_do_nothing(index_elements=["firebase_uid"])
        )


class VehicleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_for(self, driver_id: uuid.UUID) -> Sequence[Vehicle]:
        result = await self.session.scalars(
            select(Vehicle)
            .where(Vehicle.driver_id == driver_id)
            .order_by(Vehicle.created_at, Vehicle.id)
        )
        return result.all()

    async def get_for(self, driver_id: uuid.UUID, vehicle_id: uuid.UUID) -> Vehicle | None:
        # Scoped by owner in the query itself: another driver's id is simply not found.
        return await self.session.scalar(
            select(Vehicle).where(Vehicle.id == vehicle_id, Vehicle.driver_id == driver_id)
        )

    async def pcid_taken(
        self, driver_id: uuid.UUID, pcid: str, *, except_id: uuid.UUID | None = None
    ) -> bool:
        query = select(Vehicle.id).where(Vehicle.driver_id == driver_id, Vehicle.pcid == pcid)
        if except_id is not None:
            query = query.where(Vehicle.id != except_id)
        return await self.session.scalar(query.limit(1)) is not None

    async def add(self, vehicle: Vehicle) -> None:
        self.session.add(vehicle)
        await self.session.flush()

    async def delete(self, vehicle: Vehicle) -> None:
        await self.session.delete(vehicle)
        await self.session.flush()

    async def delete_all_for(self, driver_id: uuid.UUID) -> None:
        await self.session.execute(delete(Vehicle).where(Vehicle.driver_id == driver_id))

    async def count_for(self, driver_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(Vehicle).where(Vehicle.driver_id == driver_id)
        )
        return int(count or 0)


class FavouriteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def station_exists(self, station_id: uuid.UUID) -> bool:
        # Only stations a driver can see (published) can become favourites.
        found = await self.session.scalar(
            select(LocationRecord.pk).where(
                LocationRecord.public_id == station_id, LocationRecord.publish.is_(True)
            )
        )
        return found is not None

    async def list_for(self, driver_id: uuid.UUID) -> Sequence[FavouriteStation]:
        result = await self.session.scalars(
            select(FavouriteStation)
            .where(FavouriteStation.driver_id == driver_id)
            .order_by(FavouriteStation.created_at, FavouriteStation.station_id)
        )
        return result.all()

    async def get(self, driver_id: uuid.UUID, station_id: uuid.UUID) -> FavouriteStation | None:
        return await self.session.get(FavouriteStation, (driver_id, station_id))

    async def add(self, favourite: FavouriteStation) -> None:
        self.session.add(favourite)
        await self.session.flush()

    async def remove(self, driver_id: uuid.UUID, station_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(FavouriteStation).where(
                FavouriteStation.driver_id == driver_id, FavouriteStation.station_id == station_id
            )
        )

    async def delete_all_for(self, driver_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(FavouriteStation).where(FavouriteStation.driver_id == driver_id)
        )

    async def count_for(self, driver_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            select(func.count())
            .select_from(FavouriteStation)
            .where(FavouriteStation.driver_id == driver_id)
        )
        return int(count or 0)

    async def favourite_among(
        self, firebase_uid: str, station_ids: Iterable[uuid.UUID]
    ) -> set[uuid.UUID]:
        """Which of ``station_ids`` the driver signed in as ``firebase_uid`` has favourited."""
        ids = list(station_ids)
        if not ids:
            return set()
        result = await self.session.scalars(
            select(FavouriteStation.station_id)
            .join(Driver, Driver.id == FavouriteStation.driver_id)
            .where(Driver.firebase_uid == firebase_uid, FavouriteStation.station_id.in_(ids))
        )
        return set(result.all())
