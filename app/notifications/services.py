"""Push devices, sending notifications, and the in-app inbox.

Services take the caller's ``AsyncSession`` and never commit: the request or job that
calls them owns the transaction. Every method is scoped to one driver; an id that
belongs to another driver is "not found", never "forbidden", so nothing leaks.

Sending (:meth:`NotificationService.notify`) always stores the inbox entry first and
then pushes to each of the driver's devices. A push can fail in three ways, and none
of them touches the inbox entry:

- the token is gone (``UNREGISTERED``): the device row is deleted;
- FCM refuses the token itself (``INVALID_ARGUMENT``, ``SENDER_ID_MISMATCH``): the row
  keeps the error in ``last_error`` and gets no pushes until the app registers again;
- a transient failure (429, 5xx, network): reported in the result, so the job can call
  :meth:`NotificationService.push` again for just those devices, after ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.core.errors import ConflictError, FieldError, InvalidInputError, NotFoundError
from app.core.pagination import CursorCodec, InvalidCursorError, fingerprint
from app.notifications.ids import time_ordered_uuid
from app.notifications.models import Notification, Platform, PushDevice
from app.notifications.push import PushMessage, PushOutcome, PushSender, PushStatus
from app.notifications.repositories import InboxRepository, PushDeviceRepository
from app.notifications.templates import RenderedMessage, TemplateParams, render, resolve_locale

log = structlog.get_logger("app.notifications")

Clock = Callable[[], datetime]
MAX_TOKEN_LENGTH = 512
MAX_INSTALLATION_ID_LENGTH = 128
MAX_LOCALE_LENGTH = 35
# A driver rarely has more than a phone, a tablet and a browser; the cap keeps one
# notification's fan-out (and a misbehaving client's registrations) bounded.
MAX_DEVICES_PER_DRIVER = 10
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _require_text(name: str, value: str, max_length: int) -> str:
    value = value.strip()
    if not value or len(value) > max_length:
        raise InvalidInputError(
            f"{name} must be 1 to {max_length} characters",
            errors=[FieldError(field=name, message=f"1 to {max_length} characters")],
        )
    return value


class DeviceService:
    def __init__(self, session: AsyncSession, *, clock: Clock = utcnow) -> None:
        self.session = session
        self.devices = PushDeviceRepository(session)
        self.clock = clock

    async def register(
        self,
        driver_id: uuid.UUID,
        installation_id: str,
        token: str,
        platform: str,
        locale: str | None,
    ) -> PushDevice:
        """Record the token an app install holds now; registering again is idempotent.

        The token moves here from any other installation or driver that had it, and a
        new registration clears an earlier token error (the app got a fresh token).
        """
        installation_id = _require_text(
            "installationId", installation_id, MAX_INSTALLATION_ID_LENGTH
        )
        token = _require_text("token", token, MAX_TOKEN_LENGTH)
        if platform not in set(Platform):
            raise InvalidInputError(
                "platform must be android, ios or web",
                errors=[FieldError(field="platform", message="android, ios or web")],
            )
        if locale is not None:
            locale = _require_text("locale", locale, MAX_LOCALE_LENGTH)
        now = self.clock()
        await self.devices.release_token(token, driver_id, installation_id)
        device = await self.devices.get(driver_id, installation_id)
        if device is None:
            device = PushDevice(
                id=uuid.uuid4(),
                driver_id=driver_id,
                installation_id=installation_id,
                created_at=now,
            )
            self.session.add(device)
        device.fcm_token = token
        device.platform = platform
        device.locale = locale
        device.last_error = None
        device.updated_at = now
        try:
            await self.session.flush()
        except IntegrityError as exc:
            # Two registrations of one token or installation raced; the loser retries.
            raise ConflictError("the device was registered concurrently; retry") from exc
        await self._evict_beyond_cap(driver_id)
        return device

    async def _evict_beyond_cap(self, driver_id: uuid.UUID) -> None:
        devices = await self.devices.for_driver(driver_id)  # most recently updated first
        stale = [device.id for device in devices[MAX_DEVICES_PER_DRIVER:]]
        await self.devices.delete_ids(stale)

    async def unregister(self, driver_id: uuid.UUID, installation_id: str) -> None:
        """Forget the install's token (sign-out); unknown installations are no error."""
        await self.devices.delete(driver_id, installation_id)

    async def list(self, driver_id: uuid.UUID) -> Sequence[PushDevice]:
        return await self.devices.for_driver(driver_id)


@dataclass(frozen=True, slots=True)
class DeviceDelivery:
    device_id: uuid.UUID
    installation_id: str
    outcome: PushOutcome


@dataclass(frozen=True, slots=True)
class NotifyResult:
    """The stored inbox entry and what happened on each device."""

    notification: Notification
    deliveries: list[DeviceDelivery]

    @property
    def retryable(self) -> list[DeviceDelivery]:
        return [d for d in self.deliveries if d.outcome.status is PushStatus.RETRYABLE]

    @property
    def retry_after_s(self) -> int | None:
        """The longest ``Retry-After`` FCM asked for, if any; the job waits at least this."""
        hints = [d.outcome.retry_after_s for d in self.retryable if d.outcome.retry_after_s]
        return max(hints) if hints else None


class NotificationService:
    def __init__(
        self, session: AsyncSession, push_sender: PushSender, *, clock: Clock = utcnow
    ) -> None:
        self.session = session
        self.sender = push_sender
        self.inbox = InboxRepository(session)
        self.devices = PushDeviceRepository(session)
        self.clock = clock

    async def notify(
        self,
        driver_id: uuid.UUID,
        kind: str,
        params: TemplateParams,
        *,
        locale: str | None = None,
    ) -> NotifyResult:
        """Store the rendered notification in the inbox, then push it to every device.

        The inbox text uses ``locale`` if given, else the driver's profile locale; each
        push uses ``locale`` if given, else the language its device registered with.
        """
        profile_locale = await self.inbox.driver_locale(driver_id)
        if profile_locale is None:
            raise NotFoundError("no such driver")
        # Render first: a missing parameter fails before anything is stored.
        message = render(kind, params, locale or profile_locale)
        now = self.clock()
        notification = Notification(
            id=time_ordered_uuid(now),
            driver_id=driver_id,
            kind=kind,
            title=message.title,
            body=message.body,
            data=dict(params),
            locale=message.locale,
            created_at=now,
        )
        self.session.add(notification)
        await self.session.flush()
        deliveries = await self.push(notification, locale=locale)
        return NotifyResult(notification=notification, deliveries=deliveries)

    async def push(
        self,
        notification: Notification,
        *,
        locale: str | None = None,
        device_ids: Sequence[uuid.UUID] | None = None,
    ) -> list[DeviceDelivery]:
        """Push a stored notification to the driver's devices (all, or ``device_ids``).

        A retry job passes the ids of the devices whose delivery was retryable.
        """
        if not self.sender.delivers_push:
            return []
        devices = [
            device
            for device in await self.devices.for_driver(notification.driver_id)
            if device.last_error is None and (device_ids is None or device.id in device_ids)
        ]
        if not devices:
            return []
        rendered: dict[str, RenderedMessage] = {}
        messages = []
        for device in devices:
            language = resolve_locale(locale or device.locale or notification.locale)
            if language not in rendered:
                rendered[language] = render(notification.kind, notification.data, language)
            messages.append(_push_message(notification, device, rendered[language]))
        # The sender never raises for a delivery failure; an exception is a bug in an
        # adapter and must still not cost the inbox entry, so it becomes an outcome.
        results = await asyncio.gather(
            *(self.sender.send(message) for message in messages), return_exceptions=True
        )
        deliveries = []
        for device, result in zip(devices, results, strict=True):
            outcome = _as_outcome(result)
            deliveries.append(DeviceDelivery(device.id, device.installation_id, outcome))
            await self._apply(device, outcome)
        return deliveries

    async def _apply(self, device: PushDevice, outcome: PushOutcome) -> None:
        if outcome.status is PushStatus.TOKEN_UNREGISTERED:
            await self.devices.delete_ids([device.id])
        elif outcome.status is PushStatus.TOKEN_INVALID:
            await self.devices.mark_error(device.id, f"{outcome.error_code}: {outcome.detail}")
        elif outcome.status in {PushStatus.RETRYABLE, PushStatus.FAILED}:
            log.warning(
                "push_failed",
                device_id=str(device.id),
                status=outcome.status.value,
                error_code=outcome.error_code,
                retry_after_s=outcome.retry_after_s,
            )


def _push_message(
    notification: Notification, device: PushDevice, message: RenderedMessage
) -> PushMessage:
    # FCM data values must be strings; the app opens the inbox entry by its id.
    data = {key: str(value) for key, value in notification.data.items()}
    data |= {"notificationId": str(notification.id), "kind": notification.kind}
    return PushMessage(token=device.fcm_token, title=message.title, body=message.body, data=data)


def _as_outcome(result: PushOutcome | BaseException) -> PushOutcome:
    if isinstance(result, PushOutcome):
        return result
    if not isinstance(result, Exception):
        raise result  # cancellation and interpreter exits are not delivery failures
    log.error("push_sender_error", error_type=type(result).__name__, exc_info=result)
    return PushOutcome(PushStatus.RETRYABLE, error_code="SENDER_ERROR", detail=str(result))


@dataclass(frozen=True, slots=True)
class InboxPage:
    items: list[Notification]
    next_cursor: str | None


class InboxService:
    def __init__(
        self, session: AsyncSession, cursors: CursorCodec, *, clock: Clock = utcnow
    ) -> None:
        self.session = session
        self.inbox = InboxRepository(session)
        self.cursors = cursors
        self.clock = clock

    @staticmethod
    def cursor_codec(secret_key: str) -> CursorCodec:
        return CursorCodec(secret_key, "notifications.inbox")

    async def list(
        self, driver_id: uuid.UUID, cursor: str | None = None, limit: int = DEFAULT_PAGE_SIZE
    ) -> InboxPage:
        """One page of the inbox, newest first; ``next_cursor`` continues after it."""
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise InvalidInputError(
                f"limit must be 1 to {MAX_PAGE_SIZE}",
                errors=[FieldError(field="limit", message=f"1 to {MAX_PAGE_SIZE}")],
            )
        # Bound to the driver: another driver's cursor is refused, not reinterpreted.
        query = fingerprint("inbox", str(driver_id))
        after = None if cursor is None else _position(self.cursors.decode(cursor, query))
        rows = list(await self.inbox.page(driver_id, after, limit + 1))
        items, more = rows[:limit], len(rows) > limit
        next_cursor = None
        if more:
            last = items[-1]
            next_cursor = self.cursors.encode([last.created_at.isoformat(), last.id.hex], query)
        return InboxPage(items=items, next_cursor=next_cursor)

    async def mark_read(self, driver_id: uuid.UUID, notification_id: uuid.UUID) -> Notification:
        """Mark one entry read (the first read time is kept); another driver's id is 404."""
        notification = await self.inbox.get(driver_id, notification_id)
        if notification is None:
            raise NotFoundError("no such notification")
        if notification.read_at is None:
            notification.read_at = self.clock()
            await self.session.flush()
        return notification

    async def mark_all_read(self, driver_id: uuid.UUID) -> int:
        """Mark every unread entry read; returns how many changed."""
        return await self.inbox.mark_all_read(driver_id, self.clock())

    async def unread_count(self, driver_id: uuid.UUID) -> int:
        return await self.inbox.unread_count(driver_id)


def _position(position: list[object]) -> tuple[datetime, uuid.UUID]:
    # The MAC proves we issued it; the shape check guards against our own format changes.
    try:
        created_at, last_id = position
        return datetime.fromisoformat(str(created_at)), uuid.UUID(hex=str(last_id))
    except (TypeError, ValueError) as exc:
        raise InvalidCursorError("the cursor is not a cursor this API issued") from exc
