"""Wire types of the station API (camelCase on the app API)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90, description="WGS 84 latitude")]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180, description="WGS 84 longitude")]
EvseStatus = Literal[
    "AVAILABLE",
    "BLOCKED",
    "CHARGING",
    "INOPERATIVE",
    "OUTOFORDER",
    "PLANNED",
    "REMOVED",
    "RESERVED",
    "UNKNOWN",
]


class Coordinates(msgspec.Struct, frozen=True, rename="camel"):
    latitude: Latitude
    longitude: Longitude


class ConnectorGroup(msgspec.Struct, frozen=True, rename="camel"):
    """Connectors of one kind at a station, with how many are free right now."""

    standard: Annotated[
        str, msgspec.Meta(description="OCPI ConnectorType", examples=["IEC_62196_T2_COMBO"])
    ]
    power_type: Annotated[str, msgspec.Meta(description="OCPI PowerType", examples=["DC"])]
    max_power_kw: Annotated[float, msgspec.Meta(description="Strongest connector of this kind, kW")]
    count: int
    available_count: Annotated[int, msgspec.Meta(description="On an EVSE that is AVAILABLE now")]


class PriceEstimate(msgspec.Struct, frozen=True, rename="camel"):
    """What the driver would pay, before starting (filled once tariffs are linked)."""

    currency: Annotated[str, msgspec.Meta(min_length=3, max_length=3, examples=["EUR"])]
    energy_price_per_kwh_minor: int | None = None
    time_price_per_hour_minor: int | None = None
    flat_fee_minor: int | None = None


class StationSummary(msgspec.Struct, frozen=True, rename="camel"):
    """One station in a search result."""

    id: Annotated[uuid.UUID, msgspec.Meta(description="Stable station id for the detail route")]
    name: str | None
    address: str
    city: str
    postal_code: str | None
    country: Annotated[str, msgspec.Meta(description="ISO 3166-1 alpha-3")]
    coordinates: Coordinates
    distance_m: Annotated[
        int, msgspec.Meta(description="Great-circle distance from the search point")
    ]
    operator: str | None
    parking_type: str | None
    facilities: list[str]
    evse_count: int
    available_evse_count: int
    max_power_kw: float
    connectors: list[ConnectorGroup]
    plug_and_charge: Annotated[
        bool, msgspec.Meta(description="ISO 15118 Plug & Charge at some EVSE")
    ]
    ad_hoc_payment: Annotated[bool, msgspec.Meta(description="Pay by card at the charger")]
    twentyfourseven: bool
    open_now: Annotated[
        bool | None,
        msgspec.Meta(description="In the station's own time zone; null if hours unknown"),
    ]
    last_updated: datetime
    price_estimate: Annotated[
        PriceEstimate | None,
        msgspec.Meta(description="Null until the station's tariffs are known to us"),
    ] = None
    is_favourite: Annotated[bool | None, msgspec.Meta(description="Null for anonymous callers")] = (
        None
    )


class StationSearchPage(msgspec.Struct, frozen=True, rename="camel"):
    items: list[StationSummary]
    next_cursor: Annotated[
        str | None, msgspec.Meta(description="Pass as `cursor` for the next page; null at the end")
    ]


class RegularHoursOut(msgspec.Struct, frozen=True, rename="camel"):
    weekday: Annotated[int, msgspec.Meta(ge=1, le=7, description="1 = Monday ... 7 = Sunday")]
    period_begin: Annotated[str, msgspec.Meta(examples=["08:00"])]
    period_end: Annotated[str, msgspec.Meta(examples=["18:00"])]


class ExceptionalPeriodOut(msgspec.Struct, frozen=True, rename="camel"):
    period_begin: datetime
    period_end: datetime


class OpeningHours(msgspec.Struct, frozen=True, rename="camel"):
    twentyfourseven: bool
    regular_hours: list[RegularHoursOut]
    exceptional_openings: list[ExceptionalPeriodOut]
    exceptional_closings: list[ExceptionalPeriodOut]


class ConnectorOut(msgspec.Struct, frozen=True, rename="camel"):
    id: str
    standard: str
    format: str
    power_type: str
    max_voltage: int
    max_amperage: int
    max_power_kw: float
    tariff_ids: list[str]


class EvseOut(msgspec.Struct, frozen=True, rename="camel"):
    uid: str
    evse_id: str | None
    status: str
    capabilities: list[str]
    floor_level: str | None
    physical_reference: str | None
    parking_restrictions: list[str]
    connectors: list[ConnectorOut]
    last_updated: datetime


class StationDetail(msgspec.Struct, frozen=True, rename="camel"):
    """A station with its EVSEs, connectors, live status and opening hours."""

    id: uuid.UUID
    name: str | None
    address: str
    city: str
    postal_code: str | None
    state: str | None
    country: str
    coordinates: Coordinates
    time_zone: str
    operator: str | None
    suboperator: str | None
    owner: str | None
    parking_type: str | None
    facilities: list[str]
    opening_hours: OpeningHours | None
    charging_when_closed: bool | None
    open_now: bool | None
    plug_and_charge: bool
    ad_hoc_payment: bool
    max_power_kw: float
    evses: list[EvseOut]
    directions: list[str]
    images: list[str]
    help_phone: str | None
    last_updated: datetime
    price_estimate: PriceEstimate | None = None
    is_favourite: bool | None = None
