"""Authorisation proof over every operation of the app's OpenAPI document.

Each operation must be classified below, or the first test fails: adding a route
means deciding who may call it. Then, for every operation:

- without a token: 401 problem details (except the public routes listed here);
- with a signed-in identity that lacks the route's role: 403;
- with driver B's token and driver A's ids: 404 for A's resources, and afterwards A's
  profile, vehicles, favourites, devices and inbox are exactly as before, while nothing
  B receives carries A's data.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db import sessionmaker_for
from app.core.settings import Settings
from app.identity import Role
from app.identity.dev_tokens import issue_dev_token
from app.main import create_app
from app.notifications.push import InboxOnlyPushSender
from app.notifications.schemas import token_fingerprint
from app.notifications.services import NotificationService
from app.stations.ingest import upsert_locations
from app.stations.projection import station_public_id
from tests.app.stations.builders import Seeder, Site, build_location

Client = AsyncTestClient[Litestar]


@dataclass(frozen=True)
class Public:
    """Anyone may call it (a bearer token, if sent, must still be valid)."""


@dataclass(frozen=True)
class OwnAccount:
    """Acts on the caller's own account only; ids in its path are public (stations) or
    name the caller's own rows (an app install id: another driver's is a different row)."""

    json: dict[str, Any] | None = None


@dataclass(frozen=True)
class DriverResource:
    """Its path names a resource owned by one driver: any other driver gets 404."""

    json: dict[str, Any] | None = None


@dataclass(frozen=True)
class Staff:
    roles: frozenset[Role] = field(default_factory=frozenset)


VEHICLE = {"make": "VW", "model": "ID.3", "pcid": "hubUsEaTest000003"}
DEVICE = {"token": "bob-fcm-token", "platform": "android", "locale": "de-DE"}
CLASSIFICATION: dict[tuple[str, str], Public | OwnAccount | DriverResource | Staff] = {
    ("GET", "/health/live"): Public(),
    ("GET", "/health/ready"): Public(),
    ("GET", "/v1/stations"): Public(),
    ("GET", "/v1/stations/{station_id}"): Public(),
    ("POST", "/v1/dev/tokens"): Public(),
    ("GET", "/v1/me"): OwnAccount(),
    ("PATCH", "/v1/me"): OwnAccount(json={"name": "Bob", "vatId": "DE999999999"}),
    ("GET", "/v1/me/export"): OwnAccount(),
    ("GET", "/v1/me/vehicles"): OwnAccount(),
    ("POST", "/v1/me/vehicles"): OwnAccount(json=VEHICLE),
    ("GET", "/v1/me/vehicles/{vehicle_id}"): DriverResource(),
    ("PATCH", "/v1/me/vehicles/{vehicle_id}"): DriverResource(json={"model": "taken"}),
    ("DELETE", "/v1/me/vehicles/{vehicle_id}"): DriverResource(),
    ("GET", "/v1/me/favourites"): OwnAccount(),
    ("PUT", "/v1/me/favourites/{station_id}"): OwnAccount(),
    ("DELETE", "/v1/me/favourites/{station_id}"): OwnAccount(),
    ("GET", "/v1/me/devices"): OwnAccount(),
    ("PUT", "/v1/me/devices/{installation_id}"): OwnAccount(json=DEVICE),
    ("DELETE", "/v1/me/devices/{installation_id}"): OwnAccount(),
    ("GET", "/v1/me/notifications"): OwnAccount(),
    ("GET", "/v1/me/notifications/unread-count"): OwnAccount(),
    ("POST", "/v1/me/notifications/{notification_id}/read"): DriverResource(),
    ("POST", "/v1/me/notifications/read-all"): OwnAccount(),
    ("GET", "/v1/me/tokens"): OwnAccount(),
    ("GET", "/v1/me/tokens/{token_id}"): DriverResource(),
    ("POST", "/v1/me/rfid-cards"): OwnAccount(json={}),
    ("POST", "/v1/me/rfid-cards/{token_id}/activate"): DriverResource(json={"uid": "B0B00001"}),
    ("POST", "/v1/me/rfid-cards/{token_id}/block"): DriverResource(),
    ("POST", "/v1/me/rfid-cards/{token_id}/unblock"): DriverResource(),
    ("GET", "/v1/admin/drivers/{driver_id}"): Staff(frozenset({Role.SUPPORT, Role.ADMIN})),
    ("GET", "/v1/admin/drivers/{driver_id}/tokens"): Staff(frozenset({Role.SUPPORT, Role.ADMIN})),
    # Last: driver B erases B's own account.
    ("DELETE", "/v1/me"): OwnAccount(),
}


def _operations(app: Litestar) -> list[tuple[str, str]]:
    paths = app.openapi_schema.to_schema()["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item]


def _fill(path: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    return path


def _headers(settings: Settings, uid: str, roles: tuple[Role, ...]) -> dict[str, str]:
    token = issue_dev_token(settings.secret_key, uid=uid, roles=roles)
    return {"Authorization": f"Bearer {token}"}


def test_every_operation_is_classified(settings: Settings) -> None:
    operations = _operations(create_app(settings))
    unclassified = sorted(set(operations) - set(CLASSIFICATION))
    assert not unclassified, f"classify these routes in {__name__}: {unclassified}"
    stale = sorted(set(CLASSIFICATION) - set(operations))
    assert not stale, f"these classified routes no longer exist: {stale}"


GUARDED = [op for op, kind in CLASSIFICATION.items() if not isinstance(kind, Public)]
RANDOM_IDS = {
    "vehicle_id": str(uuid.uuid4()),
    "station_id": str(uuid.uuid4()),
    "driver_id": str(uuid.uuid4()),
    "installation_id": f"install-{uuid.uuid4()}",
    "notification_id": str(uuid.uuid4()),
    "token_id": str(uuid.uuid4()),
}


async def _call(
    client: Client,
    op: tuple[str, str],
    ids: dict[str, str],
    headers: dict[str, str],
    json: dict[str, Any] | None = None,
) -> Any:
    method, path = op
    return await client.request(method, _fill(path, ids), headers=headers, json=json)


async def test_unauthenticated_calls_get_401_problem_details(client: Client) -> None:
    for op in GUARDED:
        kind = CLASSIFICATION[op]
        response = await _call(client, op, RANDOM_IDS, {}, getattr(kind, "json", None))
        assert response.status_code == 401, op
        assert response.headers["content-type"].startswith("application/problem+json"), op
        assert response.json()["status"] == 401


async def test_identities_without_the_role_get_403(client: Client, settings: Settings) -> None:
    roleless = _headers(settings, "nobody", ())
    driver = _headers(settings, "driver", (Role.DRIVER,))
    finance = _headers(settings, "finance", (Role.FINANCE,))
    for op in GUARDED:
        kind = CLASSIFICATION[op]
        json = getattr(kind, "json", None)
        wrong = [roleless, finance] + ([driver] if isinstance(kind, Staff) else [])
        for headers in wrong:
            response = await _call(client, op, RANDOM_IDS, headers, json)
            assert response.status_code == 403, op
            assert response.json()["type"].endswith("/forbidden"), op


async def _snapshot(client: Client, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "profile": (await client.get("/v1/me", headers=headers)).json(),
        "vehicles": (await client.get("/v1/me/vehicles", headers=headers)).json(),
        "favourites": (await client.get("/v1/me/favourites", headers=headers)).json(),
        "devices": (await client.get("/v1/me/devices", headers=headers)).json(),
        "notifications": (await client.get("/v1/me/notifications", headers=headers)).json(),
        "unread": (await client.get("/v1/me/notifications/unread-count", headers=headers)).json(),
        "tokens": (await client.get("/v1/me/tokens", headers=headers)).json(),
    }


async def test_no_driver_reads_or_changes_another_drivers_data(
    client: Client, settings: Settings, seed_sites: Seeder, engine: AsyncEngine
) -> None:
    await seed_sites([Site("shared", 52.52, 13.41)])
    station = str(station_public_id("DE", "TST", "shared"))
    alice = _headers(settings, "alice", (Role.DRIVER,))
    bob = _headers(settings, "bob", (Role.DRIVER,))
    await client.patch(
        "/v1/me", headers=alice, json={"name": "Alice Secret", "vatId": "DE123456789"}
    )
    vehicle = (await client.post("/v1/me/vehicles", headers=alice, json=VEHICLE)).json()
    await client.put(f"/v1/me/favourites/{station}", headers=alice)
    card = (await client.post("/v1/me/rfid-cards", headers=alice, json={})).json()
    await client.post(
        f"/v1/me/rfid-cards/{card['id']}/activate",
        headers=alice,
        json={"uid": "A11CE001", "visualNumber": "ALICE-CARD-7"},
    )
    alice_device = {"token": "alice-fcm-token", "platform": "ios", "locale": "en-GB"}
    await client.put("/v1/me/devices/alice-phone", headers=alice, json=alice_device)
    profile = (await client.get("/v1/me", headers=alice)).json()
    notification = await _seed_notification(engine, uuid.UUID(profile["id"]))
    before = await _snapshot(client, alice)
    assert before["unread"] == {"unread": 1}
    assert [d["installationId"] for d in before["devices"]] == ["alice-phone"]
    alice_ids = {
        "vehicle_id": vehicle["id"],
        "station_id": station,
        "driver_id": before["profile"]["id"],
        "installation_id": "alice-phone",
        "notification_id": notification,
        "token_id": card["id"],
    }
    secrets = [
        before["profile"]["id"],
        "Alice Secret",
        "DE123456789",
        vehicle["id"],
        notification,
        "Secret Garage",
        "alice-fcm-token",
        token_fingerprint("alice-fcm-token"),
        card["id"],
        card["contractId"],
        "A11CE001",
        "ALICE-CARD-7",
    ]

    for op, kind in CLASSIFICATION.items():
        if isinstance(kind, Public | Staff):
            continue
        response = await _call(client, op, alice_ids, bob, kind.json)
        if isinstance(kind, DriverResource):
            assert response.status_code == 404, op
            assert response.headers["content-type"].startswith("application/problem+json")
        else:
            assert response.status_code < 300, (op, response.text)
        # An id B sent may be echoed back (problem ``instance``); nothing else of A's.
        sent = _fill(op[1], alice_ids)
        leaked = [s for s in secrets if s in response.text and s not in sent]
        assert not leaked, (op, leaked)

    assert await _snapshot(client, alice) == before


async def _seed_notification(engine: AsyncEngine, driver_id: uuid.UUID) -> str:
    # No route creates notifications (sessions and payments do): seed through the service.
    async with sessionmaker_for(engine)() as session, session.begin():
        service = NotificationService(session, InboxOnlyPushSender())
        result = await service.notify(
            driver_id, "session_started", {"station_name": "Secret Garage"}
        )
        return str(result.notification.id)


@pytest.fixture
def seed_sites(engine: AsyncEngine) -> Seeder:
    async def seed(sites: Sequence[Site]) -> None:
        async with sessionmaker_for(engine)() as session, session.begin():
            await upsert_locations(session, [build_location(s) for s in sites], source="test")

    return seed
