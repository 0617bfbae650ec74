"""Sending: the inbox entry is always kept, pushes go to every device through FCM."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFoundError
from app.notifications.models import Notification, PushDevice
from app.notifications.push import (
    FcmPushSender,
    InboxOnlyPushSender,
    PushMessage,
    PushOutcome,
    PushStatus,
)
from app.notifications.services import DeviceService, NotificationService
from app.notifications.templates import MissingTemplateParameterError
from tests.app.notifications.factories import make_driver
from tests.app.notifications.fcm_server import LocalFcmServer

COMPLETED = {"station_name": "Hbf", "energy_wh": 23_456, "cost_minor": 123_456, "currency": "EUR"}


async def _inbox_size(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Notification)) or 0)


async def _device(session: AsyncSession, installation_id: str) -> PushDevice | None:
    return await session.scalar(
        select(PushDevice).where(PushDevice.installation_id == installation_id)
    )


async def test_inbox_only_mode_stores_the_notification(session: AsyncSession) -> None:
    driver = await make_driver(session, locale="de-AT")
    await DeviceService(session).register(driver, "install-a", "device-ok-a", "android", None)
    service = NotificationService(session, InboxOnlyPushSender())

    result = await service.notify(driver, "session_completed", COMPLETED)
    await session.commit()

    assert result.deliveries == []
    stored = result.notification
    assert stored.locale == "de"  # the driver's profile language, region dropped
    assert stored.body == "Du hast an Hbf 23,46 kWh geladen. Gesamt: 1.234,56 €."
    assert stored.data == COMPLETED
    assert stored.read_at is None
    assert await _inbox_size(session) == 1


async def test_each_device_gets_the_push_in_its_own_language(
    session: AsyncSession, fcm_sender: FcmPushSender, fcm_server: LocalFcmServer
) -> None:
    driver = await make_driver(session, locale="en")
    devices = DeviceService(session)
    await devices.register(driver, "install-de", "device-ok-de", "android", "de-CH")
    await devices.register(driver, "install-en", "device-ok-en", "ios", "en-GB")

    result = await NotificationService(session, fcm_sender).notify(
        driver, "session_completed", COMPLETED
    )
    await session.commit()

    assert {d.installation_id: d.outcome.status for d in result.deliveries} == {
        "install-de": PushStatus.DELIVERED,
        "install-en": PushStatus.DELIVERED,
    }
    sent = {r.body["message"]["token"]: r.body["message"] for r in fcm_server.requests[-2:]}
    assert sent["device-ok-de"]["notification"]["title"] == "Ladevorgang abgeschlossen"
    assert sent["device-ok-en"]["notification"]["body"] == (
        "You charged 23.46 kWh at Hbf. Total: €1,234.56."
    )
    data = sent["device-ok-de"]["data"]
    assert data["notificationId"] == str(result.notification.id)
    assert data["kind"] == "session_completed"
    assert data["energy_wh"] == "23456"  # FCM data values are strings


async def test_explicit_locale_wins_for_inbox_and_push(
    session: AsyncSession, fcm_sender: FcmPushSender, fcm_server: LocalFcmServer
) -> None:
    driver = await make_driver(session, locale="en")
    await DeviceService(session).register(driver, "install-a", "device-ok-x", "android", "en")

    result = await NotificationService(session, fcm_sender).notify(
        driver, "session_started", {"station_name": "Hbf"}, locale="de"
    )

    assert result.notification.title == "Ladevorgang gestartet"
    assert fcm_server.requests[-1].body["message"]["notification"]["title"] == (
        "Ladevorgang gestartet"
    )


async def test_unregistered_token_deletes_the_device_and_keeps_the_inbox(
    session: AsyncSession, fcm_sender: FcmPushSender
) -> None:
    driver = await make_driver(session)
    devices = DeviceService(session)
    await devices.register(driver, "install-gone", "unregistered-1", "android", None)
    await devices.register(driver, "install-ok", "device-ok-1", "ios", None)

    result = await NotificationService(session, fcm_sender).notify(
        driver, "session_started", {"station_name": "Hbf"}
    )
    await session.commit()

    statuses = {d.installation_id: d.outcome.status for d in result.deliveries}
    assert statuses == {
        "install-gone": PushStatus.TOKEN_UNREGISTERED,
        "install-ok": PushStatus.DELIVERED,
    }
    assert await _device(session, "install-gone") is None
    assert await _device(session, "install-ok") is not None
    assert await _inbox_size(session) == 1


async def test_invalid_token_marks_the_device_and_it_is_skipped_until_reregistered(
    session: AsyncSession, fcm_sender: FcmPushSender, fcm_server: LocalFcmServer
) -> None:
    driver = await make_driver(session)
    devices = DeviceService(session)
    await devices.register(driver, "install-a", "malformed-1", "android", None)
    service = NotificationService(session, fcm_sender)

    first = await service.notify(driver, "session_started", {"station_name": "Hbf"})
    assert first.deliveries[0].outcome.status is PushStatus.TOKEN_INVALID
    device = await _device(session, "install-a")
    assert device is not None
    assert device.last_error is not None
    assert device.last_error.startswith("INVALID_ARGUMENT")

    sent_before = len(fcm_server.requests)
    second = await service.notify(driver, "session_stopped", {"station_name": "Hbf"})
    assert second.deliveries == []
    assert len(fcm_server.requests) == sent_before

    await devices.register(driver, "install-a", "device-ok-fresh", "android", None)
    third = await service.notify(driver, "session_stopped", {"station_name": "Hbf"})
    assert third.deliveries[0].outcome.status is PushStatus.DELIVERED
    assert await _inbox_size(session) == 3


async def test_transient_failures_are_reported_and_retried_for_those_devices_only(
    session: AsyncSession, fcm_sender: FcmPushSender, fcm_server: LocalFcmServer
) -> None:
    driver = await make_driver(session)
    devices = DeviceService(session)
    await devices.register(driver, "install-429", "throttled-1", "android", None)
    await devices.register(driver, "install-503", "unavailable-1", "ios", None)
    await devices.register(driver, "install-ok", "device-ok-2", "web", None)
    service = NotificationService(session, fcm_sender)

    result = await service.notify(
        driver, "payment_failed", {"amount_minor": 999, "currency": "EUR"}
    )
    await session.commit()

    assert {d.installation_id for d in result.retryable} == {"install-429", "install-503"}
    assert result.retry_after_s == 30
    assert await _device(session, "install-429") is not None  # transient: kept, not marked
    assert await _inbox_size(session) == 1

    sent_before = len(fcm_server.requests)
    retried = await service.push(
        result.notification, device_ids=[d.device_id for d in result.retryable]
    )
    assert {d.installation_id for d in retried} == {"install-429", "install-503"}
    assert len(fcm_server.requests) == sent_before + 2
    assert await _inbox_size(session) == 1  # a retry never adds an inbox entry


class _BrokenSender:
    """An adapter with a bug: it raises instead of returning an outcome."""

    @property
    def delivers_push(self) -> bool:
        return True

    async def send(self, message: PushMessage) -> PushOutcome:
        raise RuntimeError(f"adapter bug for {message.token}")


async def test_a_failing_adapter_never_loses_the_inbox_entry(session: AsyncSession) -> None:
    driver = await make_driver(session)
    await DeviceService(session).register(driver, "install-a", "device-ok-3", "android", None)

    result = await NotificationService(session, _BrokenSender()).notify(
        driver, "session_failed", {"station_name": "Hbf"}
    )
    await session.commit()

    assert result.deliveries[0].outcome.status is PushStatus.RETRYABLE
    assert await _inbox_size(session) == 1


async def test_a_missing_parameter_stores_nothing(
    session: AsyncSession, fcm_sender: FcmPushSender
) -> None:
    driver = await make_driver(session)
    with pytest.raises(MissingTemplateParameterError):
        await NotificationService(session, fcm_sender).notify(
            driver, "session_completed", {"station_name": "Hbf"}
        )
    assert await _inbox_size(session) == 0


async def test_notifying_an_unknown_driver_is_not_found(session: AsyncSession) -> None:
    with pytest.raises(NotFoundError):
        await NotificationService(session, InboxOnlyPushSender()).notify(
            uuid.uuid4(), "session_started", {"station_name": "Hbf"}
        )
