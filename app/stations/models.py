"""Stations as stored: location, EVSE and connector rows after OCPI 2.2.1 Locations.

Each row keeps the canonical OCPI object of its level in ``document`` (the source of
truth for export, so a pushed object comes back exactly as it arrived) and projects the
fields that queries need into typed, indexed columns. The repository is the only
writer and refreshes both together, so they cannot drift.

The ``locations`` row also carries the *search projection*: aggregates over its EVSEs
and connectors (strongest connector, standards present, live availability, Plug &
Charge, card payment) and a pre-rendered summary. A search then reads one row per
station and never joins, which is what keeps nearest-20 under a millisecond at a
million connectors.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, UTCDateTime, utcnow

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
PrimaryKey = BigInteger().with_variant(Integer(), "sqlite")
Document = JSON().with_variant(JSONB(), "postgresql")


class LocationRecord(Base):
    __tablename__ = "locations"
    __table_args__ = (
        UniqueConstraint("country_code", "party_id", "location_id"),
        Index("ix_locations_operator_key", "operator_key"),
        Index("ix_locations_last_updated", "last_updated"),
    )

    pk: Mapped[int] = mapped_column(PrimaryKey, primary_key=True, autoincrement=True)
    public_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    country_code: Mapped[str] = mapped_column(String(2))
    party_id: Mapped[str] = mapped_column(String(3))
    location_id: Mapped[str] = mapped_column(String(36))
    source: Mapped[str] = mapped_column(String(16))
    publish: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str] = mapped_column(String(45))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    country: Mapped[str] = mapped_column(String(3))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    time_zone: Mapped[str] = mapped_column(String(255))
    operator_name: Mapped[str | None] = mapped_column(String(100))
    operator_key: Mapped[str | None] = mapped_column(String(100))
    last_updated: Mapped[datetime] = mapped_column(UTCDateTime())
    document: Mapped[dict[str, Any]] = mapped_column(Document)

    # Search projection (see module docstring).
    max_power_w: Mapped[int] = mapped_column(Integer, default=0)
    standards_mask: Mapped[int] = mapped_column(BigInteger, default=0)
    evse_count: Mapped[int] = mapped_column(Integer, default=0)
    available_evse_count: Mapped[int] = mapped_column(Integer, default=0)
    plug_and_charge: Mapped[bool] = mapped_column(Boolean, default=False)
    ad_hoc_payment: Mapped[bool] = mapped_column(Boolean, default=False)
    twentyfourseven: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    evses: Mapped[list[EvseRecord]] = relationship(
        back_populates="location",
        cascade="all, delete-orphan",
        order_by="EvseRecord.position",
        lazy="raise",
    )


class EvseRecord(Base):
    __tablename__ = "evses"
    __table_args__ = (
        UniqueConstraint("location_pk", "uid"),
        Index("ix_evses_evse_id", "evse_id"),
    )

    pk: Mapped[int] = mapped_column(PrimaryKey, primary_key=True, autoincrement=True)
    location_pk: Mapped[int] = mapped_column(ForeignKey("locations.pk", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    uid: Mapped[str] = mapped_column(String(36))
    evse_id: Mapped[str | None] = mapped_column(String(48))
    status: Mapped[str] = mapped_column(String(16))
    last_updated: Mapped[datetime] = mapped_column(UTCDateTime())
    document: Mapped[dict[str, Any]] = mapped_column(Document)

    location: Mapped[LocationRecord] = relationship(back_populates="evses", lazy="raise")
    connectors: Mapped[list[ConnectorRecord]] = relationship(
        back_populates="evse",
        cascade="all, delete-orphan",
        order_by="ConnectorRecord.position",
        lazy="raise",
    )


class ConnectorRecord(Base):
    __tablename__ = "connectors"
    __table_args__ = (UniqueConstraint("evse_pk", "connector_id"),)

    pk: Mapped[int] = mapped_column(PrimaryKey, primary_key=True, autoincrement=True)
    evse_pk: Mapped[int] = mapped_column(ForeignKey("evses.pk", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    connector_id: Mapped[str] = mapped_column(String(36))
    standard: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(16))
    power_type: Mapped[str] = mapped_column(String(16))
    max_power_w: Mapped[int] = mapped_column(Integer)
    last_updated: Mapped[datetime] = mapped_column(UTCDateTime())
    document: Mapped[dict[str, Any]] = mapped_column(Document)

    evse: Mapped[EvseRecord] = relationship(back_populates="connectors", lazy="raise")
