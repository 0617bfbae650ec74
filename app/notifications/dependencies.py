"""Dependency providers and start-up of the notifications domain.

The push sender is chosen from the settings once per app (``EMSP_PUSH_MODE``) and kept
on ``app.state.push_sender``; the FCM adapter holds a firebase-admin app and a thread
limiter that every request and job of the process shares, and is closed at shutdown.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.settings import Settings
from app.notifications.push import FcmPushSender, PushSender, push_sender_from_settings
from app.notifications.services import DeviceService, InboxService


@asynccontextmanager
async def notifications_lifespan(app: Litestar) -> AsyncGenerator[None, None]:
    """Build the push sender the settings ask for, unless a test put one there already."""
    settings: Settings = app.state.settings
    owned = app.state.get("push_sender") is None
    if owned:
        app.state.push_sender = push_sender_from_settings(settings)
    try:
        yield
    finally:
        sender = app.state.push_sender
        if owned:
            if isinstance(sender, FcmPushSender):
                await sender.aclose()
            del app.state.push_sender


def provide_push_sender(state: State) -> PushSender:
    sender: PushSender = state.push_sender
    return sender


def provide_device_service(db_session: NamedDependency[AsyncSession]) -> DeviceService:
    return DeviceService(db_session)


def provide_inbox_service(db_session: NamedDependency[AsyncSession], state: State) -> InboxService:
    settings: Settings = state.settings
    return InboxService(db_session, InboxService.cursor_codec(settings.secret_key))
