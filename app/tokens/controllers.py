"""The driver's charging tokens and RFID cards, and the staff view of a driver's tokens.

Every ``/v1/me/...`` route reads or changes only the caller's own tokens: another
driver's token id is a 404, exactly like an id that does not exist.
"""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from app.core.errors import NotFoundError, problem_responses
from app.drivers.dependencies import provide_current_driver, provide_driver_repository
from app.drivers.models import Driver
from app.drivers.repositories import DriverRepository
from app.identity import Role
from app.identity.dependencies import requires_roles
from app.tokens.dependencies import provide_token_service
from app.tokens.schemas import ChargingToken, RfidCardActivation, RfidCardOrder
from app.tokens.services import TokenService

BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]
_DEPENDENCIES = {
    "current_driver": Provide(provide_current_driver),
    "token_service": Provide(provide_token_service, sync_to_thread=False),
}


class TokenController(Controller):
    path = "/v1/me/tokens"
    tags = ["charging tokens"]
    guards = [requires_roles(Role.DRIVER)]
    security = BEARER
    dependencies = _DEPENDENCIES

    @get(
        "/",
        operation_id="listMyTokens",
        summary="The driver's app token and RFID cards",
        responses=problem_responses(401, 403),
    )
    async def list_tokens(
        self,
        current_driver: NamedDependency[Driver],
        token_service: NamedDependency[TokenService],
    ) -> list[ChargingToken]:
        """The app token comes first; it is created if the account has none yet."""
        return await token_service.list_tokens(current_driver)

    @get(
        "/{token_id:uuid}",
        operation_id="getMyToken",
        summary="One of the driver's tokens",
        responses=problem_responses(401, 403, 404),
    )
    async def get_token(
        self,
        token_id: FromPath[uuid.UUID],
        current_driver: NamedDependency[Driver],
        token_service: NamedDependency[TokenService],
    ) -> ChargingToken:
        return await token_service.get(current_driver, token_id)


class RfidCardController(Controller):
    path = "/v1/me/rfid-cards"
    tags = ["charging tokens"]
    guards = [requires_roles(Role.DRIVER)]
    security = BEARER
    dependencies = _DEPENDENCIES

    @post(
        "/",
        operation_id="orderMyRfidCard",
        summary="Order an RFID card (it arrives inactive)",
        status_code=HTTP_201_CREATED,
        responses=problem_responses(400, 401, 403),
    )
    async def order_card(
        self,
        data: JSONBody[RfidCardOrder],
        current_driver: NamedDependency[Driver],
        token_service: NamedDependency[TokenService],
    ) -> ChargingToken:
        """The card is `ordered`: no uid, not valid, not sent to CPOs until activated."""
        return await token_service.order_card(current_driver, data)

    @post(
        "/{token_id:uuid}/activate",
        operation_id="activateMyRfidCard",
        summary="Activate a delivered card with the UID printed on it",
        status_code=HTTP_200_OK,
        responses=problem_responses(400, 401, 403, 404, 409),
    )
    async def activate_card(
        self,
        token_id: FromPath[uuid.UUID],
        data: JSONBody[RfidCardActivation],
        current_driver: NamedDependency[Driver],
        token_service: NamedDependency[TokenService],
    ) -> ChargingToken:
        """The UID is 8, 14 or 20 hex digits. Repeating the call is harmless; 409 when
        another card already has this UID, or this card has another one or is blocked."""
        return await token_service.activate_card(current_driver, token_id, data)

    @post(
        "/{token_id:uuid}/block",
        operation_id="blockMyRfidCard",
        summary="Block a card (lost or stolen); idempotent",
        status_code=HTTP_200_OK,
        responses=problem_responses(401, 403, 404),
    )
    async def block_card(
        self,
        token_id: FromPath[uuid.UUID],
        current_driver: NamedDependency[Driver],
        token_service: NamedDependency[TokenService],
    ) -> ChargingToken:
        """CPOs see `valid: false` with a new `last_updated`."""
        return await token_service.block_card(current_driver, token_id)

    @post(
        "/{token_id:uuid}/unblock",
        operation_id="unblockMyRfidCard",
        summary="Unblock a card; idempotent",
        status_code=HTTP_200_OK,
        responses=problem_responses(401, 403, 404),
    )
    async def unblock_card(
        self,
        token_id: FromPath[uuid.UUID],
        current_driver: NamedDependency[Driver],
        token_service: NamedDependency[TokenService],
    ) -> ChargingToken:
        """A card blocked before activation goes back to `ordered`."""
        return await token_service.unblock_card(current_driver, token_id)


class AdminTokenController(Controller):
    path = "/v1/admin/drivers/{driver_id:uuid}/tokens"
    tags = ["admin"]
    guards = [requires_roles(Role.SUPPORT, Role.ADMIN)]
    security = BEARER
    dependencies = {
        "driver_repository": Provide(provide_driver_repository, sync_to_thread=False),
        "token_service": Provide(provide_token_service, sync_to_thread=False),
    }

    @get(
        "/",
        operation_id="listDriverTokensForSupport",
        summary="A driver's tokens as support staff see them (support, admin)",
        responses=problem_responses(401, 403, 404),
    )
    async def list_tokens(
        self,
        driver_id: FromPath[uuid.UUID],
        driver_repository: NamedDependency[DriverRepository],
        token_service: NamedDependency[TokenService],
    ) -> list[ChargingToken]:
        """Read-only: support staff can see a card's state but not change it."""
        driver = await driver_repository.by_id(driver_id)
        if driver is None:
            raise NotFoundError(f"no driver {driver_id}")
        return await token_service.list_existing(driver)
