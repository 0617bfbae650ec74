"""Tokens in the data export, and what account deletion does to them."""

from __future__ import annotations

from datetime import datetime

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.tokens.models import TokenRecord
from tests.app.tokens.conftest import SignIn

Client = AsyncTestClient[Litestar]
UID = "04A2249A6B5C80"


async def _card(client: Client, headers: dict[str, str]) -> str:
    card_id: str = (await client.post("/v1/me/rfid-cards", headers=headers, json={})).json()["id"]
    await client.post(
        f"/v1/me/rfid-cards/{card_id}/activate",
        headers=headers,
        json={"uid": UID, "visualNumber": "ALICE-CARD-1"},
    )
    return card_id


async def test_export_lists_every_token(client: Client, sign_in: SignIn) -> None:
    headers = sign_in("alice")
    await _card(client, headers)
    tokens = (await client.get("/v1/me/tokens", headers=headers)).json()
    export = (await client.get("/v1/me/export", headers=headers)).json()
    assert export["tokens"] == tokens
    assert [t["type"] for t in export["tokens"]] == ["APP_USER", "RFID"]


async def test_deletion_blocks_every_token_and_keeps_the_rows(
    client: Client, sign_in: SignIn, session: AsyncSession
) -> None:
    headers = sign_in("alice")
    await _card(client, headers)
    before = {t["id"]: t for t in (await client.get("/v1/me/tokens", headers=headers)).json()}
    assert (await client.delete("/v1/me", headers=headers)).status_code == 204
    rows = (await session.scalars(select(TokenRecord))).all()
    assert {str(r.id) for r in rows} == set(before)
    for row in rows:
        assert row.status == "blocked"
        assert row.valid is False
        assert row.visual_number is None
        assert row.language is None
        assert row.shipping_reference is None
        # uid and contract id stay: sessions and CDRs name the token by them.
        assert row.uid == before[str(row.id)]["uid"]
        assert row.contract_id == before[str(row.id)]["contractId"]
        assert row.last_updated > datetime.fromisoformat(before[str(row.id)]["lastUpdated"])
    # The uid stays taken: no other account can claim the erased driver's card.
    again = sign_in("carol")
    card_id = (await client.post("/v1/me/rfid-cards", headers=again, json={})).json()["id"]
    response = await client.post(
        f"/v1/me/rfid-cards/{card_id}/activate", headers=again, json={"uid": UID}
    )
    assert response.status_code == 409
