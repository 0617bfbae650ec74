"""Small explicit helpers for the notification tests."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.drivers.models import Driver


async def make_driver(session: AsyncSession, *, locale: str = "en") -> uuid.UUID:
    driver = Driver(
        id=uuid.uuid4(),
        firebase_uid=f"uid-{uuid.uuid4().hex}",
        locale=locale,
        currency="EUR",
        marketing_consent=False,
    )
    session.add(driver)
    await session.flush()
    return driver.id


class SteppingClock:
    """A clock that advances by ``step`` on every reading (zero: all readings equal)."""

    def __init__(self, step: timedelta = timedelta(seconds=1)) -> None:
        start = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
        self._times: Iterator[datetime] = (start + step * n for n in itertools.count())

    def __call__(self) -> datetime:
        return next(self._times)
