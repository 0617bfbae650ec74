"""Data export and account deletion: everything out, then personal data erased."""

from __future__ import annotations

import time

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.drivers.models import Driver, FavouriteStation, Vehicle
from app.identity import Role
from app.stations.projection import station_public_id
from tests.app.drivers.conftest import SignIn
from tests.app.stations.builders import Seeder, Site

Client = AsyncTestClient[Litestar]


async def _fill_account(client: Client, headers: dict[str, str], seed_sites: Seeder) -> str:
    await seed_sites([Site("fav", 52.52, 13.41)])
    await client.patch(
        "/v1/me", headers=headers, json={"name": "Alice", "vatId": "DE123456789", "country": "DE"}
    )
    await client.post("/v1/me/vehicles", headers=headers, json={"make": "VW", "model": "ID.3"})
    await client.put(f"/v1/me/favourites/{station_public_id('DE', 'TST', 'fav')}", headers=headers)
    driver_id: str = (await client.get("/v1/me", headers=headers)).json()["id"]
    return driver_id


async def test_export_is_a_json_download_of_every_section(
    client: Client, sign_in: SignIn, seed_sites: Seeder
) -> None:
    headers = sign_in("alice", email="alice@example.org")
    driver_id = await _fill_account(client, headers, seed_sites)
    response = await client.get("/v1/me/export", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        f'attachment; filename="emsp-driver-{driver_id}.json"'
    )
    export = response.json()
    assert export["formatVersion"] == 1
    assert export["profile"]["vatId"] == "DE123456789"
    assert export["profile"]["email"] == "alice@example.org"
    assert [v["model"] for v in export["vehicles"]] == ["ID.3"]
    assert len(export["favourites"]) == 1


async def test_deletion_erases_personal_data_and_keeps_the_anonymous_id(
    client: Client, sign_in: SignIn, seed_sites: Seeder, session: AsyncSession
) -> None:
    headers = sign_in("alice", email="alice@example.org")
    driver_id = await _fill_account(client, headers, seed_sites)

    assert (await client.delete("/v1/me", headers=headers)).status_code == 204
    # A retried request is harmless and creates nothing. Deletion revoked the sessions
    # with whole-second precision (as Firebase does), so the same token is refused (401)
    # unless the retry falls within the second it was issued in (204): both are right.
    assert (await client.delete("/v1/me", headers=headers)).status_code in {204, 401}

    drivers = (await session.scalars(select(Driver))).all()
    assert len(drivers) == 1
    erased = drivers[0]
    assert str(erased.id) == driver_id
    assert erased.deleted_at is not None
    assert erased.firebase_uid == f"erased:{erased.id}"
    personal = (erased.name, erased.email, erased.vat_id, erased.billing_line1, erased.country)
    assert personal == (None, None, None, None, None)
    for model in (Vehicle, FavouriteStation):
        assert await session.scalar(select(func.count()).select_from(model)) == 0

    # Support still finds the anonymous account (financial records point at it).
    staff = sign_in("ops", Role.SUPPORT)
    view = (await client.get(f"/v1/admin/drivers/{driver_id}", headers=staff)).json()
    assert view["identityUid"] is None
    assert view["deletedAt"] is not None
    assert view["profile"]["email"] is None


async def test_deleted_dev_sessions_cannot_export(client: Client, sign_in: SignIn) -> None:
    # Issued a few seconds ago: revocation, as Firebase's, counts whole seconds.
    headers = sign_in("alice", now=time.time() - 5)
    assert (await client.delete("/v1/me", headers=headers)).status_code == 204
    # The dev verifier revoked the uid's sessions, as Firebase does in production.
    assert (await client.get("/v1/me/export", headers=headers)).status_code == 401


async def test_admin_view_needs_a_staff_role(client: Client, sign_in: SignIn) -> None:
    driver_id = (await client.get("/v1/me", headers=sign_in("alice"))).json()["id"]
    url = f"/v1/admin/drivers/{driver_id}"
    assert (await client.get(url, headers=sign_in("alice"))).status_code == 403
    assert (await client.get(url, headers=sign_in("fin", Role.FINANCE))).status_code == 403
    assert (await client.get(url, headers=sign_in("root", Role.ADMIN))).status_code == 200
