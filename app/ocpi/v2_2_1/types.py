"""Shared OCPI 2.2.1 data types used by the Locations module.

Spec: OCPI 2.2.1, "Types" (types.asciidoc) and "Locations module > Data types"
(mod_locations.asciidoc, [mod_locations_data_types]). Field names and enum values are verbatim.

Open and closed enums: OCPI 2.2.1 calls every value list an "enum", but 2.3.0 re-labelled
most of them ``OpenEnum`` because real CPOs do send values outside the list (new plug
types, national facilities). A receiver that rejected such a Location would drop a real
charging site, so these 2.2.1 types accept unknown values for every list that 2.3.0 made
open (typed ``str``; the known values are kept as a ``StrEnum`` for reference) and validate
the lists that 2.3.0 still treats as closed (Status, PowerType, ConnectorFormat,
EnergySourceCategory).

DateTime: OCPI DateTime [types_datetime_type] is UTC; a missing designator means UTC.
Structs holding a DateTime normalise it in ``__post_init__`` to an aware UTC ``datetime``,
so a naive input and one with ``Z`` compare equal; msgspec encodes them with a ``Z``.
Sub-second values are re-encoded with six fractional digits (27 characters, beyond the
spec's string(25)); no example uses them and keeping them lossless was preferred.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Annotated

import msgspec
from msgspec import Meta

# -- primitive types (types.asciidoc) --------------------------------------------------------

_PRINTABLE_ASCII = r"^[\x20-\x7E]*$"


def ci_string(max_length: int, description: str) -> Meta:
    """CiString(n) [types_cistring_type]: case-insensitive, printable ASCII only."""
    return Meta(max_length=max_length, pattern=_PRINTABLE_ASCII, description=description)


def string(max_length: int, description: str) -> Meta:
    """string(n), types 2.7: printable UTF-8, at most ``n`` characters."""
    return Meta(max_length=max_length, description=description)


URL = Annotated[str, Meta(max_length=255, description="URL, string(255) (types_url_type).")]
Latitude = Annotated[
    str,
    Meta(
        max_length=10,
        pattern=r"^-?[0-9]{1,2}\.[0-9]{5,7}$",
        description="Latitude in decimal degrees (WGS 84), e.g. 50.770774.",
        examples=["51.047599"],
    ),
]
Longitude = Annotated[
    str,
    Meta(
        max_length=11,
        pattern=r"^-?[0-9]{1,3}\.[0-9]{5,7}$",
        description="Longitude in decimal degrees (WGS 84), e.g. -126.104965.",
        examples=["3.729944"],
    ),
]
LocalTime = Annotated[
    str,
    Meta(
        pattern=r"^([0-1][0-9]|2[0-3]):[0-5][0-9]$",
        description='Local time of day, "HH:MM", 24h with leading zeros.',
        examples=["18:15"],
    ),
]
Percentage = Annotated[int, Meta(ge=0, le=100)] | Annotated[float, Meta(ge=0, le=100)]
# A JSON number is kept as int or float so that 372 re-encodes as 372, not 372.0.
Number = int | float


def as_utc(value: datetime) -> datetime:
    """OCPI DateTime [types_datetime_type]: no designator means UTC; offsets are converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class OcpiObject(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Base of every OCPI class: optional fields default to None and are not re-emitted."""


# -- closed enums --------------------------------------------------------------------------


class Status(enum.StrEnum):
    """Status enum, OCPI 2.2.1 [mod_locations_status_enum]."""

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
    """PowerType enum, OCPI 2.2.1 [mod_locations_powertype_enum]."""

    AC_1_PHASE = "AC_1_PHASE"
    AC_2_PHASE = "AC_2_PHASE"
    AC_2_PHASE_SPLIT = "AC_2_PHASE_SPLIT"
    AC_3_PHASE = "AC_3_PHASE"
    DC = "DC"


class ConnectorFormat(enum.StrEnum):
    """ConnectorFormat enum, OCPI 2.2.1 [mod_locations_connectorformat_enum]."""

    SOCKET = "SOCKET"
    CABLE = "CABLE"


class EnergySourceCategory(enum.StrEnum):
    """EnergySourceCategory enum, OCPI 2.2.1 [mod_locations_energysourcecategory_enum]."""

    NUCLEAR = "NUCLEAR"
    GENERAL_FOSSIL = "GENERAL_FOSSIL"
    COAL = "COAL"
    GAS = "GAS"
    GENERAL_GREEN = "GENERAL_GREEN"
    SOLAR = "SOLAR"
    WIND = "WIND"
    WATER = "WATER"


# -- open enums: known values for reference; fields accept any string ----------------------


class Capability(enum.StrEnum):
    """Capability, OCPI 2.2.1 [mod_locations_capability_enum]; open."""

    CHARGING_PROFILE_CAPABLE = "CHARGING_PROFILE_CAPABLE"
    CHARGING_PREFERENCES_CAPABLE = "CHARGING_PREFERENCES_CAPABLE"
    CHIP_CARD_SUPPORT = "CHIP_CARD_SUPPORT"
    CONTACTLESS_CARD_SUPPORT = "CONTACTLESS_CARD_SUPPORT"
    CREDIT_CARD_PAYABLE = "CREDIT_CARD_PAYABLE"
    DEBIT_CARD_PAYABLE = "DEBIT_CARD_PAYABLE"
    PED_TERMINAL = "PED_TERMINAL"
    REMOTE_START_STOP_CAPABLE = "REMOTE_START_STOP_CAPABLE"
    RESERVABLE = "RESERVABLE"
    RFID_READER = "RFID_READER"
    START_SESSION_CONNECTOR_REQUIRED = "START_SESSION_CONNECTOR_REQUIRED"
    TOKEN_GROUP_CAPABLE = "TOKEN_GROUP_CAPABLE"  # noqa: S105 - an OCPI value, not a secret
    UNLOCK_CAPABLE = "UNLOCK_CAPABLE"


class ConnectorType(enum.StrEnum):
    """ConnectorType, OCPI 2.2.1 [mod_locations_connectortype_enum]; open."""

    CHADEMO = "CHADEMO"
    CHAOJI = "CHAOJI"
    DOMESTIC_A = "DOMESTIC_A"
    DOMESTIC_B = "DOMESTIC_B"
    DOMESTIC_C = "DOMESTIC_C"
    DOMESTIC_D = "DOMESTIC_D"
    DOMESTIC_E = "DOMESTIC_E"
    DOMESTIC_F = "DOMESTIC_F"
    DOMESTIC_G = "DOMESTIC_G"
    DOMESTIC_H = "DOMESTIC_H"
    DOMESTIC_I = "DOMESTIC_I"
    DOMESTIC_J = "DOMESTIC_J"
    DOMESTIC_K = "DOMESTIC_K"
    DOMESTIC_L = "DOMESTIC_L"
    DOMESTIC_M = "DOMESTIC_M"
    DOMESTIC_N = "DOMESTIC_N"
    DOMESTIC_O = "DOMESTIC_O"
    GBT_AC = "GBT_AC"
    GBT_DC = "GBT_DC"
    IEC_60309_2_single_16 = "IEC_60309_2_single_16"
    IEC_60309_2_three_16 = "IEC_60309_2_three_16"
    IEC_60309_2_three_32 = "IEC_60309_2_three_32"
    IEC_60309_2_three_64 = "IEC_60309_2_three_64"
    IEC_62196_T1 = "IEC_62196_T1"
    IEC_62196_T1_COMBO = "IEC_62196_T1_COMBO"
    IEC_62196_T2 = "IEC_62196_T2"
    IEC_62196_T2_COMBO = "IEC_62196_T2_COMBO"
    IEC_62196_T3A = "IEC_62196_T3A"
    IEC_62196_T3C = "IEC_62196_T3C"
    NEMA_5_20 = "NEMA_5_20"
    NEMA_6_30 = "NEMA_6_30"
    NEMA_6_50 = "NEMA_6_50"
    NEMA_10_30 = "NEMA_10_30"
    NEMA_10_50 = "NEMA_10_50"
    NEMA_14_30 = "NEMA_14_30"
    NEMA_14_50 = "NEMA_14_50"
    PANTOGRAPH_BOTTOM_UP = "PANTOGRAPH_BOTTOM_UP"
    PANTOGRAPH_TOP_DOWN = "PANTOGRAPH_TOP_DOWN"
    TESLA_R = "TESLA_R"
    TESLA_S = "TESLA_S"


class Facility(enum.StrEnum):
    """Facility, OCPI 2.2.1 [mod_locations_facility_enum]; open."""

    HOTEL = "HOTEL"
    RESTAURANT = "RESTAURANT"
    CAFE = "CAFE"
    MALL = "MALL"
    SUPERMARKET = "SUPERMARKET"
    SPORT = "SPORT"
    RECREATION_AREA = "RECREATION_AREA"
    NATURE = "NATURE"
    MUSEUM = "MUSEUM"
    BIKE_SHARING = "BIKE_SHARING"
    BUS_STOP = "BUS_STOP"
    TAXI_STAND = "TAXI_STAND"
    TRAM_STOP = "TRAM_STOP"
    METRO_STATION = "METRO_STATION"
    TRAIN_STATION = "TRAIN_STATION"
    AIRPORT = "AIRPORT"
    PARKING_LOT = "PARKING_LOT"
    CARPOOL_PARKING = "CARPOOL_PARKING"
    FUEL_STATION = "FUEL_STATION"
    WIFI = "WIFI"


class ImageCategory(enum.StrEnum):
    """ImageCategory, OCPI 2.2.1 [mod_locations_imagecategory_enum]; open."""

    CHARGER = "CHARGER"
    ENTRANCE = "ENTRANCE"
    LOCATION = "LOCATION"
    NETWORK = "NETWORK"
    OPERATOR = "OPERATOR"
    OTHER = "OTHER"
    OWNER = "OWNER"


class ParkingRestriction(enum.StrEnum):
    """ParkingRestriction, OCPI 2.2.1 [mod_locations_parkingrestriction_enum]; open."""

    EV_ONLY = "EV_ONLY"
    PLUGGED = "PLUGGED"
    DISABLED = "DISABLED"
    CUSTOMERS = "CUSTOMERS"
    MOTORCYCLES = "MOTORCYCLES"


class ParkingType(enum.StrEnum):
    """ParkingType, OCPI 2.2.1 [mod_locations_parkingtype_enum]; open."""

    ALONG_MOTORWAY = "ALONG_MOTORWAY"
    PARKING_GARAGE = "PARKING_GARAGE"
    PARKING_LOT = "PARKING_LOT"
    ON_DRIVEWAY = "ON_DRIVEWAY"
    ON_STREET = "ON_STREET"
    UNDERGROUND_GARAGE = "UNDERGROUND_GARAGE"


class EnvironmentalImpactCategory(enum.StrEnum):
    """EnvironmentalImpactCategory [mod_locations_environmentalimpactcategory_enum]; open."""

    NUCLEAR_WASTE = "NUCLEAR_WASTE"
    CARBON_DIOXIDE = "CARBON_DIOXIDE"


class TokenType(enum.StrEnum):
    """TokenType, OCPI 2.2.1 [mod_tokens_tokentype_enum]; open."""

    AD_HOC_USER = "AD_HOC_USER"
    APP_USER = "APP_USER"
    OTHER = "OTHER"
    RFID = "RFID"


def open_enum(known: type[enum.StrEnum], description: str) -> Meta:
    """Describe an OpenEnum field: any string is accepted, the known values are listed."""
    values = ", ".join(m.value for m in known)
    return Meta(description=f"{description} Known values: {values}.")


# -- classes ---------------------------------------------------------------------------------


class DisplayText(OcpiObject, kw_only=True):
    """DisplayText class, OCPI 2.2.1 [types_displaytext_class]."""

    language: Annotated[str, string(2, "Language code, ISO 639-1.")]
    text: Annotated[str, string(512, "Text to show to an end user; no markup.")]


class GeoLocation(OcpiObject, kw_only=True):
    """GeoLocation class, OCPI 2.2.1 [mod_locations_geolocation_class] (WGS 84)."""

    latitude: Latitude
    longitude: Longitude


class AdditionalGeoLocation(OcpiObject, kw_only=True):
    """AdditionalGeoLocation class, OCPI 2.2.1 [mod_locations_additionalgeolocation_class]."""

    latitude: Latitude
    longitude: Longitude
    name: Annotated[DisplayText | None, Meta(description="Name of the point, local language.")] = (
        None
    )


class Image(OcpiObject, kw_only=True):
    """Image class, OCPI 2.2.1 [mod_locations_image_class]."""

    url: Annotated[str, Meta(max_length=255, description="Where the image can be fetched.")]
    thumbnail: Annotated[str, Meta(max_length=255, description="Thumbnail URL.")] | None = None
    category: Annotated[str, open_enum(ImageCategory, "What the image is used for.")]
    type: Annotated[str, ci_string(4, "Image type like gif, jpeg, png, svg.")]
    width: Annotated[int, Meta(ge=0, le=99999, description="Full-scale width.")] | None = None
    height: Annotated[int, Meta(ge=0, le=99999, description="Full-scale height.")] | None = None


class BusinessDetails(OcpiObject, kw_only=True):
    """BusinessDetails class, OCPI 2.2.1 [mod_locations_businessdetails_class]."""

    name: Annotated[str, string(100, "Name of the operator.")]
    website: Annotated[str, Meta(max_length=255, description="Operator website.")] | None = None
    logo: Annotated[Image | None, Meta(description="Operator logo.")] = None


class RegularHours(OcpiObject, kw_only=True):
    """RegularHours class, OCPI 2.2.1 [mod_locations_regularhours_class].

    Local time; weekday 1=Monday..7=Sunday.
    """

    weekday: Annotated[int, Meta(ge=1, le=7, description="Day of week, Monday=1 .. Sunday=7.")]
    period_begin: LocalTime
    period_end: LocalTime


class ExceptionalPeriod(OcpiObject, kw_only=True):
    """ExceptionalPeriod class, OCPI 2.2.1 [mod_locations_exceptionalperiod_class] (UTC)."""

    period_begin: Annotated[datetime, Meta(description="Begin of the exception, UTC.")]
    period_end: Annotated[datetime, Meta(description="End of the exception, UTC.")]

    def __post_init__(self) -> None:
        self.period_begin = as_utc(self.period_begin)
        self.period_end = as_utc(self.period_end)


class Hours(OcpiObject, kw_only=True):
    """Hours class, OCPI 2.2.1 [mod_locations_hours_class]."""

    twentyfourseven: Annotated[bool, Meta(description="Open 24/7 except the exceptions.")]
    regular_hours: Annotated[
        list[RegularHours] | None, Meta(description="Weekday-based hours when not 24/7.")
    ] = None
    exceptional_openings: Annotated[
        list[ExceptionalPeriod] | None, Meta(description="Extra open periods.")
    ] = None
    exceptional_closings: Annotated[
        list[ExceptionalPeriod] | None, Meta(description="Closed periods; override all others.")
    ] = None


class EnergySource(OcpiObject, kw_only=True):
    """EnergySource class, OCPI 2.2.1 [mod_locations_energysource_class]."""

    source: EnergySourceCategory
    percentage: Annotated[Percentage, Meta(description="Share of this source, 0-100.")]


class EnvironmentalImpact(OcpiObject, kw_only=True):
    """EnvironmentalImpact class, OCPI 2.2.1 [mod_locations_environmentalimpact_class]."""

    category: Annotated[str, open_enum(EnvironmentalImpactCategory, "Impact category.")]
    amount: Annotated[Number, Meta(description="Amount in g/kWh.")]


class EnergyMix(OcpiObject, kw_only=True):
    """EnergyMix class, OCPI 2.2.1 [mod_locations_energymix_class]."""

    is_green_energy: Annotated[bool, Meta(description="True if 100% regenerative.")]
    energy_sources: list[EnergySource] | None = None
    environ_impact: list[EnvironmentalImpact] | None = None
    supplier_name: Annotated[str, string(64, "Energy supplier name.")] | None = None
    energy_product_name: Annotated[str, string(64, "Energy product name.")] | None = None


class StatusSchedule(OcpiObject, kw_only=True):
    """StatusSchedule class, OCPI 2.2.1 [mod_locations_statusschedule_class]."""

    period_begin: Annotated[datetime, Meta(description="Begin of the scheduled period, UTC.")]
    period_end: Annotated[datetime | None, Meta(description="End of the period, if known.")] = None
    status: Status

    def __post_init__(self) -> None:
        self.period_begin = as_utc(self.period_begin)
        if self.period_end is not None:
            self.period_end = as_utc(self.period_end)


class PublishTokenType(OcpiObject, kw_only=True):
    """PublishTokenType class, OCPI 2.2.1 [mod_locations_publish_token_class].

    The spec's conditional rules (at least one of uid/visual_number/group_id; uid needs
    type; visual_number needs issuer) are checked in ``__post_init__``.
    """

    uid: Annotated[str, ci_string(36, "Token uid.")] | None = None
    type: Annotated[str | None, open_enum(TokenType, "Type of the token.")] = None
    visual_number: Annotated[str, string(64, "Number printed on the token.")] | None = None
    issuer: Annotated[str, string(64, "Company that issued the token.")] | None = None
    group_id: Annotated[str, ci_string(36, "Token group id.")] | None = None

    def __post_init__(self) -> None:
        if self.uid is None and self.visual_number is None and self.group_id is None:
            raise ValueError("one of uid, visual_number or group_id must be set")
        if self.uid is not None and self.type is None:
            raise ValueError("type must be set when uid is set")
        if self.visual_number is not None and self.issuer is None:
            raise ValueError("issuer must be set when visual_number is set")
