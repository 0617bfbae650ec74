"""The signed-in driver's account routes, and the staff view of a driver.

Every route here is guarded: a driver role for ``/v1/me/...`` (which only ever reads
the caller's own rows) and a staff role for ``/v1/admin/...``.
"""

from __future__ import annotations

import uuid

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from app.core.errors import NotFoundError, problem_responses
from app.drivers.dependencies import (
    provide_current_driver,
    provide_driver_repository,
    provide_existing_driver,
    provide_favourite_repository,
    provide_favourite_service,
    provide_inbox_repository,
    provide_profile_service,
    provide_push_device_repository,
    provide_token_repository,
    provide_vehicle_repository,
    provide_vehicle_service,
)
from app.drivers.models import Driver
from app.drivers.privacy import erase_driver, export_driver
from app.drivers.repositories import DriverRepository, FavouriteRepository, VehicleRepository
from app.drivers.schemas import (
    DriverAdminView,
    DriverExport,
    Favourite,
    Profile,
    ProfileUpdate,
    Vehicle,
    VehicleCreate,
    VehicleUpdate,
)
from app.drivers.services import FavouriteService, ProfileService, VehicleService, profile_out
from app.identity import Principal, Role
from app.identity.dependencies import (
    RECENT_SIGN_IN_REQUIRED,
    SENSITIVE,
    provide_token_verifier,
    requires_roles,
)
from app.identity.ports import TokenVerifier
from app.notifications.repositories import InboxRepository, PushDeviceRepository
from app.tokens.repositories import TokenRepository

BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]
_DRIVER_DEPENDENCIES = {
    "current_driver": Provide(provide_current_driver),
    "vehicle_repository": Provide(provide_vehicle_repository, sync_to_thread=False),
    "favourite_repository": Provide(provide_favourite_repository, sync_to_thread=False),
}


class MeController(Controller):
    path = "/v1/me"
    tags = ["driver account"]
    guards = [requires_roles(Role.DRIVER)]
    security = BEARER
    dependencies = {
        **_DRIVER_DEPENDENCIES,
        "existing_driver": Provide(provide_existing_driver),
        "profile_service": Provide(provide_profile_service, sync_to_thread=False),
        "token_verifier": Provide(provide_token_verifier, sync_to_thread=False),
        "push_device_repository": Provide(provide_push_device_repository, sync_to_thread=False),
        "inbox_repository": Provide(provide_inbox_repository, sync_to_thread=False),
        "token_repository": Provide(provide_token_repository, sync_to_thread=False),
    }

    @get(
        "/",
        operation_id="getMyProfile",
        summary="The signed-in driver's profile (created on first sign-in)",
        responses=problem_responses(401, 403),
    )
    async def get_profile(self, current_driver: NamedDependency[Driver]) -> Profile:
        """The profile starts with the name and email of the sign-in, EUR and `en`."""
        return profile_out(current_driver)

    @patch(
        "/",
        operation_id="updateMyProfile",
        summary="Change the profile, billing details and consents",
        responses=problem_responses(400, 401, 403),
    )
    async def update_profile(
        self,
        data: JSONBody[ProfileUpdate],
        current_driver: NamedDependency[Driver],
        profile_service: NamedDependency[ProfileService],
    ) -> Profile:
        """Changing `marketingConsent` or `termsVersion` records when it happened."""
        return profile_out(await profile_service.update(current_driver, data))

    @get(
        "/export",
        operation_id="exportMyData",
        summary="Download everything stored about the driver as JSON",
        responses=problem_responses(401, 403, 503),
        opt=SENSITIVE,
    )
    async def export(
        self,
        *,
        current_driver: NamedDependency[Driver],
        vehicle_repository: NamedDependency[VehicleRepository],
        favourite_repository: NamedDependency[FavouriteRepository],
        push_device_repository: NamedDependency[PushDeviceRepository],
        inbox_repository: NamedDependency[InboxRepository],
        token_repository: NamedDependency[TokenRepository],
    ) -> Response[DriverExport]:
        """A revoked token is refused here even before it expires."""
        document = await export_driver(
            current_driver,
            vehicle_repository,
            favourite_repository,
            push_device_repository,
            inbox_repository,
            tokens=token_repository,
        )
        filename = f"emsp-driver-{current_driver.id}.json"
        return Response(
            document, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
        )

    @delete(
        "/",
        operation_id="deleteMyAccount",
        summary="Erase the driver's personal data and end every session",
        status_code=HTTP_204_NO_CONTENT,
        responses=problem_responses(401, 403, 503),
        opt=RECENT_SIGN_IN_REQUIRED,
    )
    async def delete_account(
        self,
        *,
        principal: NamedDependency[Principal],
        existing_driver: NamedDependency[Driver | None],
        vehicle_repository: NamedDependency[VehicleRepository],
        favourite_repository: NamedDependency[FavouriteRepository],
        push_device_repository: NamedDependency[PushDeviceRepository],
        inbox_repository: NamedDependency[InboxRepository],
        token_verifier: NamedDependency[TokenVerifier],
        token_repository: NamedDependency[TokenRepository],
    ) -> None:
        """Needs a sign-in within `EMSP_RECENT_SIGN_IN_S` and an unrevoked token.

        Profile, vehicles, favourites, push devices and the inbox are erased; charging
        tokens are blocked and keep only their ids; financial records stay, kept only
        under the anonymous driver id. Repeating the call changes nothing.
        """
        if existing_driver is not None:
            await erase_driver(
                existing_driver,
                vehicle_repository,
                favourite_repository,
                push_device_repository,
                inbox_repository,
                tokens=token_repository,
            )
        await token_verifier.revoke_sessions(principal.uid)


class VehicleController(Controller):
    path = "/v1/me/vehicles"
    tags = ["driver account"]
    guards = [requires_roles(Role.DRIVER)]
    security = BEARER
    dependencies = {
        **_DRIVER_DEPENDENCIES,
        "vehicle_service": Provide(provide_vehicle_service, sync_to_thread=False),
    }

    @get(
        "/",
        operation_id="listMyVehicles",
        summary="The driver's vehicles",
        responses=problem_responses(401, 403),
    )
    async def list_vehicles(
        self,
        current_driver: NamedDependency[Driver],
        vehicle_service: NamedDependency[VehicleService],
    ) -> list[Vehicle]:
        return await vehicle_service.list(current_driver)

    @post(
        "/",
        operation_id="createMyVehicle",
        summary="Register a vehicle (with its PCID for Plug & Charge)",
        responses=problem_responses(400, 401, 403, 409),
    )
    async def create_vehicle(
        self,
        data: JSONBody[VehicleCreate],
        current_driver: NamedDependency[Driver],
        vehicle_service: NamedDependency[VehicleService],
    ) -> Vehicle:
        """The PCID is checked as ISO 15118-2 defines it; a driver registers it once."""
        return await vehicle_service.create(current_driver, data)

    @get(
        "/{vehicle_id:uuid}",
        operation_id="getMyVehicle",
        summary="One of the driver's vehicles",
        responses=problem_responses(401, 403, 404),
    )
    async def get_vehicle(
        self,
        vehicle_id: FromPath[uuid.UUID],
        current_driver: NamedDependency[Driver],
        vehicle_service: NamedDependency[VehicleService],
    ) -> Vehicle:
        return await vehicle_service.get(current_driver, vehicle_id)

    @patch(
        "/{vehicle_id:uuid}",
        operation_id="updateMyVehicle",
        summary="Change one of the driver's vehicles",
        responses=problem_responses(400, 401, 403, 404, 409),
    )
    async def update_vehicle(
        self,
        vehicle_id: FromPath[uuid.UUID],
        data: JSONBody[VehicleUpdate],
        current_driver: NamedDependency[Driver],
        vehicle_service: NamedDependency[VehicleService],
    ) -> Vehicle:
        return await vehicle_service.update(current_driver, vehicle_id, data)

    @delete(
        "/{vehicle_id:uuid}",
        operation_id="deleteMyVehicle",
        summary="Remove one of the driver's vehicles",
        status_code=HTTP_204_NO_CONTENT,
        responses=problem_responses(401, 403, 404),
    )
    async def delete_vehicle(
        self,
        vehicle_id: FromPath[uuid.UUID],
        current_driver: NamedDependency[Driver],
        vehicle_service: NamedDependency[VehicleService],
    ) -> None:
        await vehicle_service.delete(current_driver, vehicle_id)


class FavouriteController(Controller):
    path = "/v1/me/favourites"
    tags = ["driver account"]
    guards = [requires_roles(Role.DRIVER)]
    security = BEARER
    dependencies = {
        **_DRIVER_DEPENDENCIES,
        "favourite_service": Provide(provide_favourite_service, sync_to_thread=False),
    }

    @get(
        "/",
        operation_id="listMyFavourites",
        summary="The driver's favourite stations",
        responses=problem_responses(401, 403),
    )
    async def list_favourites(
        self,
        current_driver: NamedDependency[Driver],
        favourite_service: NamedDependency[FavouriteService],
    ) -> list[Favourite]:
        return await favourite_service.list(current_driver)

    @put(
        "/{station_id:uuid}",
        operation_id="addMyFavourite",
        summary="Mark a station as favourite (idempotent)",
        responses=problem_responses(401, 403, 404),
    )
    async def add_favourite(
        self,
        station_id: FromPath[uuid.UUID],
        current_driver: NamedDependency[Driver],
        favourite_service: NamedDependency[FavouriteService],
    ) -> Favourite:
        """404 when no published station has this id."""
        return await favourite_service.add(current_driver, station_id)

    @delete(
        "/{station_id:uuid}",
        operation_id="removeMyFavourite",
        summary="Unmark a favourite station (idempotent)",
        status_code=HTTP_204_NO_CONTENT,
        # 404 only for a path that is not a station id at all.
        responses=problem_responses(401, 403, 404),
    )
    async def remove_favourite(
        self,
        station_id: FromPath[uuid.UUID],
        current_driver: NamedDependency[Driver],
        favourite_service: NamedDependency[FavouriteService],
    ) -> None:
        await favourite_service.remove(current_driver, station_id)


class AdminDriverController(Controller):
    path = "/v1/admin/drivers"
    tags = ["admin"]
    guards = [requires_roles(Role.SUPPORT, Role.ADMIN)]
    security = BEARER
    dependencies = {
        "driver_repository": Provide(provide_driver_repository, sync_to_thread=False),
        "vehicle_repository": Provide(provide_vehicle_repository, sync_to_thread=False),
        "favourite_repository": Provide(provide_favourite_repository, sync_to_thread=False),
    }

    @get(
        "/{driver_id:uuid}",
        operation_id="getDriverForSupport",
        summary="A driver's account as support staff see it (support, admin)",
        responses=problem_responses(401, 403, 404),
    )
    async def get_driver(
        self,
        driver_id: FromPath[uuid.UUID],
        driver_repository: NamedDependency[DriverRepository],
        vehicle_repository: NamedDependency[VehicleRepository],
        favourite_repository: NamedDependency[FavouriteRepository],
    ) -> DriverAdminView:
        driver = await driver_repository.by_id(driver_id)
        if driver is None:
            raise NotFoundError(f"no driver {driver_id}")
        erased = driver.deleted_at is not None
        return DriverAdminView(
            profile=profile_out(driver),
            identity_uid=None if erased else driver.firebase_uid,
            deleted_at=driver.deleted_at,
            vehicle_count=await vehicle_repository.count_for(driver.id),
            favourite_count=await favourite_repository.count_for(driver.id),
        )
