"""The driver's tokens over HTTP: the app token, ordering, activating and blocking cards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity import Role
from app.tokens.models import TokenRecord
from pki.emaid import CheckDigitStatus, parse_emaid
from tests.app.tokens.conftest import SignIn

Client = AsyncTestClient[Litestar]
UID7 = "04A2249A6B5C80"


def _ts(token: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(token["lastUpdated"])


async def _tokens(client: Client, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get("/v1/me/tokens", headers=headers)
    assert response.status_code == 200, response.text
    tokens: list[dict[str, Any]] = response.json()
    return tokens


async def _order(client: Client, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.post("/v1/me/rfid-cards", headers=headers, json={})
    assert response.status_code == 201, response.text
    card: dict[str, Any] = response.json()
    return card


async def _activate(
    client: Client, headers: dict[str, str], card_id: str, uid: str, **extra: Any
) -> Any:
    return await client.post(
        f"/v1/me/rfid-cards/{card_id}/activate", headers=headers, json={"uid": uid, **extra}
    )


async def test_first_sign_in_creates_exactly_one_app_token(
    client: Client, sign_in: SignIn, session: AsyncSession
) -> None:
    headers = sign_in("alice")
    await client.get("/v1/me", headers=headers)
    first = await _tokens(client, headers)
    second = await _tokens(client, headers)
    assert first == second
    [app_token] = first
    assert app_token["type"] == "APP_USER"
    assert app_token["status"] == "active"
    assert app_token["valid"] is True
    assert app_token["whitelist"] == "NEVER"
    assert app_token["issuer"] == "EMSP"
    assert len(app_token["uid"]) == 36
    emaid = parse_emaid(app_token["contractId"])
    assert emaid.provider_id == "DEEMS"
    assert emaid.check_digit_status is CheckDigitStatus.VALID
    count = await session.scalar(select(func.count()).select_from(TokenRecord))
    assert count == 1


async def test_an_account_without_app_token_gets_one_on_first_look(
    client: Client, sign_in: SignIn, session: AsyncSession
) -> None:
    headers = sign_in("legacy")
    await client.get("/v1/me", headers=headers)
    async with session.begin():
        await session.execute(TokenRecord.__table__.delete())
    [app_token] = await _tokens(client, headers)
    assert app_token["type"] == "APP_USER"


async def test_an_ordered_card_has_no_uid_and_shares_the_contract_id(
    client: Client, sign_in: SignIn
) -> None:
    headers = sign_in("alice")
    response = await client.post(
        "/v1/me/rfid-cards", headers=headers, json={"shippingReference": "addr_1"}
    )
    assert response.status_code == 201
    card = response.json()
    assert card["type"] == "RFID"
    assert card["status"] == "ordered"
    assert card["uid"] is None
    assert card["valid"] is False
    assert card["whitelist"] == "ALLOWED"
    app_token, listed = await _tokens(client, headers)
    assert listed == card
    assert card["contractId"] == app_token["contractId"]
    got = await client.get(f"/v1/me/tokens/{card['id']}", headers=headers)
    assert got.json() == card


async def test_activation_normalises_the_uid_and_makes_the_card_valid(
    client: Client, sign_in: SignIn
) -> None:
    headers = sign_in("alice")
    card = await _order(client, headers)
    response = await _activate(
        client, headers, card["id"], "04:a2:24:9a:6b:5c:80", visualNumber="DE-EMS-000123"
    )
    assert response.status_code == 200, response.text
    active = response.json()
    assert active["uid"] == UID7
    assert active["visualNumber"] == "DE-EMS-000123"
    assert active["status"] == "active"
    assert active["valid"] is True
    assert _ts(active) > _ts(card)
    again = await _activate(client, headers, card["id"], UID7.lower())
    assert again.status_code == 200
    assert again.json() == active


async def test_uids_of_8_14_and_20_hex_digits_are_accepted(client: Client, sign_in: SignIn) -> None:
    headers = sign_in("alice")
    for uid in ("DEADBEEF", UID7, "0123456789ABCDEF0123"):
        card = await _order(client, headers)
        assert (await _activate(client, headers, card["id"], uid)).status_code == 200


async def test_malformed_uids_are_400_naming_the_field(client: Client, sign_in: SignIn) -> None:
    headers = sign_in("alice")
    card = await _order(client, headers)
    for uid in ("1234567", "123456789", "04A2249A6B5C8G", "0123456789ABCDEF012", "😀"):
        response = await _activate(client, headers, card["id"], uid)
        assert response.status_code == 400, uid
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["field"] == "uid"
    assert (await client.get(f"/v1/me/tokens/{card['id']}", headers=headers)).json() == card


async def test_a_uid_registered_to_another_driver_is_a_conflict(
    client: Client, sign_in: SignIn
) -> None:
    alice, bob = sign_in("alice"), sign_in("bob")
    alice_card = await _order(client, alice)
    assert (await _activate(client, alice, alice_card["id"], UID7)).status_code == 200
    bob_card = await _order(client, bob)
    response = await _activate(client, bob, bob_card["id"], UID7.lower())
    assert response.status_code == 409
    assert response.json()["type"].endswith("/conflict")
    assert alice_card["id"] not in response.text
    after = (await client.get(f"/v1/me/tokens/{bob_card['id']}", headers=bob)).json()
    assert after["status"] == "ordered"


async def test_an_activated_card_keeps_its_uid(client: Client, sign_in: SignIn) -> None:
    headers = sign_in("alice")
    first, second = await _order(client, headers), await _order(client, headers)
    assert (await _activate(client, headers, first["id"], UID7)).status_code == 200
    assert (await _activate(client, headers, first["id"], "DEADBEEF")).status_code == 409
    assert (await _activate(client, headers, second["id"], UID7)).status_code == 409


async def test_block_and_unblock_are_idempotent_and_bump_last_updated(
    client: Client, sign_in: SignIn
) -> None:
    headers = sign_in("alice")
    card = await _order(client, headers)
    active = (await _activate(client, headers, card["id"], UID7)).json()
    blocked = (await client.post(f"/v1/me/rfid-cards/{card['id']}/block", headers=headers)).json()
    assert blocked["status"] == "blocked"
    assert blocked["valid"] is False
    assert _ts(blocked) > _ts(active)
    again = await client.post(f"/v1/me/rfid-cards/{card['id']}/block", headers=headers)
    assert again.status_code == 200
    assert again.json() == blocked
    assert (await _activate(client, headers, card["id"], "DEADBEEF")).status_code == 409
    unblocked = await client.post(f"/v1/me/rfid-cards/{card['id']}/unblock", headers=headers)
    assert unblocked.status_code == 200
    assert unblocked.json()["status"] == "active"
    assert unblocked.json()["valid"] is True
    assert _ts(unblocked.json()) > _ts(blocked)
    repeat = await client.post(f"/v1/me/rfid-cards/{card['id']}/unblock", headers=headers)
    assert repeat.json() == unblocked.json()


async def test_a_card_blocked_before_activation_unblocks_to_ordered(
    client: Client, sign_in: SignIn
) -> None:
    headers = sign_in("alice")
    card = await _order(client, headers)
    await client.post(f"/v1/me/rfid-cards/{card['id']}/block", headers=headers)
    assert (await _activate(client, headers, card["id"], UID7)).status_code == 409
    response = await client.post(f"/v1/me/rfid-cards/{card['id']}/unblock", headers=headers)
    assert response.json()["status"] == "ordered"
    assert (await _activate(client, headers, card["id"], UID7)).status_code == 200


async def test_another_drivers_token_is_not_found(client: Client, sign_in: SignIn) -> None:
    alice, bob = sign_in("alice"), sign_in("bob")
    card = await _order(client, alice)
    app_token = (await _tokens(client, alice))[0]
    for token_id in (card["id"], app_token["id"]):
        assert (await client.get(f"/v1/me/tokens/{token_id}", headers=bob)).status_code == 404
    for action in ("block", "unblock"):
        path = f"/v1/me/rfid-cards/{card['id']}/{action}"
        assert (await client.post(path, headers=bob)).status_code == 404
    assert (await _activate(client, bob, card["id"], UID7)).status_code == 404
    assert (await client.get(f"/v1/me/tokens/{card['id']}", headers=alice)).json() == card


async def test_the_app_token_is_not_an_rfid_card(client: Client, sign_in: SignIn) -> None:
    headers = sign_in("alice")
    [app_token] = await _tokens(client, headers)
    path = f"/v1/me/rfid-cards/{app_token['id']}/block"
    assert (await client.post(path, headers=headers)).status_code == 404


async def test_staff_see_a_drivers_tokens(client: Client, sign_in: SignIn) -> None:
    alice = sign_in("alice")
    await _order(client, alice)
    tokens = await _tokens(client, alice)
    driver_id = (await client.get("/v1/me", headers=alice)).json()["id"]
    support = sign_in("sue", Role.SUPPORT)
    response = await client.get(f"/v1/admin/drivers/{driver_id}/tokens", headers=support)
    assert response.status_code == 200
    assert response.json() == tokens
    missing = "/v1/admin/drivers/00000000-0000-4000-8000-000000000000/tokens"
    assert (await client.get(missing, headers=support)).status_code == 404
