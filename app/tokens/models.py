"""Charging tokens as stored: one row per OCPI Token we issue (app token or RFID card).

Rows are never deleted: sessions and CDRs of later domains reference a token by its
``uid``, and CPOs that keep a whitelist must learn that a token stopped being valid
(``valid = false`` with a newer ``last_updated``), which a deleted row cannot tell them.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class TokenStatus(enum.StrEnum):
    """Our lifecycle of a token; OCPI only sees ``valid``, true exactly when ACTIVE."""

    ORDERED = "ordered"  # an RFID card on its way: no uid yet, never sent to CPOs
    ACTIVE = "active"
    BLOCKED = "blocked"


class TokenRecord(Base):
    __tablename__ = "tokens"
    __table_args__ = (
        # OCPI: uid (with type) unique within the eMSP; we hold it unique per party
        # across types. NULL uids (ordered cards) do not collide on either database.
        UniqueConstraint("country_code", "party_id", "uid"),
        # One app token per driver, also when two first requests race.
        Index(
            "uq_tokens_app_user_driver_id",
            "driver_id",
            unique=True,
            sqlite_where=text("type = 'APP_USER'"),
            postgresql_where=text("type = 'APP_USER'"),
        ),
        # The OCPI sender pages through tokens in last_updated order.
        Index("ix_tokens_last_updated_id", "last_updated", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    driver_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("drivers.id", ondelete="RESTRICT"), index=True
    )
    country_code: Mapped[str] = mapped_column(String(2))
    party_id: Mapped[str] = mapped_column(String(3))
    uid: Mapped[str | None] = mapped_column(String(36))
    type: Mapped[str] = mapped_column(String(16))
    contract_id: Mapped[str] = mapped_column(String(36))
    visual_number: Mapped[str | None] = mapped_column(String(64))
    issuer: Mapped[str] = mapped_column(String(64))
    group_id: Mapped[str | None] = mapped_column(String(36))
    valid: Mapped[bool] = mapped_column(Boolean)
    whitelist: Mapped[str] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(2))
    default_profile_type: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    # An opaque reference to where an ordered card is shipped (fulfilment's id).
    shipping_reference: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # OCPI Token.last_updated: changes only with what CPOs see (validity, uid, numbers).
    last_updated: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
