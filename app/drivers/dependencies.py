"""Dependency providers of the drivers domain."""

from __future__ import annotations

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app.drivers.models import Driver
from app.drivers.repositories import DriverRepository, FavouriteRepository, VehicleRepository
from app.drivers.services import FavouriteService, ProfileService, VehicleService
from app.identity import Principal


async def provide_current_driver(
    principal: NamedDependency[Principal], db_session: NamedDependency[AsyncSession]
) -> Driver:
    """The signed-in driver's row, created on their first authenticated request."""
    return await ProfileService(DriverRepository(db_session)).for_principal(principal)


async def provide_existing_driver(
    principal: NamedDependency[Principal], db_session: NamedDependency[AsyncSession]
) -> Driver | None:
    """The signed-in driver's row if there is one; account deletion must not create it."""
    return await DriverRepository(db_session).by_uid(principal.uid)


def provide_profile_service(db_session: NamedDependency[AsyncSession]) -> ProfileService:
    return ProfileService(DriverRepository(db_session))


def provide_driver_repository(db_session: NamedDependency[AsyncSession]) -> DriverRepository:
    return DriverRepository(db_session)


def provide_vehicle_repository(db_session: NamedDependency[AsyncSession]) -> VehicleRepository:
    return VehicleRepository(db_session)


def provide_favourite_repository(
    db_session: NamedDependency[AsyncSession],
) -> FavouriteRepository:
    return FavouriteRepository(db_session)


def provide_vehicle_service(db_session: NamedDependency[AsyncSession]) -> VehicleService:
    return VehicleService(VehicleRepository(db_session))


def provide_favourite_service(db_session: NamedDependency[AsyncSession]) -> FavouriteService:
    return FavouriteService(FavouriteRepository(db_session))
