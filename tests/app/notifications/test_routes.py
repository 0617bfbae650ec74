"""The driver's push devices and inbox over HTTP: register, list, page, read, export, erase."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.db import sessionmaker_for
from app.core.settings import Settings
from app.identity import Role
from app.identity.dev_tokens import issue_dev_token
from app.notifications.models import Notification, PushDevice
from app.notifications.push import InboxOnlyPushSender
from app.notifications.schemas import token_fingerprint
from app.notifications.services import NotificationService
from tests.app.notifications.factories import SteppingClock

Client = AsyncTestClient[Litestar]
SignIn = Callable[[str], dict[str, str]]
Notify = Callable[[dict[str, str], int], Awaitable[list[str]]]
PHONE = {"token": "fcm-token-phone-1", "platform": "android", "locale": "de-DE"}


@pytest.fixture
def sign_in(settings: Settings) -> SignIn:
    def headers(uid: str) -> dict[str, str]:
        token = issue_dev_token(settings.secret_key, uid=uid, roles=(Role.DRIVER,))
        return {"Authorization": f"Bearer {token}"}

    return headers


@pytest.fixture
def notify(client: Client, engine: AsyncEngine) -> Notify:
    """Store ``count`` inbox entries for the signed-in driver; their ids, oldest first.

    No route creates notifications (charging sessions and payments will), so the test
    sends them through the service, as a job would.
    """
    clock = SteppingClock()

    async def send(headers: dict[str, str], count: int) -> list[str]:
        driver_id = uuid.UUID((await client.get("/v1/me", headers=headers)).json()["id"])
        async with sessionmaker_for(engine)() as session, session.begin():
            service = NotificationService(session, InboxOnlyPushSender(), clock=clock)
            return [
                str(
                    (
                        await service.notify(
                            driver_id, "session_started", {"station_name": f"S{i}"}
                        )
                    ).notification.id
                )
                for i in range(count)
            ]

    return send


async def _devices(client: Client, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get("/v1/me/devices", headers=headers)
    assert response.status_code == 200, response.text
    devices: list[dict[str, Any]] = response.json()
    return devices


# -- devices ---------------------------------------------------------------------------


async def test_register_refresh_and_unregister_a_device(client: Client, sign_in: SignIn) -> None:
    alice = sign_in("alice")
    created = await client.put("/v1/me/devices/phone", headers=alice, json=PHONE)
    assert created.status_code == 200, created.text
    device = created.json()
    assert device["installationId"] == "phone"
    assert (device["platform"], device["locale"], device["pushEnabled"]) == (
        "android",
        "de-DE",
        True,
    )
    assert device["tokenFingerprint"] == token_fingerprint(PHONE["token"])

    # The same registration again changes nothing but the refresh time.
    again = (await client.put("/v1/me/devices/phone", headers=alice, json=PHONE)).json()
    assert again["registeredAt"] == device["registeredAt"]
    assert again["tokenFingerprint"] == device["tokenFingerprint"]
    assert len(await _devices(client, alice)) == 1

    # FCM handed the app a new token: the install keeps one row with the new token.
    fresh = {"token": "fcm-token-phone-2", "platform": "android"}
    refreshed = (await client.put("/v1/me/devices/phone", headers=alice, json=fresh)).json()
    assert refreshed["tokenFingerprint"] == token_fingerprint("fcm-token-phone-2")
    assert refreshed["locale"] is None
    assert [d["installationId"] for d in await _devices(client, alice)] == ["phone"]

    assert (await client.delete("/v1/me/devices/phone", headers=alice)).status_code == 204
    assert await _devices(client, alice) == []
    # Unregistering again (sign-out twice, an unknown install) is no error.
    assert (await client.delete("/v1/me/devices/phone", headers=alice)).status_code == 204
    assert (await client.delete("/v1/me/devices/never-seen", headers=alice)).status_code == 204


async def test_a_token_moves_to_the_install_that_registers_it(
    client: Client, sign_in: SignIn, session: AsyncSession
) -> None:
    alice, bob = sign_in("alice"), sign_in("bob")
    await client.put("/v1/me/devices/phone", headers=alice, json=PHONE)
    await client.put("/v1/me/devices/tablet", headers=alice, json={**PHONE, "token": "t-2"})

    # Restored on another install of Alice's: the token leaves the phone.
    await client.put("/v1/me/devices/new-phone", headers=alice, json=PHONE)
    assert {d["installationId"] for d in await _devices(client, alice)} == {
        "tablet",
        "new-phone",
    }

    # The phone handed on to Bob, who signs in: the token is Bob's now.
    await client.put("/v1/me/devices/new-phone", headers=bob, json=PHONE)
    assert [d["installationId"] for d in await _devices(client, alice)] == ["tablet"]
    assert [d["installationId"] for d in await _devices(client, bob)] == ["new-phone"]
    owners = (await session.execute(select(PushDevice.fcm_token))).scalars().all()
    assert sorted(owners) == sorted([PHONE["token"], "t-2"])


async def test_listing_never_shows_a_token(client: Client, sign_in: SignIn) -> None:
    alice = sign_in("alice")
    token = "dXJ0b2tlbg:APA91bSecretSecretSecretSecret"
    body = {"token": token, "platform": "ios", "locale": "en"}
    registered = await client.put("/v1/me/devices/phone", headers=alice, json=body)
    listed = await client.get("/v1/me/devices", headers=alice)
    for response in (registered, listed):
        assert token not in response.text
        assert "APA91b" not in response.text
        assert 'token"' not in response.text
    [device] = listed.json()
    assert set(device) == {
        "installationId",
        "platform",
        "locale",
        "tokenFingerprint",
        "registeredAt",
        "updatedAt",
        "pushEnabled",
    }
    assert len(device["tokenFingerprint"]) == 12


async def test_a_driver_lists_only_their_own_devices(client: Client, sign_in: SignIn) -> None:
    alice, bob = sign_in("alice"), sign_in("bob")
    await client.put("/v1/me/devices/phone", headers=alice, json=PHONE)
    # The same install id under another account is another row; Alice's stays.
    await client.put("/v1/me/devices/phone", headers=bob, json={**PHONE, "token": "bob-t"})
    assert (await client.delete("/v1/me/devices/phone", headers=bob)).status_code == 204
    [device] = await _devices(client, alice)
    assert device["tokenFingerprint"] == token_fingerprint(PHONE["token"])
    assert await _devices(client, bob) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**PHONE, "platform": "windows"}, "platform"),
        ({**PHONE, "token": ""}, "token"),
        ({**PHONE, "token": "   "}, "token"),
        ({**PHONE, "token": "x" * 513}, "token"),
        ({"platform": "android"}, "token"),
        ({**PHONE, "locale": "x" * 36}, "locale"),
        ({**PHONE, "installationId": "other"}, "installationId"),
    ],
    ids=[
        "bad-platform",
        "empty-token",
        "blank-token",
        "long-token",
        "no-token",
        "long-locale",
        "unknown-field",
    ],
)
async def test_bad_registrations_are_problem_details(
    client: Client, sign_in: SignIn, body: dict[str, Any], field: str
) -> None:
    response = await client.put("/v1/me/devices/phone", headers=sign_in("alice"), json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400
    # Missing and unknown fields are reported on the body ("data"), named in the message.
    named = [(e["field"], e["message"]) for e in problem["errors"]]
    assert any(field in (name, message) or f"`{field}`" in message for name, message in named)
    assert await _devices(client, sign_in("alice")) == []


async def test_an_overlong_installation_id_is_a_problem(client: Client, sign_in: SignIn) -> None:
    url = "/v1/me/devices/" + "i" * 129
    alice = sign_in("alice")
    for response in (
        await client.put(url, headers=alice, json=PHONE),
        await client.delete(url, headers=alice),
    ):
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["field"] == "installationId"


# -- inbox -----------------------------------------------------------------------------


async def test_inbox_pages_newest_first_with_next_cursor(
    client: Client, sign_in: SignIn, notify: Notify
) -> None:
    alice = sign_in("alice")
    ids = await notify(alice, 7)
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 3}
    pages = 0
    while True:
        response = await client.get("/v1/me/notifications", headers=alice, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        assert len(page["items"]) <= 3
        seen += [item["id"] for item in page["items"]]
        if page["nextCursor"] is None:
            break
        params = {"limit": 3, "cursor": page["nextCursor"]}
    assert pages == 3
    assert seen == list(reversed(ids))

    first = (await client.get("/v1/me/notifications", headers=alice)).json()
    assert first["nextCursor"] is None
    item = first["items"][0]
    assert (item["kind"], item["locale"], item["readAt"]) == ("session_started", "en", None)
    assert item["data"] == {"station_name": "S6"}
    assert "S6" in item["body"] or "S6" in item["title"]


async def test_unread_count_and_marking_read(
    client: Client, sign_in: SignIn, notify: Notify
) -> None:
    alice = sign_in("alice")
    url = "/v1/me/notifications/unread-count"
    assert (await client.get(url, headers=alice)).json() == {"unread": 0}
    first, second, third = await notify(alice, 3)
    assert (await client.get(url, headers=alice)).json() == {"unread": 3}

    read = await client.post(f"/v1/me/notifications/{second}/read", headers=alice)
    assert read.status_code == 200, read.text
    read_at = read.json()["readAt"]
    assert read_at is not None and read.json()["id"] == second
    # Reading again keeps the first read time.
    again = await client.post(f"/v1/me/notifications/{second}/read", headers=alice)
    assert again.json()["readAt"] == read_at
    assert (await client.get(url, headers=alice)).json() == {"unread": 2}

    marked = await client.post("/v1/me/notifications/read-all", headers=alice)
    assert marked.status_code == 200, marked.text
    assert marked.json() == {"marked": 2}
    assert (await client.get(url, headers=alice)).json() == {"unread": 0}
    assert (await client.post("/v1/me/notifications/read-all", headers=alice)).json() == {
        "marked": 0
    }
    items = (await client.get("/v1/me/notifications", headers=alice)).json()["items"]
    assert [i["id"] for i in items] == [third, second, first]
    assert all(i["readAt"] is not None for i in items)
    assert next(i for i in items if i["id"] == second)["readAt"] == read_at


async def test_another_drivers_notification_is_not_found(
    client: Client, sign_in: SignIn, notify: Notify
) -> None:
    alice, bob = sign_in("alice"), sign_in("bob")
    [alices] = await notify(alice, 1)
    await notify(bob, 2)
    for notification_id in (alices, str(uuid.uuid4())):
        response = await client.post(f"/v1/me/notifications/{notification_id}/read", headers=bob)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
    # Bob's "read all" and Bob's inbox never touch Alice's entry.
    assert (await client.post("/v1/me/notifications/read-all", headers=bob)).json() == {"marked": 2}
    bobs = (await client.get("/v1/me/notifications", headers=bob)).json()["items"]
    assert alices not in {item["id"] for item in bobs}
    unread = await client.get("/v1/me/notifications/unread-count", headers=alice)
    assert unread.json() == {"unread": 1}


async def test_another_drivers_cursor_is_refused(
    client: Client, sign_in: SignIn, notify: Notify
) -> None:
    alice, bob = sign_in("alice"), sign_in("bob")
    await notify(alice, 3)
    page = (await client.get("/v1/me/notifications?limit=1", headers=alice)).json()
    response = await client.get(
        "/v1/me/notifications", headers=bob, params={"cursor": page["nextCursor"]}
    )
    assert response.status_code == 400
    assert response.json()["type"].endswith("/invalid-cursor")


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"limit": 0}, "invalid-input"),
        ({"limit": 101}, "invalid-input"),
        ({"limit": "ten"}, "invalid-input"),
        ({"cursor": "garbage"}, "invalid-cursor"),
        ({"cursor": "not base64!"}, "invalid-cursor"),
        ({"cursor": "A" * 513}, "invalid-input"),
    ],
    ids=["limit-0", "limit-101", "limit-text", "garbage-cursor", "odd-cursor", "long-cursor"],
)
async def test_bad_inbox_queries_are_problem_details(
    client: Client, sign_in: SignIn, params: dict[str, Any], problem: str
) -> None:
    response = await client.get("/v1/me/notifications", headers=sign_in("alice"), params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith("/" + problem)
    if problem == "invalid-input":
        assert [e["field"] for e in body["errors"]] == [next(iter(params))]


async def test_a_path_that_is_no_notification_id_is_not_found(
    client: Client, sign_in: SignIn
) -> None:
    response = await client.post("/v1/me/notifications/123/read", headers=sign_in("alice"))
    assert response.status_code == 404


async def test_routes_need_a_driver(client: Client, settings: Settings) -> None:
    finance = issue_dev_token(settings.secret_key, uid="f", roles=(Role.FINANCE,))
    for headers, status in (({}, 401), ({"Authorization": f"Bearer {finance}"}, 403)):
        assert (await client.get("/v1/me/devices", headers=headers)).status_code == status
        put = await client.put("/v1/me/devices/phone", headers=headers, json=PHONE)
        assert put.status_code == status
        assert (await client.get("/v1/me/notifications", headers=headers)).status_code == status


# -- export and erasure ----------------------------------------------------------------


async def test_export_has_devices_by_fingerprint_and_the_inbox(
    client: Client, sign_in: SignIn, notify: Notify
) -> None:
    alice = sign_in("alice")
    await client.put("/v1/me/devices/phone", headers=alice, json=PHONE)
    ids = await notify(alice, 2)
    await notify(sign_in("bob"), 1)
    response = await client.get("/v1/me/export", headers=alice)
    assert response.status_code == 200, response.text
    assert PHONE["token"] not in response.text
    export = response.json()
    [device] = export["devices"]
    assert device["installationId"] == "phone"
    assert device["tokenFingerprint"] == token_fingerprint(PHONE["token"])
    assert [n["id"] for n in export["notifications"]] == list(reversed(ids))


async def test_account_deletion_removes_devices_and_inbox(
    client: Client, sign_in: SignIn, notify: Notify, session: AsyncSession
) -> None:
    alice, bob = sign_in("alice"), sign_in("bob")
    await client.put("/v1/me/devices/phone", headers=alice, json=PHONE)
    await notify(alice, 2)
    await client.put("/v1/me/devices/bob-phone", headers=bob, json={**PHONE, "token": "bob-t"})
    [bobs] = await notify(bob, 1)

    assert (await client.delete("/v1/me", headers=alice)).status_code == 204

    # The driver row is kept (anonymised), so no cascade fires: erasure deleted them.
    devices = (await session.execute(select(PushDevice.installation_id))).scalars().all()
    assert devices == ["bob-phone"]
    remaining = (await session.execute(select(Notification.id))).scalars().all()
    assert [str(n) for n in remaining] == [bobs]
    assert await session.scalar(select(func.count()).select_from(Notification)) == 1
