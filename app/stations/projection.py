"""From a canonical station to what search and the API read.

:func:`project_location` is the single place where a domain Location becomes stored
columns: the document of each level, the typed columns queries use, and the search
summary. Every writer calls it, so projections never drift from documents.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

import msgspec

from app.stations import domain, rules

# Bit positions of the connector standards a driver can filter by. Append only: the
# positions are stored in ``locations.standards_mask``. Unknown standards (OCPI's
# ConnectorType is an open enum) share the last bit so they still count as "present".
FILTERABLE_STANDARDS: tuple[str, ...] = (
    "CHADEMO",
    "CHAOJI",
    "DOMESTIC_A",
    "DOMESTIC_B",
    "DOMESTIC_C",
    "DOMESTIC_D",
    "DOMESTIC_E",
    "DOMESTIC_F",
    "DOMESTIC_G",
    "DOMESTIC_H",
    "DOMESTIC_I",
    "DOMESTIC_J",
    "DOMESTIC_K",
    "DOMESTIC_L",
    "DOMESTIC_M",
    "DOMESTIC_N",
    "DOMESTIC_O",
    "GBT_AC",
    "GBT_DC",
    "IEC_60309_2_single_16",
    "IEC_60309_2_three_16",
    "IEC_60309_2_three_32",
    "IEC_60309_2_three_64",
    "IEC_62196_T1",
    "IEC_62196_T1_COMBO",
    "IEC_62196_T2",
    "IEC_62196_T2_COMBO",
    "IEC_62196_T3A",
    "IEC_62196_T3C",
    "NEMA_5_20",
    "NEMA_6_30",
    "NEMA_6_50",
    "NEMA_10_30",
    "NEMA_10_50",
    "NEMA_14_30",
    "NEMA_14_50",
    "PANTOGRAPH_BOTTOM_UP",
    "PANTOGRAPH_TOP_DOWN",
    "TESLA_R",
    "TESLA_S",
    "MCS",
    "NACS",
    "SAE_J3400",
)
_STANDARD_BIT = {name: 1 << i for i, name in enumerate(FILTERABLE_STANDARDS)}
_OTHER_STANDARD_BIT = 1 << 62
_STATION_NAMESPACE = uuid.UUID("6f1d2c1e-5b7a-4b0e-9a53-2f3c8e0d7a11")


def standard_bit(standard: str) -> int:
    return _STANDARD_BIT.get(standard, _OTHER_STANDARD_BIT)


def station_public_id(country_code: str, party_id: str, location_id: str) -> uuid.UUID:
    """Stable across re-imports and databases, safe in URLs, reveals no row counts."""
    key = f"{country_code.upper()}*{party_id.upper()}*{location_id}"
    return uuid.uuid5(_STATION_NAMESPACE, key)


def operator_key(name: str | None) -> str | None:
    """Case-, accent- and punctuation-insensitive operator name for filtering."""
    if not name:
        return None
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()[:100] or None


class SummaryConnector(msgspec.Struct, array_like=True, frozen=True):
    standard: str
    power_type: str
    max_power_w: int


class SummaryEvse(msgspec.Struct, array_like=True, frozen=True):
    status: str
    connectors: list[SummaryConnector]


class SummaryGroup(msgspec.Struct, array_like=True, frozen=True):
    """Connectors of one standard and power type: strongest power, count, free now."""

    standard: str
    power_type: str
    max_power_w: int
    count: int
    available_count: int


class SearchSummary(msgspec.Struct, frozen=True, forbid_unknown_fields=False):
    """What one search hit needs, pre-rendered on write (compact: array-like parts)."""

    public_id: uuid.UUID
    name: str | None
    address: str
    city: str
    postal_code: str | None
    country: str
    lat: float
    lon: float
    time_zone: str
    operator: str | None
    parking_type: str | None
    facilities: list[str]
    evses: list[SummaryEvse]
    groups: list[SummaryGroup]
    available_evse_count: int
    max_power_w: int
    plug_and_charge: bool
    ad_hoc_payment: bool
    twentyfourseven: bool
    opening_times: domain.Hours | None
    last_updated: str


summary_encoder = msgspec.json.Encoder()
summary_decoder = msgspec.json.Decoder(SearchSummary)


@dataclass(frozen=True, slots=True)
class ConnectorRow:
    connector_id: str
    standard: str
    format: str
    power_type: str
    max_power_w: int
    last_updated: Any
    document: dict[str, Any]


@dataclass(frozen=True, slots=True)
class EvseRow:
    uid: str
    evse_id: str | None
    status: str
    last_updated: Any
    document: dict[str, Any]
    connectors: list[ConnectorRow]


@dataclass(frozen=True, slots=True)
class LocationRow:
    values: dict[str, Any]
    evses: list[EvseRow]


def _document(struct: Any, drop: str) -> dict[str, Any]:
    data: dict[str, Any] = msgspec.to_builtins(struct)
    data.pop(drop, None)
    return data


def project_location(location: domain.Location, *, source: str) -> LocationRow:
    evse_rows: list[EvseRow] = []
    summary_evses: list[SummaryEvse] = []
    max_power = 0
    mask = 0
    available = 0
    for evse in location.evses or []:
        connector_rows: list[ConnectorRow] = []
        summary_connectors: list[SummaryConnector] = []
        removed = evse.status == domain.Status.REMOVED
        for connector in evse.connectors:
            power = rules.max_power_w(connector)
            if not removed:
                # Kept for history and export, but a removed EVSE is nothing a driver can use.
                max_power = max(max_power, power)
                mask |= standard_bit(str(connector.standard))
            connector_rows.append(
                ConnectorRow(
                    connector_id=connector.id,
                    standard=str(connector.standard),
                    format=str(connector.format),
                    power_type=str(connector.power_type),
                    max_power_w=power,
                    last_updated=connector.last_updated,
                    document=msgspec.to_builtins(connector),
                )
            )
            summary_connectors.append(
                SummaryConnector(str(connector.standard), str(connector.power_type), power)
            )
        status = str(evse.status)
        if removed:
            summary_connectors = []
        elif status == "AVAILABLE":
            available += 1
        evse_rows.append(
            EvseRow(
                uid=evse.uid,
                evse_id=evse.evse_id,
                status=status,
                last_updated=evse.last_updated,
                document=_document(evse, "connectors"),
                connectors=connector_rows,
            )
        )
        if summary_connectors:
            summary_evses.append(SummaryEvse(status, summary_connectors))

    groups = _connector_groups(summary_evses)
    lat = float(location.coordinates.latitude)
    lon = float(location.coordinates.longitude)
    hours = location.opening_times
    twentyfourseven = bool(hours is not None and hours.twentyfourseven)
    operator_name = location.operator.name if location.operator else None
    public_id = station_public_id(location.country_code, location.party_id, location.id)
    plug_and_charge = rules.supports_plug_and_charge(location)
    ad_hoc = any(rules.supports_ad_hoc_card_payment(evse) for evse in location.evses or [])
    summary = SearchSummary(
        public_id=public_id,
        name=location.name,
        address=location.address,
        city=location.city,
        postal_code=location.postal_code,
        country=location.country,
        lat=lat,
        lon=lon,
        time_zone=location.time_zone,
        operator=operator_name,
        parking_type=str(location.parking_type) if location.parking_type else None,
        facilities=[str(f) for f in location.facilities or []],
        evses=summary_evses,
        groups=groups,
        available_evse_count=available,
        max_power_w=max_power,
        plug_and_charge=plug_and_charge,
        ad_hoc_payment=ad_hoc,
        twentyfourseven=twentyfourseven,
        opening_times=hours,
        last_updated=location.last_updated.isoformat(),
    )
    values: dict[str, Any] = {
        "public_id": public_id,
        "country_code": location.country_code,
        "party_id": location.party_id,
        "location_id": location.id,
        "source": source,
        "publish": location.publish,
        "name": location.name,
        "city": location.city,
        "postal_code": location.postal_code,
        "country": location.country,
        "lat": lat,
        "lon": lon,
        "time_zone": location.time_zone,
        "operator_name": operator_name[:100] if operator_name else None,
        "operator_key": operator_key(operator_name),
        "last_updated": location.last_updated,
        "document": _document(location, "evses"),
        "max_power_w": max_power,
        "standards_mask": mask,
        "evse_count": len(summary_evses),
        "available_evse_count": available,
        "plug_and_charge": plug_and_charge,
        "ad_hoc_payment": ad_hoc,
        "twentyfourseven": twentyfourseven,
        "summary": summary_encoder.encode(summary).decode(),
    }
    return LocationRow(values=values, evses=evse_rows)


def _connector_groups(evses: list[SummaryEvse]) -> list[SummaryGroup]:
    """Group connectors for the result list: strongest first, then by standard."""
    groups: dict[tuple[str, str], list[int]] = {}
    for evse in evses:
        free = evse.status == "AVAILABLE"
        for c in evse.connectors:
            group = groups.setdefault((c.standard, c.power_type), [0, 0, 0])
            group[0] = max(group[0], c.max_power_w)
            group[1] += 1
            group[2] += free
    ordered = sorted(groups.items(), key=lambda item: (-item[1][0], item[0]))
    return [
        SummaryGroup(standard, power_type, power, count, free)
        for (standard, power_type), (power, count, free) in ordered
    ]


def assemble_location(
    location_document: dict[str, Any],
    evses: list[tuple[dict[str, Any], list[dict[str, Any]]]],
) -> domain.Location:
    """Rebuild the canonical Location from stored documents (the export path)."""
    data = dict(location_document)
    data["evses"] = [{**evse, "connectors": connectors} for evse, connectors in evses]
    return msgspec.convert(data, domain.Location)
