"""Queries of push devices and inbox entries; every one is scoped to one driver."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.drivers.models import Driver
from app.notifications.models import Notification, PushDevice


class PushDeviceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, driver_id: uuid.UUID, installation_id: str) -> PushDevice | None:
        return await self.session.scalar(
            select(PushDevice).where(
                PushDevice.driver_id == driver_id, PushDevice.installation_id == installation_id
            )
        )

    async def release_token(self, token: str, driver_id: uuid.UUID, installation_id: str) -> None:
        """Drop ``token`` from any row other than (driver, installation): it moves here."""
        await self.session.execute(
            delete(PushDevice).where(
                PushDevice.fcm_token == token,
                or_(
                    PushDevice.driver_id != driver_id,
                    PushDevice.installation_id != installation_id,
                ),
            )
        )

    async def for_driver(self, driver_id: uuid.UUID) -> Sequence[PushDevice]:
        return (
            await self.session.scalars(
                select(PushDevice)
                .where(PushDevice.driver_id == driver_id)
                .order_by(PushDevice.updated_at.desc(), PushDevice.id)
            )
        ).all()

    async def delete(self, driver_id: uuid.UUID, installation_id: str) -> bool:
        result = await self.session.execute(
            delete(PushDevice).where(
                PushDevice.driver_id == driver_id, PushDevice.installation_id == installation_id
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def delete_all_for(self, driver_id: uuid.UUID) -> None:
        await self.session.execute(delete(PushDevice).where(PushDevice.driver_id == driver_id))

    async def delete_ids(self, ids: Sequence[uuid.UUID]) -> None:
        if ids:
            await self.session.execute(delete(PushDevice).where(PushDevice.id.in_(ids)))

    async def mark_error(self, device_id: uuid.UUID, error: str) -> None:
        await self.session.execute(
            update(PushDevice).where(PushDevice.id == device_id).values(last_error=error)
        )


class InboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def driver_locale(self, driver_id: uuid.UUID) -> str | None:
        """The driver's profile locale, or None when there is no such (live) driver."""
        row = (
            await self.session.execute(
                select(Driver.locale).where(Driver.id == driver_id, Driver.deleted_at.is_(None))
            )
        ).first()
        return None if row is None else str(row.locale)

    async def page(
        self,
        driver_id: uuid.UUID,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> Sequence[Notification]:
        """Up to ``limit`` entries, newest first, strictly after the ``after`` position.

        The order (created_at, id) is total, so a position never repeats an entry; new
        entries sort before any position already handed out and cannot shift a walk.
        """
        query = select(Notification).where(Notification.driver_id == driver_id)
        if after is not None:
            created_at, last_id = after
            query = query.where(
                or_(
                    Notification.created_at < created_at,
                    and_(Notification.created_at == created_at, Notification.id < last_id),
                )
            )
        query = query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
        return (await self.session.scalars(query)).all()

    async def all_for(self, driver_id: uuid.UUID) -> Sequence[Notification]:
        """The whole inbox, newest first (the data export)."""
        return (
            await self.session.scalars(
                select(Notification)
                .where(Notification.driver_id == driver_id)
                .order_by(Notification.created_at.desc(), Notification.id.desc())
            )
        ).all()

    async def delete_all_for(self, driver_id: uuid.UUID) -> None:
        await self.session.execute(delete(Notification).where(Notification.driver_id == driver_id))

    async def get(self, driver_id: uuid.UUID, notification_id: uuid.UUID) -> Notification | None:
        return await self.session.scalar(
            select(Notification).where(
                Notification.id == notification_id, Notification.driver_id == driver_id
            )
        )

    async def mark_all_read(self, driver_id: uuid.UUID, at: datetime) -> int:
        result = await self.session.execute(
            update(Notification)
            .where(Notification.driver_id == driver_id, Notification.read_at.is_(None))
            .values(read_at=at)
            .execution_options(synchronize_session="fetch")
        )
        return int(getattr(result, "rowcount", 0))

    async def unread_count(self, driver_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.driver_id == driver_id, Notification.read_at.is_(None))
        )
        return int(count or 0)
