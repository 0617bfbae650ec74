"""Dependency providers of the drivers domain."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app.drivers.models import Driver
from app.drivers.repositories import DriverRepository, FavouriteRepository, VehicleRepository
from app.drivers.services import FavouriteService, ProfileService, VehicleService
from app.identity import Principal
from app.notifications.repositories import InboxRepository, PushDeviceRepository
from app.tokens.repositories import TokenRepository
from app.tokens.services import TokenParty, TokenService


async def provide_current_driver(
    principal: NamedDependency[Principal], db_session: NamedDependency[AsyncSession], state: State
) -> Driver:
    """The signed-in driver's row, created with its app token on the first request."""
    tokens = TokenService(TokenRepository(db_session), TokenParty.from_settings(state.settings))
    profiles = ProfileService(
        DriverRepository(db_session), on_first_sign_in=tokens.ensure_app_token
    )
    return await profiles.for_principal(principal)


def provide_token_repository(db_session: NamedDependency[AsyncSession]) -> TokenRepository:
    return TokenRepository(db_session)


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


def provide_push_device_repository(
    db_session: NamedDependency[AsyncSession],
) -> PushDeviceRepository:
    """For the data export and erasure, which cover every domain's rows of the driver."""
    return PushDeviceRepository(db_session)


def provide_inbox_repository(db_session: NamedDependency[AsyncSession]) -> InboxRepository:
    """For the data export and erasure, which cover every domain's rows of the driver."""
    return InboxRepository(db_session)
