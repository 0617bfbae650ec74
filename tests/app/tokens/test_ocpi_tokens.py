"""``TokenService.ocpi_tokens``: what the OCPI Tokens sender module will serve.

Tokens with a uid only, ``last_updated`` in [date_from, date_to), oldest change first,
paged by offset and limit, as wire Tokens of the requested version.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.drivers.models import Driver
from app.ocpi.v2_2_1 import tokens as tokens_2_2_1
from app.ocpi.v2_3_0 import tokens as tokens_2_3_0
from app.tokens.repositories import TokenRepository
from app.tokens.schemas import RfidCardActivation, RfidCardOrder
from app.tokens.services import OCPI_MAX_PAGE, TokenParty, TokenService

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
PARTY = TokenParty("DE", "EMS", "EMSP")


class StepClock:
    """Each reading is one minute after the previous one, from T0."""

    def __init__(self) -> None:
        self.now = T0 - timedelta(minutes=1)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


async def _driver(session: AsyncSession, uid: str) -> Driver:
    driver = Driver(id=uuid.uuid4(), firebase_uid=uid, locale="de-DE", currency="EUR")
    session.add(driver)
    await session.flush()
    return driver


async def _scenario(session: AsyncSession) -> TokenService:
    return (await _scenario_with_card(session))[0]


async def _scenario_with_card(session: AsyncSession) -> tuple[TokenService, Driver, uuid.UUID]:
    """App tokens at T0 and T0+1', a card activated at T0+3' and one still ordered."""
    service = TokenService(TokenRepository(session), PARTY, clock=StepClock())
    alice, bob = await _driver(session, "alice"), await _driver(session, "bob")
    await service.ensure_app_token(alice)  # T0
    await service.ensure_app_token(bob)  # T0 + 1'
    card = await service.order_card(alice, RfidCardOrder())  # T0 + 2'
    await service.activate_card(alice, card.id, RfidCardActivation(uid="deadbeef"))  # T0 + 3'
    await service.order_card(bob, RfidCardOrder())  # T0 + 4', no uid: never listed
    return service, alice, card.id


async def test_lists_issued_tokens_oldest_change_first(session: AsyncSession) -> None:
    service = await _scenario(session)
    page = await service.ocpi_tokens("2.2.1")
    assert page.total == 3
    assert [t.type for t in page.tokens] == ["APP_USER", "APP_USER", "RFID"]
    assert [t.last_updated for t in page.tokens] == [
        T0,
        T0 + timedelta(minutes=1),
        T0 + timedelta(minutes=3),
    ]
    card = page.tokens[2]
    assert isinstance(card, tokens_2_2_1.Token)
    assert (card.country_code, card.party_id, card.uid) == ("DE", "EMS", "DEADBEEF")
    assert card.valid is True
    assert card.whitelist is tokens_2_2_1.WhitelistType.ALLOWED
    assert card.language == "de"
    assert card.contract_id == page.tokens[0].contract_id == card.group_id


async def test_date_from_is_inclusive_and_date_to_exclusive(session: AsyncSession) -> None:
    service = await _scenario(session)
    page = await service.ocpi_tokens(
        "2.3.0", date_from=T0 + timedelta(minutes=1), date_to=T0 + timedelta(minutes=3)
    )
    assert page.total == 1
    assert [t.last_updated for t in page.tokens] == [T0 + timedelta(minutes=1)]
    assert isinstance(page.tokens[0], tokens_2_3_0.Token)


async def test_offset_and_limit_page_through_the_same_order(session: AsyncSession) -> None:
    service = await _scenario(session)
    everything = (await service.ocpi_tokens("2.3.0")).tokens
    pages = [await service.ocpi_tokens("2.3.0", offset=o, limit=2) for o in (0, 2, 4)]
    assert [len(p.tokens) for p in pages] == [2, 1, 0]
    assert all(p.total == 3 for p in pages)
    assert [t for p in pages for t in p.tokens] == everything


async def test_a_blocked_card_reappears_with_its_new_last_updated(session: AsyncSession) -> None:
    service, alice, card_id = await _scenario_with_card(session)
    await service.block_card(alice, card_id)  # T0 + 5'
    page = await service.ocpi_tokens("2.2.1", date_from=T0 + timedelta(minutes=5))
    assert [(t.uid, t.valid) for t in page.tokens] == [("DEADBEEF", False)]


async def test_bad_arguments_are_refused_and_limit_is_capped(session: AsyncSession) -> None:
    service = await _scenario(session)
    with pytest.raises(ValueError, match="version"):
        await service.ocpi_tokens("2.1.1")
    with pytest.raises(ValueError, match="offset"):
        await service.ocpi_tokens("2.2.1", offset=-1)
    with pytest.raises(ValueError, match="limit"):
        await service.ocpi_tokens("2.2.1", limit=0)
    assert (await service.ocpi_tokens("2.2.1", limit=10**6)).limit == OCPI_MAX_PAGE
