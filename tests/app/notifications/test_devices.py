"""Push device registration: one row per (driver, install), one owner per FCM token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import InvalidInputError
from app.drivers.models import Driver
from app.notifications.models import Notification, PushDevice
from app.notifications.services import MAX_DEVICES_PER_DRIVER, DeviceService
from tests.app.notifications.factories import SteppingClock, make_driver


async def _devices(session: AsyncSession) -> list[tuple[object, str, str]]:
    rows = await session.execute(
        select(PushDevice.driver_id, PushDevice.installation_id, PushDevice.fcm_token).order_by(
            PushDevice.installation_id
        )
    )
    return [tuple(row) for row in rows]


async def test_registering_twice_is_idempotent(session: AsyncSession) -> None:
    driver = await make_driver(session)
    service = DeviceService(session)
    first = await service.register(driver, "install-a", "token-1", "android", "de-DE")
    again = await service.register(driver, "install-a", "token-1", "android", "de-DE")
    await session.commit()

    assert again.id == first.id
    assert await _devices(session) == [(driver, "install-a", "token-1")]
    assert again.locale == "de-DE"


async def test_a_refreshed_token_replaces_the_old_one_of_the_install(
    session: AsyncSession,
) -> None:
    driver = await make_driver(session)
    service = DeviceService(session)
    await service.register(driver, "install-a", "token-old", "ios", None)
    await service.register(driver, "install-a", "token-new", "ios", None)
    await session.commit()

    assert await _devices(session) == [(driver, "install-a", "token-new")]


async def test_token_moves_to_the_installation_that_registers_it(session: AsyncSession) -> None:
    driver = await make_driver(session)
    service = DeviceService(session)
    await service.register(driver, "install-a", "token-1", "android", None)
    await service.register(driver, "install-b", "token-1", "android", None)
    await session.commit()

    assert await _devices(session) == [(driver, "install-b", "token-1")]


async def test_token_moves_to_another_driver_signing_in_on_the_same_phone(
    session: AsyncSession,
) -> None:
    alice = await make_driver(session)
    bob = await make_driver(session)
    service = DeviceService(session)
    await service.register(alice, "install-a", "token-1", "android", None)
    await service.register(bob, "install-a", "token-1", "android", None)
    await session.commit()

    assert await _devices(session) == [(bob, "install-a", "token-1")]


async def test_unregister_removes_only_the_callers_installation(session: AsyncSession) -> None:
    alice = await make_driver(session)
    bob = await make_driver(session)
    service = DeviceService(session)
    await service.register(alice, "install-a", "token-a", "web", None)
    await service.register(bob, "install-b", "token-b", "web", None)

    await service.unregister(bob, "install-a")  # not bob's: nothing happens, nothing leaks
    await service.unregister(alice, "install-unknown")
    assert len(await _devices(session)) == 2

    await service.unregister(alice, "install-a")
    await session.commit()
    assert await _devices(session) == [(bob, "install-b", "token-b")]


@pytest.mark.parametrize(
    ("installation_id", "token", "platform"),
    [
        ("install-a", "token-1", "windows-phone"),
        ("", "token-1", "android"),
        ("install-a", "   ", "android"),
        ("install-a", "t" * 513, "android"),
    ],
)
async def test_invalid_registrations_are_refused(
    session: AsyncSession, installation_id: str, token: str, platform: str
) -> None:
    driver = await make_driver(session)
    with pytest.raises(InvalidInputError):
        await DeviceService(session).register(driver, installation_id, token, platform, None)


async def test_registering_again_clears_a_token_error(session: AsyncSession) -> None:
    driver = await make_driver(session)
    service = DeviceService(session)
    device = await service.register(driver, "install-a", "token-1", "android", None)
    device.last_error = "INVALID_ARGUMENT: not a valid FCM registration token"
    await session.flush()

    refreshed = await service.register(driver, "install-a", "token-2", "android", None)
    assert refreshed.last_error is None


async def test_devices_beyond_the_cap_evict_the_least_recently_refreshed(
    session: AsyncSession,
) -> None:
    driver = await make_driver(session)
    service = DeviceService(session, clock=SteppingClock(timedelta(minutes=1)))
    for n in range(MAX_DEVICES_PER_DRIVER + 2):
        await service.register(driver, f"install-{n:02d}", f"token-{n}", "android", None)
    await session.commit()

    installs = {row[1] for row in await _devices(session)}
    assert len(installs) == MAX_DEVICES_PER_DRIVER
    assert "install-00" not in installs
    assert "install-01" not in installs


async def test_deleting_a_driver_deletes_devices_and_inbox(session: AsyncSession) -> None:
    driver = await make_driver(session)
    await DeviceService(session).register(driver, "install-a", "token-1", "android", None)
    session.add(
        Notification(driver_id=driver, kind="session_started", title="t", body="b", locale="en")
    )
    await session.commit()

    await session.execute(delete(Driver).where(Driver.id == driver))
    await session.commit()
    assert await session.scalar(select(func.count()).select_from(PushDevice)) == 0
    assert await session.scalar(select(func.count()).select_from(Notification)) == 0
