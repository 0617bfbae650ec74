"""Charging tokens: the driver's app token, RFID cards, and the OCPI view of both.

Every driver has one APP_USER token, created on first sign-in (and, for accounts older
than tokens, on first look). All of a driver's tokens carry the same contract id, an
EMAID of our provider id (``EMSP_OCPI_COUNTRY_CODE`` + ``EMSP_OCPI_PARTY_ID``) generated
by :func:`pki.emaid.generate_emaid`, and use it as ``group_id`` too, so a session started
with the app can be stopped with the card [mod_tokens_token_object].

Services never commit; the request's transaction does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.db import utcnow
from app.core.errors import ConflictError, FieldError, InvalidInputError, NotFoundError
from app.core.settings import Settings
from app.drivers.models import Driver
from app.ocpi.v2_2_1 import mapping as mapping_2_2_1
from app.ocpi.v2_2_1 import tokens as wire_2_2_1
from app.ocpi.v2_3_0 import mapping as mapping_2_3_0
from app.ocpi.v2_3_0 import tokens as wire_2_3_0
from app.tokens import domain
from app.tokens.models import TokenRecord, TokenStatus
from app.tokens.repositories import TokenRepository, UidTakenError
from app.tokens.rfid import normalise_rfid_uid
from app.tokens.schemas import ChargingToken, RfidCardActivation, RfidCardOrder
from pki.emaid import generate_emaid

Clock = Callable[[], datetime]

#: OCPI recommends NEVER for APP_USER tokens [mod_tokens_tokentype_enum]: they start
#: sessions from the app, where a whitelist gives a CPO nothing and a stale one would let
#: a blocked account charge.
APP_TOKEN_WHITELIST = domain.WhitelistType.NEVER
#: Cards may be whitelisted (a charge point offline from its CPO still lets them charge);
#: blocking one reaches whitelists through ``valid = false`` and a new ``last_updated``.
RFID_WHITELIST = domain.WhitelistType.ALLOWED
OCPI_MAX_PAGE = 1000

OcpiToken = wire_2_2_1.Token | wire_2_3_0.Token


@dataclass(frozen=True, slots=True)
class TokenParty:
    """Who issues our tokens, from the settings."""

    country_code: str
    party_id: str
    issuer: str

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenParty:
        return cls(settings.ocpi_country_code, settings.ocpi_party_id, settings.ocpi_issuer)

    @property
    def provider_id(self) -> str:
        """The ISO 15118 provider id (country + party) of our EMAIDs, e.g. ``DEEMS``."""
        return self.country_code + self.party_id


@dataclass(frozen=True, slots=True)
class OcpiTokenPage:
    """One page of the OCPI Tokens sender list [mod_tokens_msp_get_method]."""

    tokens: list[OcpiToken]
    total: int
    offset: int
    limit: int


def token_out(row: TokenRecord) -> ChargingToken:
    return ChargingToken(
        id=row.id,
        type=row.type,
        status=TokenStatus(row.status),
        uid=row.uid,
        contract_id=row.contract_id,
        visual_number=row.visual_number,
        issuer=row.issuer,
        valid=row.valid,
        whitelist=row.whitelist,
        created_at=row.created_at,
        last_updated=row.last_updated,
    )


def token_to_domain(row: TokenRecord) -> domain.Token:
    """The stored token as OCPI sees it; only tokens with a uid have an OCPI form."""
    if row.uid is None:
        raise ValueError("an ordered card has no uid and no OCPI form yet")
    return domain.Token(
        country_code=row.country_code,
        party_id=row.party_id,
        uid=row.uid,
        type=row.type,
        contract_id=row.contract_id,
        visual_number=row.visual_number,
        issuer=row.issuer,
        group_id=row.group_id,
        valid=row.valid,
        whitelist=domain.WhitelistType(row.whitelist),
        language=row.language,
        default_profile_type=(
            domain.ProfileType(row.default_profile_type) if row.default_profile_type else None
        ),
        last_updated=row.last_updated,
    )


def _language(locale: str) -> str | None:
    """OCPI Token.language is ISO 639-1: the two-letter language of the driver's locale."""
    head = locale.split("-", 1)[0].lower()
    return head if len(head) == 2 and head.isalpha() else None


class TokenService:
    def __init__(self, tokens: TokenRepository, party: TokenParty, clock: Clock = utcnow) -> None:
        self.tokens = tokens
        self.party = party
        self.clock = clock

    # -- the app token ---------------------------------------------------------------------

    async def ensure_app_token(self, driver: Driver) -> TokenRecord:
        """The driver's APP_USER token, created if missing; racing callers get the same one."""
        existing = await self.tokens.app_token_for(driver.id)
        if existing is not None:
            return existing
        now = self.clock()
        contract_id = generate_emaid(self.party.provider_id).normalised
        await self.tokens.insert_if_absent(
            self._values(
                driver,
                uid=str(uuid.uuid4()),
                type=domain.TokenType.APP_USER,
                contract_id=contract_id,
                status=TokenStatus.ACTIVE,
                whitelist=APP_TOKEN_WHITELIST,
                now=now,
            )
        )
        created = await self.tokens.app_token_for(driver.id)
        assert created is not None  # noqa: S101 - the insert above, or a racing one, made it
        return created

    def _values(
        self,
        driver: Driver,
        *,
        uid: str | None,
        type: domain.TokenType,
        contract_id: str,
        status: TokenStatus,
        whitelist: domain.WhitelistType,
        now: datetime,
        shipping_reference: str | None = None,
    ) -> dict[str, Any]:
        return {
            "id": uuid.uuid4(),
            "driver_id": driver.id,
            "country_code": self.party.country_code,
            "party_id": self.party.party_id,
            "uid": uid,
            "type": type.value,
            "contract_id": contract_id,
            "visual_number": None,
            "issuer": self.party.issuer,
            "group_id": contract_id,
            "valid": status is TokenStatus.ACTIVE,
            "whitelist": whitelist.value,
            "language": _language(driver.locale),
            "default_profile_type": None,
            "status": status.value,
            "shipping_reference": shipping_reference,
            "created_at": now,
            "updated_at": now,
            "last_updated": now,
        }

    # -- the driver's view -----------------------------------------------------------------

    async def list_tokens(self, driver: Driver) -> list[ChargingToken]:
        await self.ensure_app_token(driver)
        return [token_out(row) for row in await self.tokens.list_for(driver.id)]

    async def list_existing(self, driver: Driver) -> list[ChargingToken]:
        """The driver's tokens without creating any (the staff view; erased accounts)."""
        return [token_out(row) for row in await self.tokens.list_for(driver.id)]

    async def _owned(self, driver: Driver, token_id: uuid.UUID) -> TokenRecord:
        row = await self.tokens.get_for(driver.id, token_id)
        if row is None:
            raise NotFoundError(f"no token {token_id}")
        return row

    async def _owned_card(self, driver: Driver, token_id: uuid.UUID) -> TokenRecord:
        row = await self._owned(driver, token_id)
        if row.type != domain.TokenType.RFID:
            raise NotFoundError(f"no RFID card {token_id}")
        return row

    async def get(self, driver: Driver, token_id: uuid.UUID) -> ChargingToken:
        return token_out(await self._owned(driver, token_id))

    async def order_card(self, driver: Driver, order: RfidCardOrder) -> ChargingToken:
        """A new card in state ``ordered``: no uid, not valid, invisible to CPOs."""
        app_token = await self.ensure_app_token(driver)
        row = TokenRecord(
            **self._values(
                driver,
                uid=None,
                type=domain.TokenType.RFID,
                contract_id=app_token.contract_id,
                status=TokenStatus.ORDERED,
                whitelist=RFID_WHITELIST,
                now=self.clock(),
                shipping_reference=order.shipping_reference,
            )
        )
        await self.tokens.add(row)
        return token_out(row)

    async def activate_card(
        self, driver: Driver, token_id: uuid.UUID, activation: RfidCardActivation
    ) -> ChargingToken:
        """Give an ordered card its chip UID and make it valid.

        Activating again with the same UID changes nothing; a different UID on an
        activated card, or a UID any other token holds, is a 409.
        """
        row = await self._owned_card(driver, token_id)
        uid = normalise_rfid_uid(activation.uid)
        if uid is None:
            raise InvalidInputError(
                "The card number is invalid",
                errors=[FieldError("uid", "must be 8, 14 or 20 hexadecimal digits", "body")],
            )
        if row.uid == uid:
            return token_out(row)
        if row.status == TokenStatus.BLOCKED:
            raise ConflictError("this card is blocked; unblock it first")
        if row.status == TokenStatus.ACTIVE:
            raise ConflictError("this card is already activated with another number")
        holder = await self.tokens.by_uid(row.country_code, row.party_id, uid)
        if holder is not None:
            raise ConflictError("this card number is already registered")
        now = self.clock()
        row.uid = uid
        row.visual_number = activation.visual_number
        row.status = TokenStatus.ACTIVE.value
        row.valid = True
        row.updated_at = now
        row.last_updated = now
        try:
            await self.tokens.save_uid(row)
        except UidTakenError as exc:
            raise ConflictError("this card number is already registered") from exc
        return token_out(row)

    async def block_card(self, driver: Driver, token_id: uuid.UUID) -> ChargingToken:
        """Block a card (lost, stolen); blocking a blocked card changes nothing."""
        row = await self._owned_card(driver, token_id)
        if row.status != TokenStatus.BLOCKED:
            self._set_status(row, TokenStatus.BLOCKED)
            await self.tokens.flush()
        return token_out(row)

    async def unblock_card(self, driver: Driver, token_id: uuid.UUID) -> ChargingToken:
        """Back to active, or to ordered when the card was blocked before activation."""
        row = await self._owned_card(driver, token_id)
        if row.status == TokenStatus.BLOCKED:
            self._set_status(row, TokenStatus.ACTIVE if row.uid else TokenStatus.ORDERED)
            await self.tokens.flush()
        return token_out(row)

    def _set_status(self, row: TokenRecord, status: TokenStatus) -> None:
        now = self.clock()
        row.status = status.value
        row.valid = status is TokenStatus.ACTIVE
        row.updated_at = now
        row.last_updated = now

    async def block_all(self, driver: Driver) -> None:
        """Account deletion: every token stops working and forgets the person."""
        await self.tokens.block_all_for(driver.id, self.clock())

    # -- OCPI ------------------------------------------------------------------------------

    async def ocpi_tokens(
        self,
        version: str,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> OcpiTokenPage:
        """Tokens for the OCPI Tokens sender interface [mod_tokens_msp_get_method].

        Only tokens with a uid (not cards still being shipped), ``last_updated`` in
        [date_from, date_to), oldest change first so paging is stable; ``limit`` is capped
        at ``OCPI_MAX_PAGE``. ``version`` is ``"2.2.1"`` or ``"2.3.0"``.
        """
        if version == "2.2.1":
            convert: Callable[[domain.Token], OcpiToken] = mapping_2_2_1.token_from_domain
        elif version == "2.3.0":
            convert = mapping_2_3_0.token_from_domain
        else:
            raise ValueError(f"unsupported OCPI version {version!r}")
        if offset < 0 or limit < 1:
            raise ValueError("offset must be >= 0 and limit >= 1")
        limit = min(limit, OCPI_MAX_PAGE)
        rows, total = await self.tokens.page_of_issued(date_from, date_to, offset, limit)
        return OcpiTokenPage(
            tokens=[convert(token_to_domain(row)) for row in rows],
            total=total,
            offset=offset,
            limit=limit,
        )
