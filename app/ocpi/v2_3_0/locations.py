"""OCPI 2.3.0 Locations module objects: Location, EVSE, Connector, Parking.

Spec: OCPI 2.3.0 mod_locations.asciidoc, [mod_locations_object_description]. Field
names are verbatim. Optional fields default to ``None`` and lists of cardinality ``*`` are
``list | None`` so that a decoded object re-encodes exactly: an absent field stays absent
and an explicit ``[]`` stays ``[]`` (``omit_defaults`` on the base class).

Unknown JSON fields are ignored rather than rejected, as OCPI receivers must tolerate
additions from newer minor versions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from app.ocpi.v2_3_0.types import (
    URL,
    AdditionalGeoLocation,
    BusinessDetails,
    Capability,
    ConnectorCapability,
    ConnectorFormat,
    ConnectorType,
    DisplayText,
    EnergyMix,
    EVSEPosition,
    Facility,
    GeoLocation,
    Hours,
    Image,
    Number,
    OcpiObject,
    ParkingDirection,
    ParkingRestriction,
    ParkingType,
    PowerType,
    PublishTokenType,
    Status,
    StatusSchedule,
    VehicleType,
    as_utc,
    ci_string,
    open_enum,
    string,
)

__all__ = ["EVSE", "Connector", "EVSEParking", "Location", "Parking", "decode_patch"]

LastUpdated = Annotated[
    datetime,
    Meta(
        description="When this object was last updated (or created), UTC.",
        examples=["2015-06-29T20:39:09Z"],
    ),
]


class Connector(OcpiObject, kw_only=True):
    """Connector object, OCPI 2.3.0 [mod_locations_connector_object].

    A socket, or a cable with plug, on an EVSE.
    """

    id: Annotated[str, ci_string(36, "Connector id, unique within its EVSE.")]
    standard: Annotated[str, open_enum(ConnectorType, "Standard of the installed connector.")]
    format: Annotated[ConnectorFormat, Meta(description="Socket or attached cable.")]
    power_type: PowerType
    max_voltage: Annotated[
        int, Meta(description="Maximum voltage in V (line to neutral for AC_3_PHASE).")
    ]
    max_amperage: Annotated[int, Meta(description="Maximum amperage in A.")]
    max_electric_power: (
        Annotated[int, Meta(description="Maximum power in W, when lower than V x A.")] | None
    ) = None
    tariff_ids: Annotated[
        list[Annotated[str, ci_string(36, "Tariff id.")]] | None,
        Meta(description="Identifiers of the currently valid tariffs."),
    ] = None
    capabilities: Annotated[
        list[Annotated[str, open_enum(ConnectorCapability, "Connector capability.")]] | None,
        Meta(description="Functionalities of the connector, e.g. Plug & Charge."),
    ] = None
    terms_and_conditions: Annotated[
        URL | None, Meta(description="Operator's terms and conditions.")
    ] = None
    last_updated: LastUpdated

    def __post_init__(self) -> None:
        self.last_updated = as_utc(self.last_updated)


class Parking(OcpiObject, kw_only=True):
    """Parking object, OCPI 2.3.0 [mod_locations_parking_object]. New in 2.3.0 (AFIR).

    Lengths are in centimetres, weights in kilograms, ``time_limit`` in minutes.
    """

    id: Annotated[str, ci_string(36, "Unique among the Location's parking places.")]
    physical_reference: Annotated[str, string(12, "Identifier visible on site.")] | None = None
    vehicle_types: Annotated[
        list[Annotated[str, open_enum(VehicleType, "Vehicle type.")]],
        Meta(min_length=1, description="Vehicle types the parking is designed for."),
    ]
    max_vehicle_weight: Annotated[Number | None, Meta(description="Max weight, kg.")] = None
    max_vehicle_height: Annotated[Number | None, Meta(description="Max height, cm.")] = None
    max_vehicle_length: Annotated[Number | None, Meta(description="Max length, cm.")] = None
    max_vehicle_width: Annotated[Number | None, Meta(description="Max width, cm.")] = None
    parking_space_length: Annotated[Number | None, Meta(description="Length, cm.")] = None
    parking_space_width: Annotated[Number | None, Meta(description="Width, cm.")] = None
    dangerous_goods_allowed: bool | None = None
    direction: ParkingDirection | None = None
    drive_through: bool | None = None
    restricted_to_type: Annotated[bool, Meta(description="Other vehicle types forbidden.")]
    reservation_required: bool
    time_limit: Annotated[Number | None, Meta(description="Max parking time, minutes.")] = None
    roofed: bool | None = None
    images: list[Image] | None = None
    lighting: bool | None = None
    refrigeration_outlet: bool | None = None
    standards: list[Annotated[str, ci_string(36, "Standard, e.g. PAS 1899.")]] | None = None
    apds_reference: (
        Annotated[str, Meta(pattern=r"^[\x20-\x7E]*$", description="APDS element reference.")]
        | None
    ) = None


class EVSEParking(OcpiObject, kw_only=True):
    """EVSEParking class, OCPI 2.3.0 [mod_locations_evseparking_class]. New in 2.3.0."""

    parking_id: Annotated[str, ci_string(36, "id of a Parking in Location.parking_places.")]
    evse_position: EVSEPosition | None = None


class EVSE(OcpiObject, kw_only=True):
    """EVSE object, OCPI 2.3.0 [mod_locations_evse_object].

    Controls the power supply to one EV at a time.
    """

    uid: Annotated[str, ci_string(36, "Technical EVSE id within the CPO platform.")]
    evse_id: Annotated[str, ci_string(48, "eMI3 EVSE ID, e.g. BE*BEC*E041503001.")] | None = None
    status: Annotated[Status, Meta(description="Current status of the EVSE.")]
    status_schedule: Annotated[
        list[StatusSchedule] | None, Meta(description="Planned status periods.")
    ] = None
    capabilities: Annotated[
        list[Annotated[str, open_enum(Capability, "EVSE capability.")]] | None,
        Meta(description="Functionalities of the EVSE."),
    ] = None
    connectors: Annotated[list[Connector], Meta(min_length=1, description="At least one.")]
    floor_level: Annotated[str, string(4, "Floor level in local numbering.")] | None = None
    coordinates: Annotated[GeoLocation | None, Meta(description="Coordinates of the EVSE.")] = None
    physical_reference: Annotated[str, string(16, "Number printed on the EVSE.")] | None = None
    directions: Annotated[
        list[DisplayText] | None, Meta(description="How to reach the EVSE from the Location.")
    ] = None
    parking_restrictions: Annotated[
        list[Annotated[str, open_enum(ParkingRestriction, "Parking restriction.")]] | None,
        Meta(description="Who may charge here, apart from vehicle type."),
    ] = None
    # The 2.3.0 examples write bare parking ids ("parking": ["1", "2"]) although the field
    # table says EVSEParking objects; both forms are accepted, objects are what we emit.
    parking: Annotated[
        list[EVSEParking | Annotated[str, ci_string(36, "Bare Parking id (example form).")]] | None,
        Meta(description="Parking places usable from this EVSE."),
    ] = None
    images: Annotated[list[Image] | None, Meta(description="Images of the EVSE.")] = None
    accepted_service_providers: Annotated[
        list[Annotated[str, string(50, "eMSP name.")]] | None,
        Meta(description="eMSPs whose contracts are accepted here (AFIR reporting)."),
    ] = None
    last_updated: LastUpdated

    def __post_init__(self) -> None:
        self.last_updated = as_utc(self.last_updated)


class Location(OcpiObject, kw_only=True):
    """Location object, OCPI 2.3.0 [mod_locations_location_object].

    A group of EVSEs at one place.
    """

    country_code: Annotated[str, ci_string(2, "ISO 3166 alpha-2 code of the owning CPO.")]
    party_id: Annotated[str, ci_string(3, "Party id of the owning CPO.")]
    id: Annotated[str, ci_string(36, "Location id within the CPO platform.")]
    publish: Annotated[bool, Meta(description="May be shown in apps and on websites.")]
    publish_allowed_to: Annotated[
        list[PublishTokenType] | None,
        Meta(description="Tokens that may see this Location when publish is false."),
    ] = None
    name: Annotated[str, string(255, "Display name.")] | None = None
    address: Annotated[str, string(45, "Street and house number.")]
    city: Annotated[str, string(45, "City or town.")]
    postal_code: Annotated[str, string(10, "Postal code.")] | None = None
    state: Annotated[str, string(20, "State or province.")] | None = None
    country: Annotated[str, string(3, "ISO 3166-1 alpha-3 country code, e.g. DEU.")]
    coordinates: Annotated[GeoLocation, Meta(description="Coordinates of the Location.")]
    related_locations: Annotated[
        list[AdditionalGeoLocation] | None, Meta(description="Related points, e.g. entrances.")
    ] = None
    parking_type: Annotated[
        str | None, open_enum(ParkingType, "General type of parking at the Location.")
    ] = None
    evses: Annotated[list[EVSE] | None, Meta(description="EVSEs at this Location.")] = None
    parking_places: Annotated[
        list[Parking] | None, Meta(description="Parking places for vehicles charging here.")
    ] = None
    directions: Annotated[
        list[DisplayText] | None, Meta(description="How to reach the Location.")
    ] = None
    operator: Annotated[BusinessDetails | None, Meta(description="Operator.")] = None
    suboperator: Annotated[BusinessDetails | None, Meta(description="Suboperator.")] = None
    owner: Annotated[BusinessDetails | None, Meta(description="Owner.")] = None
    facilities: Annotated[
        list[Annotated[str, open_enum(Facility, "Facility.")]] | None,
        Meta(description="Facilities this Location belongs to."),
    ] = None
    help_phone: Annotated[str, ci_string(25, "Phone number for driver assistance.")] | None = None
    time_zone: Annotated[str, string(255, "IANA time zone, e.g. Europe/Berlin.")]
    opening_times: Annotated[Hours | None, Meta(description="When EVSEs can be accessed.")] = None
    charging_when_closed: Annotated[
        bool | None, Meta(description="Charging continues outside opening hours; default true.")
    ] = None
    images: Annotated[list[Image] | None, Meta(description="Images of the Location.")] = None
    energy_mix: Annotated[EnergyMix | None, Meta(description="Energy supplied here.")] = None
    last_updated: Annotated[
        datetime,
        Meta(description="When this Location or one of its EVSEs/Connectors last changed."),
    ]

    def __post_init__(self) -> None:
        self.last_updated = as_utc(self.last_updated)


_PATCH_TYPES: dict[type[msgspec.Struct], type[msgspec.Struct]] = {}


def _patch_type(target: type[msgspec.Struct]) -> type[msgspec.Struct]:
    """``target``'s fields, all optional: a PATCH body [mod_locations_patch_method]."""
    cached = _PATCH_TYPES.get(target)
    if cached is None:
        hints = msgspec.structs.fields(target)
        cached = msgspec.defstruct(
            f"{target.__name__}Patch",
            [(f.name, f.type | None, None) for f in hints],
            kw_only=True,
            omit_defaults=True,
            forbid_unknown_fields=True,
        )
        _PATCH_TYPES[target] = cached
    return cached


def decode_patch(body: bytes, target: type[Location | EVSE | Connector]) -> dict[str, Any]:
    """Validate a PATCH body against ``target``'s field types; return the fields it sets.

    A PATCH carries any subset of the object's fields (mod_locations_patch_method), always with
    ``last_updated``. Unknown field names are rejected here because a misspelt field in a
    partial update would otherwise be silently lost.
    """
    patch = msgspec.json.decode(body, type=_patch_type(target))
    fields = msgspec.structs.asdict(patch)
    if fields.get("last_updated") is None:
        raise msgspec.ValidationError("Object missing required field `last_updated`")
    return {name: value for name, value in fields.items() if value is not None}
