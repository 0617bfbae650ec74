"""The in-app inbox: cursor pages newest first, read state, strictly per driver."""

from __future__ import annotations

import uuid
from datetime import timedelta

import msgspec
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import InvalidInputError, NotFoundError
from app.core.pagination import InvalidCursorError
from app.core.settings import DEV_SECRET_KEY
from app.notifications.push import InboxOnlyPushSender
from app.notifications.schemas import NotificationPage, notification_out
from app.notifications.services import InboxService, NotificationService
from tests.app.notifications.factories import SteppingClock, make_driver

STARTED = {"station_name": "Hbf"}


def _inbox(session: AsyncSession, clock: SteppingClock | None = None) -> InboxService:
    codec = InboxService.cursor_codec(DEV_SECRET_KEY)
    return InboxService(session, codec, clock=clock or SteppingClock())


async def _notify(
    session: AsyncSession, driver: uuid.UUID, count: int, clock: SteppingClock
) -> list[uuid.UUID]:
    service = NotificationService(session, InboxOnlyPushSender(), clock=clock)
    return [
        (await service.notify(driver, "session_started", STARTED)).notification.id
        for _ in range(count)
    ]


@pytest.mark.parametrize("step", [timedelta(seconds=1), timedelta(0)], ids=["distinct", "tied"])
async def test_pages_walk_everything_once_while_new_notifications_arrive(
    session: AsyncSession, step: timedelta
) -> None:
    driver = await make_driver(session)
    clock = SteppingClock(step)
    existing = await _notify(session, driver, 23, clock)
    inbox = _inbox(session)

    seen: list[uuid.UUID] = []
    cursor = None
    arrived: list[uuid.UUID] = []
    while True:
        page = await inbox.list(driver, cursor, limit=5)
        seen.extend(item.id for item in page.items)
        # Notifications keep arriving between page requests; with tied timestamps too.
        arrived += await _notify(session, driver, 2, clock)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor

    assert len(seen) == len(set(seen))
    assert set(seen) == set(existing)
    assert not set(arrived) & set(seen)
    first = await inbox.list(driver, None, limit=2)
    assert {item.id for item in first.items} <= set(arrived)  # newest first


async def test_inbox_lists_only_the_drivers_own_entries(session: AsyncSession) -> None:
    clock = SteppingClock()
    alice = await make_driver(session)
    bob = await make_driver(session)
    await _notify(session, alice, 3, clock)
    bobs = await _notify(session, bob, 2, clock)

    page = await _inbox(session).list(bob, None, limit=10)
    assert [item.id for item in page.items] == list(reversed(bobs))
    assert page.next_cursor is None


async def test_a_cursor_is_bound_to_its_driver(session: AsyncSession) -> None:
    clock = SteppingClock()
    alice = await make_driver(session)
    bob = await make_driver(session)
    await _notify(session, alice, 3, clock)
    inbox = _inbox(session)
    page = await inbox.list(alice, None, limit=1)
    assert page.next_cursor is not None

    with pytest.raises(InvalidCursorError):
        await inbox.list(bob, page.next_cursor, limit=1)
    with pytest.raises(InvalidCursorError):
        await inbox.list(alice, page.next_cursor[:-2] + "xx", limit=1)


@pytest.mark.parametrize("limit", [0, -1, 101])
async def test_page_size_is_bounded(session: AsyncSession, limit: int) -> None:
    driver = await make_driver(session)
    with pytest.raises(InvalidInputError):
        await _inbox(session).list(driver, None, limit=limit)


async def test_mark_read_of_another_drivers_notification_is_not_found(
    session: AsyncSession,
) -> None:
    clock = SteppingClock()
    alice = await make_driver(session)
    bob = await make_driver(session)
    [alices] = await _notify(session, alice, 1, clock)
    inbox = _inbox(session)

    with pytest.raises(NotFoundError) as foreign:
        await inbox.mark_read(bob, alices)
    with pytest.raises(NotFoundError) as missing:
        await inbox.mark_read(bob, uuid.uuid4())
    assert foreign.value.detail == missing.value.detail  # the same answer: nothing leaks
    assert await inbox.unread_count(alice) == 1


async def test_read_state_and_unread_count(session: AsyncSession) -> None:
    clock = SteppingClock()
    alice = await make_driver(session)
    bob = await make_driver(session)
    first, _second, _third = await _notify(session, alice, 3, clock)
    await _notify(session, bob, 2, clock)
    inbox = _inbox(session, clock)
    assert await inbox.unread_count(alice) == 3

    read = await inbox.mark_read(alice, first)
    read_at = read.read_at
    assert read_at is not None
    again = await inbox.mark_read(alice, first)
    assert again.read_at == read_at  # the first read time is kept
    assert await inbox.unread_count(alice) == 2

    assert await inbox.mark_all_read(alice) == 2
    assert await inbox.mark_all_read(alice) == 0
    await session.commit()
    assert await inbox.unread_count(alice) == 0
    assert await inbox.unread_count(bob) == 2
    page = await inbox.list(alice, None, limit=10)
    assert all(item.read_at is not None for item in page.items)


async def test_a_page_encodes_camel_case_for_the_app(session: AsyncSession) -> None:
    driver = await make_driver(session)
    await _notify(session, driver, 2, SteppingClock())
    page = await _inbox(session).list(driver, None, limit=1)

    wire = msgspec.json.decode(
        msgspec.json.encode(
            NotificationPage(
                items=[notification_out(item) for item in page.items],
                next_cursor=page.next_cursor,
            )
        )
    )
    assert wire["nextCursor"] == page.next_cursor
    item = wire["items"][0]
    assert {"id", "kind", "title", "body", "data", "locale", "createdAt", "readAt"} == set(item)
    assert item["data"] == {"station_name": "Hbf"}
