"""Canonical, version-neutral model of a charging station and the rules the search uses.

The model is the superset of the OCPI 2.2.1 and 2.3.0 Location/EVSE/Connector objects with
the same field names, so the per-version mapping seams (``app.ocpi.v2_x.mapping``) stay
mechanical. Fields that only 2.3.0 knows are optional. Format rules (string lengths,
coordinate regex) belong to the wire types; every Location leaving the system is
validated by them on export.

Open enums (connector standard, capabilities, facilities, ...) are plain ``str`` so that a
value unknown today survives import and export; closed enums are ``StrEnum``.
Provenance (which source a record came from) is deliberately not part of this model: the
database layer records it.
"""

from __future__ import annotations

import enum
from datetime import datetime

import msgspec

Number = int | float


class Status(enum.StrEnum):
    """EVSE status (OCPI Status enum, identical in 2.2.1 and 2.3.0)."""

    AVAILABLE = "AVAILABLE"
    BLOCKED = "BLOCKED"
    CHARGING = "CHARGING"
    INOPERATIVE = "INOPERATIVE"
    OUTOFORDER = "OUTOFORDER"
    PLANNED = "PLANNED"
    REMOVED = "REMOVED"
    RESERVED = "RESERVED"
    UNKNOWN = "UNKNOWN"


class PowerType(enum.StrEnum):
    """Current type and phases of a connector (OCPI PowerType)."""

    AC_1_PHASE = "AC_1_PHASE"
    AC_2_PHASE = "AC_2_PHASE"
    AC_2_PHASE_SPLIT = "AC_2_PHASE_SPLIT"
    AC_3_PHASE = "AC_3_PHASE"
    DC = "DC"


class ConnectorFormat(enum.StrEnum):
    """Socket (bring your own cable) or attached cable (OCPI ConnectorFormat)."""

    SOCKET = "SOCKET"
    CABLE = "CABLE"


class EnergySourceCategory(enum.StrEnum):
    """OCPI EnergySourceCategory."""

    NUCLEAR = "NUCLEAR"
    GENERAL_FOSSIL = "GENERAL_FOSSIL"
    COAL = "COAL"
    GAS = "GAS"
    GENERAL_GREEN = "GENERAL_GREEN"
    SOLAR = "SOLAR"
    WIND = "WIND"
    WATER = "WATER"


class ParkingDirection(enum.StrEnum):
    """OCPI 2.3.0 ParkingDirection."""

    PARALLEL = "PARALLEL"
    PERPENDICULAR = "PERPENDICULAR"
    ANGLE = "ANGLE"


class EVSEPosition(enum.StrEnum):
    """OCPI 2.3.0 EVSEPosition."""

    LEFT = "LEFT"
    RIGHT = "RIGHT"
    CENTER = "CENTER"


PLUG_AND_CHARGE_CAPABILITIES = frozenset(
    {"ISO_15118_2_PLUG_AND_CHARGE", "ISO_15118_20_PLUG_AND_CHARGE"}
)
"""Connector capabilities (OCPI 2.3.0 ConnectorCapability) that mean Plug & Charge works."""

AD_HOC_CARD_PAYMENT_CAPABILITIES = frozenset(
    {
        "CHIP_CARD_SUPPORT",
        "CONTACTLESS_CARD_SUPPORT",
        "CREDIT_CARD_PAYABLE",
        "DEBIT_CARD_PAYABLE",
        "PED_TERMINAL",
    }
)
"""EVSE capabilities the spec lists for describing an ad-hoc payment terminal."""


class DomainObject(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """Base: immutable, keyword-only; absent optional fields stay absent on export."""


class DisplayText(DomainObject, kw_only=True, frozen=True):
    language: str
    text: str


class GeoLocation(DomainObject, kw_only=True, frozen=True):
    """WGS 84 point as OCPI decimal strings (kept as text so no precision is lost)."""

    latitude: str
    longitude: str


class AdditionalGeoLocation(DomainObject, kw_only=True, frozen=True):
    latitude: str
    longitude: str
    name: DisplayText | None = None


class Image(DomainObject, kw_only=True, frozen=True):
    url: str
    thumbnail: str | None = None
    category: str
    type: str
    width: int | None = None
    height: int | None = None


class BusinessDetails(DomainObject, kw_only=True, frozen=True):
    name: str
    website: str | None = None
    logo: Image | None = None


class RegularHours(DomainObject, kw_only=True, frozen=True):
    """Weekly period in local time; weekday 1=Monday..7=Sunday; "HH:MM" strings."""

    weekday: int
    period_begin: str
    period_end: str


class ExceptionalPeriod(DomainObject, kw_only=True, frozen=True):
    period_begin: datetime
    period_end: datetime


class Hours(DomainObject, kw_only=True, frozen=True):
    twentyfourseven: bool
    regular_hours: list[RegularHours] | None = None
    exceptional_openings: list[ExceptionalPeriod] | None = None
    exceptional_closings: list[ExceptionalPeriod] | None = None


class EnergySource(DomainObject, kw_only=True, frozen=True):
    source: EnergySourceCategory
    percentage: Number


class EnvironmentalImpact(DomainObject, kw_only=True, frozen=True):
    category: str
    amount: Number


class EnergyMix(DomainObject, kw_only=True, frozen=True):
    is_green_energy: bool
    energy_sources: list[EnergySource] | None = None
    environ_impact: list[EnvironmentalImpact] | None = None
    supplier_name: str | None = None
    energy_product_name: str | None = None


class StatusSchedule(DomainObject, kw_only=True, frozen=True):
    period_begin: datetime
    period_end: datetime | None = None
    status: Status


class PublishTokenType(DomainObject, kw_only=True, frozen=True):
    uid: str | None = None
    type: str | None = None
    visual_number: str | None = None
    issuer: str | None = None
    group_id: str | None = None


class Parking(DomainObject, kw_only=True, frozen=True):
    """A parking place (OCPI 2.3.0 Parking); centimetres, kilograms, minutes."""

    id: str
    physical_reference: str | None = None
    vehicle_types: list[str]
    max_vehicle_weight: Number | None = None
    max_vehicle_height: Number | None = None
    max_vehicle_length: Number | None = None
    max_vehicle_width: Number | None = None
    parking_space_length: Number | None = None
    parking_space_width: Number | None = None
    dangerous_goods_allowed: bool | None = None
    direction: ParkingDirection | None = None
    drive_through: bool | None = None
    restricted_to_type: bool
    reservation_required: bool
    time_limit: Number | None = None
    roofed: bool | None = None
    images: list[Image] | None = None
    lighting: bool | None = None
    refrigeration_outlet: bool | None = None
    standards: list[str] | None = None
    apds_reference: str | None = None


class EVSEParking(DomainObject, kw_only=True, frozen=True):
    parking_id: str
    evse_position: EVSEPosition | None = None


class Connector(DomainObject, kw_only=True, frozen=True):
    id: str
    standard: str
    format: ConnectorFormat
    power_type: PowerType
    max_voltage: int
    max_amperage: int
    max_electric_power: int | None = None
    tariff_ids: list[str] | None = None
    terms_and_conditions: str | None = None
    capabilities: list[str] | None = None
    """2.3.0 only: ConnectorCapability values, e.g. ISO_15118_2_PLUG_AND_CHARGE."""
    last_updated: datetime


class EVSE(DomainObject, kw_only=True, frozen=True):
    uid: str
    evse_id: str | None = None
    status: Status
    status_schedule: list[StatusSchedule] | None = None
    capabilities: list[str] | None = None
    connectors: list[Connector]
    floor_level: str | None = None
    coordinates: GeoLocation | None = None
    physical_reference: str | None = None
    directions: list[DisplayText] | None = None
    parking_restrictions: list[str] | None = None
    parking: list[EVSEParking] | None = None
    """2.3.0 only."""
    images: list[Image] | None = None
    accepted_service_providers: list[str] | None = None
    """2.3.0 only."""
    last_updated: datetime


class Location(DomainObject, kw_only=True, frozen=True):
    country_code: str
    party_id: str
    id: str
    publish: bool
    publish_allowed_to: list[PublishTokenType] | None = None
    name: str | None = None
    address: str
    city: str
    postal_code: str | None = None
    state: str | None = None
    country: str
    coordinates: GeoLocation
    related_locations: list[AdditionalGeoLocation] | None = None
    parking_type: str | None = None
    evses: list[EVSE] | None = None
    parking_places: list[Parking] | None = None
    """2.3.0 only."""
    directions: list[DisplayText] | None = None
    operator: BusinessDetails | None = None
    suboperator: BusinessDetails | None = None
    owner: BusinessDetails | None = None
    facilities: list[str] | None = None
    help_phone: str | None = None
    """2.3.0 only."""
    time_zone: str
    opening_times: Hours | None = None
    charging_when_closed: bool | None = None
    images: list[Image] | None = None
    energy_mix: EnergyMix | None = None
    last_updated: datetime


__all__ = [
    "AD_HOC_CARD_PAYMENT_CAPABILITIES",
    "EVSE",
    "PLUG_AND_CHARGE_CAPABILITIES",
    "AdditionalGeoLocation",
    "BusinessDetails",
    "Connector",
    "ConnectorFormat",
    "DisplayText",
    "EVSEParking",
    "EVSEPosition",
    "EnergyMix",
    "EnergySource",
    "EnergySourceCategory",
    "EnvironmentalImpact",
    "ExceptionalPeriod",
    "GeoLocation",
    "Hours",
    "Image",
    "Location",
    "Parking",
    "ParkingDirection",
    "PowerType",
    "PublishTokenType",
    "RegularHours",
    "Status",
    "StatusSchedule",
]
