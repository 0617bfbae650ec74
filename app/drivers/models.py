"""Drivers as stored: the account row, vehicles and favourite stations.

The ``drivers`` row outlives account deletion: its personal columns are cleared and
``deleted_at`` set, while ``id`` stays, because financial records (sessions, invoices,
ledger entries) reference it and accounting law requires keeping them.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class Driver(Base):
    __tablename__ = "drivers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # The identity provider's uid (token ``sub``); replaced by ``erased:<id>`` on deletion
    # so the erased row no longer links to the person's sign-in.
    firebase_uid: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(35), default="en")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    country: Mapped[str | None] = mapped_column(String(2))
    billing_name: Mapped[str | None] = mapped_column(String(200))
    billing_line1: Mapped[str | None] = mapped_column(String(200))
    billing_line2: Mapped[str | None] = mapped_column(String(200))
    billing_postal_code: Mapped[str | None] = mapped_column(String(16))
    billing_city: Mapped[str | None] = mapped_column(String(100))
    billing_country: Mapped[str | None] = mapped_column(String(2))
    vat_id: Mapped[str | None] = mapped_column(String(20))
    marketing_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    marketing_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    terms_version: Mapped[str | None] = mapped_column(String(32))
    terms_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Vehicle(Base):
    __tablename__ = "vehicles"
    # A driver registers a car once; across drivers a PCID may repeat (a sold car), and
    # refusing it would tell one driver that another has that car.
    __table_args__ = (UniqueConstraint("driver_id", "pcid"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    driver_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("drivers.id", ondelete="CASCADE"), index=True
    )
    make: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(64))
    battery_capacity_wh: Mapped[int | None] = mapped_column(Integer)
    connector_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    pcid: Mapped[str | None] = mapped_column(String(18))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class FavouriteStation(Base):
    __tablename__ = "favourite_stations"

    driver_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("drivers.id", ondelete="CASCADE"), primary_key=True
    )
    # The public station id of GET /v1/stations/{id}; a station that disappears takes
    # its favourites with it.
    station_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("locations.public_id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
