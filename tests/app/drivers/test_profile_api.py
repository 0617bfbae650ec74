"""The driver's profile: created on first sign-in, changed with validated fields."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.drivers.models import Driver
from tests.app.drivers.conftest import SignIn

Client = AsyncTestClient[Litestar]


async def test_profile_is_created_on_first_sign_in_once(
    client: Client, sign_in: SignIn, session: AsyncSession
) -> None:
    headers = sign_in("alice", email="alice@example.org", name="Alice")
    first = await client.get("/v1/me", headers=headers)
    second = await client.get("/v1/me", headers=headers)
    assert first.status_code == second.status_code == 200
    body = first.json()
    assert body["id"] == second.json()["id"]
    assert (body["email"], body["name"], body["locale"], body["currency"]) == (
        "alice@example.org",
        "Alice",
        "en",
        "EUR",
    )
    assert body["marketingConsent"] is False
    assert body["marketingConsentAt"] is None
    count = await session.scalar(select(func.count()).select_from(Driver))
    assert count == 1


async def test_update_normalises_codes_and_records_consent_times(
    client: Client, sign_in: SignIn
) -> None:
    headers = sign_in("alice")
    response = await client.patch(
        "/v1/me",
        headers=headers,
        json={
            "locale": "ZH-hant-tw",
            "currency": "CHF",
            "country": "CH",
            "vatId": "che-123.456.789 mwst",
            "billingAddress": {
                "line1": "Bahnhofstrasse 1",
                "postalCode": "8001",
                "city": "Zürich",
                "country": "CH",
            },
            "marketingConsent": True,
            "termsVersion": "2026-01",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["locale"] == "zh-Hant-TW"
    assert body["vatId"] == "CHE123456789MWST"
    assert body["billingAddress"]["city"] == "Zürich"
    assert body["marketingConsentAt"] is not None
    assert body["termsAcceptedAt"] is not None
    consented_at = body["marketingConsentAt"]

    # Sending the same consent again does not move its timestamp; withdrawing does.
    again = (await client.patch("/v1/me", headers=headers, json={"marketingConsent": True})).json()
    assert again["marketingConsentAt"] == consented_at
    withdrawn = await client.patch("/v1/me", headers=headers, json={"marketingConsent": False})
    assert withdrawn.json()["marketingConsent"] is False
    assert withdrawn.json()["marketingConsentAt"] >= consented_at

    cleared = await client.patch("/v1/me", headers=headers, json={"vatId": None})
    assert cleared.json()["vatId"] is None
    assert cleared.json()["currency"] == "CHF"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"currency": "XAU"}, "currency"),
        ({"currency": "euro"}, "currency"),
        ({"country": "XX"}, "country"),
        ({"locale": "english please"}, "locale"),
        ({"vatId": "DE12345"}, "vatId"),
        (
            {"billingAddress": {"line1": "a", "postalCode": "1", "city": "b", "country": "ZZ"}},
            "billingAddress.country",
        ),
    ],
)
async def test_invalid_profile_changes_are_problem_details_naming_the_field(
    client: Client, sign_in: SignIn, change: dict[str, object], field: str
) -> None:
    headers = sign_in("alice")
    response = await client.patch("/v1/me", headers=headers, json=change)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = [error["field"] for error in response.json()["errors"]]
    assert any(f.endswith(field) for f in fields), fields
    # Nothing of a refused change is kept.
    assert (await client.get("/v1/me", headers=headers)).json()["currency"] == "EUR"


async def test_unknown_profile_fields_are_refused(client: Client, sign_in: SignIn) -> None:
    response = await client.patch("/v1/me", headers=sign_in("alice"), json={"isAdmin": True})
    assert response.status_code == 400
