"""Queries of charging tokens; services never build SQL themselves."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.tokens.models import TokenRecord, TokenStatus


class UidTakenError(Exception):
    """Another token of our party already has this uid (raced past the look-up)."""


class TokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_for(self, driver_id: uuid.UUID) -> Sequence[TokenRecord]:
        result = await self.session.scalars(
            select(TokenRecord)
            .where(TokenRecord.driver_id == driver_id)
            .order_by(TokenRecord.created_at, TokenRecord.id)
        )
        return result.all()

    async def get_for(self, driver_id: uuid.UUID, token_id: uuid.UUID) -> TokenRecord | None:
        # Scoped by owner in the query itself: another driver's id is simply not found.
        return await self.session.scalar(
            select(TokenRecord).where(
                TokenRecord.id == token_id, TokenRecord.driver_id == driver_id
            )
        )

    async def app_token_for(self, driver_id: uuid.UUID) -> TokenRecord | None:
        return await self.session.scalar(
            select(TokenRecord).where(
                TokenRecord.driver_id == driver_id, TokenRecord.type == "APP_USER"
            )
        )

    async def insert_if_absent(self, values: dict[str, Any]) -> None:
        """Insert unless a unique rule says it exists (the one app token of a driver)."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        await self.session.execute(insert(TokenRecord).values(**values).on_conflict_do_nothing())

    async def by_uid(self, country_code: str, party_id: str, uid: str) -> TokenRecord | None:
        return await self.session.scalar(
            select(TokenRecord).where(
                TokenRecord.country_code == country_code,
                TokenRecord.party_id == party_id,
                TokenRecord.uid == uid,
            )
        )

    async def add(self, token: TokenRecord) -> None:
        self.session.add(token)
        await self.session.flush()

    async def save_uid(self, token: TokenRecord) -> None:
        """Flush a token whose uid changed; a concurrent holder of the uid raises."""
        try:
            async with self.session.begin_nested():
                await self.session.flush()
        except IntegrityError as exc:
            raise UidTakenError(token.uid) from exc

    async def flush(self) -> None:
        await self.session.flush()

    async def block_all_for(self, driver_id: uuid.UUID, now: datetime) -> None:
        """Block every token of the driver and drop what points at the person."""
        await self.session.execute(
            update(TokenRecord)
            .where(TokenRecord.driver_id == driver_id)
            .values(
                status=TokenStatus.BLOCKED.value,
                valid=False,
                visual_number=None,
                language=None,
                shipping_reference=None,
                updated_at=now,
                last_updated=now,
            )
            .execution_options(synchronize_session="fetch")
        )

    async def page_of_issued(
        self,
        date_from: datetime | None,
        date_to: datetime | None,
        offset: int,
        limit: int,
    ) -> tuple[Sequence[TokenRecord], int]:
        """Tokens with a uid, oldest change first, and how many match in total."""
        conditions: list[ColumnElement[bool]] = [TokenRecord.uid.is_not(None)]
        if date_from is not None:
            conditions.append(TokenRecord.last_updated >= date_from)
        if date_to is not None:
            conditions.append(TokenRecord.last_updated < date_to)
        total = await self.session.scalar(
            select(func.count()).select_from(TokenRecord).where(*conditions)
        )
        rows = await self.session.scalars(
            select(TokenRecord)
            .where(*conditions)
            .order_by(TokenRecord.last_updated, TokenRecord.id)
            .offset(offset)
            .limit(limit)
        )
        return rows.all(), int(total or 0)
