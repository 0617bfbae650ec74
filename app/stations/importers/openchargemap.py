"""Open Charge Map (OCM) JSON -> canonical Locations.

One OCM POI becomes one Location ``OCM-<ID>``; each of its Connections becomes
``Quantity`` EVSEs with one Connector each (OCM does not say which connectors share a
charge point, and one-connector EVSEs never over-state simultaneous use). Mapping tables
and their reasons are in docs/station-data.md.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

import msgspec

from app.stations import domain
from app.stations.importers.normalise import (
    ALPHA3,
    ascii_fold,
    clip,
    format_coordinate,
    party_id_for,
)
from app.stations.importers.report import ImportReport, ImportResult, check_exportable

# ConnectionTypeID -> (OCPI ConnectorType, ConnectorFormat). CEE 5-pin is resolved by amps.
CONNECTION_TYPES: dict[int, tuple[str, domain.ConnectorFormat]] = {
    1: ("IEC_62196_T1", domain.ConnectorFormat.CABLE),  # J1772
    2: ("CHADEMO", domain.ConnectorFormat.CABLE),
    8: ("TESLA_R", domain.ConnectorFormat.CABLE),  # Tesla (Roadster)
    16: ("IEC_60309_2_single_16", domain.ConnectorFormat.SOCKET),  # CEE 3 pin (blue)
    17: ("IEC_60309_2_three_16", domain.ConnectorFormat.SOCKET),  # CEE 5 pin (red)
    25: ("IEC_62196_T2", domain.ConnectorFormat.SOCKET),  # Mennekes (Type 2)
    27: ("TESLA_S", domain.ConnectorFormat.CABLE),  # Tesla Supercharger
    28: ("DOMESTIC_F", domain.ConnectorFormat.SOCKET),  # CEE 7/4 Schuko
    29: ("DOMESTIC_I", domain.ConnectorFormat.SOCKET),  # Type I (AS 3112)
    32: ("IEC_62196_T1_COMBO", domain.ConnectorFormat.CABLE),  # CCS Type 1
    33: ("IEC_62196_T2_COMBO", domain.ConnectorFormat.CABLE),  # CCS Type 2
    1036: ("IEC_62196_T2", domain.ConnectorFormat.CABLE),  # Type 2, tethered
}
CURRENT_TYPES = {
    10: domain.PowerType.AC_1_PHASE,
    20: domain.PowerType.AC_3_PHASE,
    30: domain.PowerType.DC,
}
_DC_STANDARDS = frozenset({"CHADEMO", "TESLA_S", "IEC_62196_T1_COMBO", "IEC_62196_T2_COMBO"})
_SINGLE_PHASE_STANDARDS = frozenset({"DOMESTIC_F", "DOMESTIC_I", "IEC_60309_2_single_16"})
# StatusTypeID -> EVSE status. OCM has no live status: "Operational" is read as AVAILABLE.
STATUS_TYPES = {
    0: domain.Status.UNKNOWN,
    10: domain.Status.AVAILABLE,
    20: domain.Status.CHARGING,
    30: domain.Status.INOPERATIVE,
    50: domain.Status.AVAILABLE,
    75: domain.Status.AVAILABLE,
    100: domain.Status.OUTOFORDER,
    150: domain.Status.PLANNED,
    200: domain.Status.REMOVED,
    210: domain.Status.REMOVED,
}
# UsageTypeID -> (publish, EVSE capabilities, parking restrictions)
USAGE_TYPES: dict[int, tuple[bool, list[str], list[str]]] = {
    1: (True, [], []),  # Public
    2: (False, [], []),  # Private - Restricted Access
    3: (False, [], []),  # Privately Owned - Notice Required
    4: (True, ["RFID_READER"], []),  # Public - Membership Required (charge card)
    5: (True, [], []),  # Public - Pay At Location (means of payment unknown)
    6: (True, [], ["CUSTOMERS"]),  # Private - For Staff, Visitors or Customers
    7: (True, [], []),  # Public - Notice Required
}
_NO_OPERATOR_IDS = frozenset({1, 45})  # "(Unknown Operator)", "(Business Owner at Location)"
_TRIVIAL_24_7 = re.compile(
    r"^(rund um die uhr\s*)?\(?24/7\)?\s*(nutzbar|open|offen|geöffnet)?\.?$", re.IGNORECASE
)
_AC_VOLTAGE_LN = 230
_DC_VOLTAGE = 400


def is_open_licence(record: dict[str, Any]) -> bool:
    """False for records under a NonCommercial licence (OCM's ``IsOpenDataLicensed`` is
    True even for the CC BY-NC-SA ones, so the licence text decides)."""
    provider = record.get("DataProvider") or {}
    licence = str(provider.get("License") or "")
    if "noncommercial" in licence.lower().replace("-", "") or "by-nc" in licence.lower():
        return False
    return provider.get("IsOpenDataLicensed") is not False


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _power_type(standard: str, current_type_id: Any, power_kw: float | None) -> domain.PowerType:
    if current_type_id in CURRENT_TYPES:
        return CURRENT_TYPES[current_type_id]
    if standard in _DC_STANDARDS:
        return domain.PowerType.DC
    if standard in _SINGLE_PHASE_STANDARDS or (power_kw is not None and power_kw <= 7.4):
        return domain.PowerType.AC_1_PHASE
    return domain.PowerType.AC_3_PHASE


def _connector(conn: dict[str, Any], updated: datetime) -> domain.Connector | None:
    mapped = CONNECTION_TYPES.get(conn.get("ConnectionTypeID") or 0)
    if mapped is None:
        return None
    standard, fmt = mapped
    power_kw = conn.get("PowerKW")
    power_kw = float(power_kw) if isinstance(power_kw, int | float) and power_kw > 0 else None
    power_type = _power_type(standard, conn.get("CurrentTypeID"), power_kw)
    phases = {domain.PowerType.AC_3_PHASE: 3}.get(power_type, 1)
    voltage = conn.get("Voltage")
    if not isinstance(voltage, int | float) or voltage <= 0:
        voltage = _DC_VOLTAGE if power_type is domain.PowerType.DC else _AC_VOLTAGE_LN
    elif power_type is domain.PowerType.AC_3_PHASE and voltage > 300:
        # OCM gives line-to-line (400 V); OCPI wants line-to-neutral (230 V nominal).
        voltage = _AC_VOLTAGE_LN if 380 <= voltage <= 415 else voltage / math.sqrt(3)
    amps = conn.get("Amps")
    if not isinstance(amps, int | float) or amps <= 0:
        amps = math.ceil(power_kw * 1000 / (phases * voltage)) if power_kw else 16
    if standard == "IEC_60309_2_three_16" and amps > 16:
        standard = "IEC_60309_2_three_32" if amps <= 32 else "IEC_60309_2_three_64"
    return domain.Connector(
        id="1",
        standard=standard,
        format=fmt,
        power_type=power_type,
        max_voltage=round(voltage),
        max_amperage=round(amps),
        max_electric_power=round(power_kw * 1000) if power_kw else None,
        last_updated=updated,
    )


def _opening_times(address: dict[str, Any]) -> domain.Hours | None:
    comment = " ".join(str(address.get("AccessComments") or "").split())
    if comment and _TRIVIAL_24_7.match(comment):
        return domain.Hours(twentyfourseven=True)
    return None


def location_from_record(record: dict[str, Any], report: ImportReport) -> domain.Location:
    """Map one OCM POI; raises KeyError/TypeError/ValueError for unusable records."""
    ocm_id = int(record["ID"])
    source_id = f"OCM-{ocm_id}"
    address = record["AddressInfo"]
    country2 = str((address.get("Country") or {}).get("ISOCode") or "").upper()
    if country2 not in ALPHA3:
        raise ValueError(f"country {country2!r} has no alpha-3 mapping")
    updated = max(
        (
            t
            for t in (
                _parse_time(record.get("DateLastStatusUpdate")),
                _parse_time(record.get("DateLastVerified")),
            )
            if t is not None
        ),
        default=_parse_time(record.get("DateCreated")),
    )
    if updated is None:
        raise ValueError("no DateLastStatusUpdate, DateLastVerified or DateCreated")
    publish, capabilities, restrictions = USAGE_TYPES.get(
        record.get("UsageTypeID") or 0, (True, [], [])
    )
    site_status = STATUS_TYPES.get(record.get("StatusTypeID") or 0, domain.Status.UNKNOWN)
    evses: list[domain.EVSE] = []
    for conn in record.get("Connections") or []:
        connector = _connector(conn, updated)
        if connector is None:
            title = (conn.get("ConnectionType") or {}).get("Title")
            report.drop_part(source_id, f"connection {conn.get('ID')}: unknown type {title!r}")
            continue
        status = STATUS_TYPES.get(conn.get("StatusTypeID") or -1, site_status)
        evses.extend(
            domain.EVSE(
                uid=f"{ocm_id}-{conn.get('ID')}-{n}",
                status=status,
                capabilities=capabilities or None,
                connectors=[connector],
                parking_restrictions=restrictions or None,
                last_updated=updated,
            )
            for n in range(1, max(1, int(conn.get("Quantity") or 1)) + 1)
        )
    if not evses:
        raise ValueError("no connection of a known connector type")
    info = record.get("OperatorInfo") or {}
    operator = None
    if record.get("OperatorID") not in _NO_OPERATOR_IDS and info.get("Title"):
        website = info.get("WebsiteURL")
        operator = domain.BusinessDetails(
            name=clip(info["Title"], 100) or "", website=clip(website, 255) if website else None
        )
    phone = ascii_fold(str(info.get("PhonePrimaryContact") or ""))[:25] or None
    return domain.Location(
        country_code=country2,
        party_id=party_id_for(operator.name if operator else None, "OCM"),
        id=source_id,
        publish=publish,
        name=clip(address.get("Title"), 255),
        address=clip(address.get("AddressLine1"), 45) or clip(address.get("Title"), 45) or "",
        city=clip(address.get("Town"), 45) or "",
        postal_code=clip(address.get("Postcode"), 10),
        country=ALPHA3[country2],
        coordinates=domain.GeoLocation(
            latitude=format_coordinate(float(address["Latitude"])),
            longitude=format_coordinate(float(address["Longitude"])),
        ),
        evses=evses,
        operator=operator,
        help_phone=phone if operator else None,
        time_zone="Europe/Berlin",
        opening_times=_opening_times(address),
        last_updated=updated,
    )


def import_openchargemap(data: bytes, *, include_non_open: bool = False) -> ImportResult:
    """Parse an OCM POI export (a JSON array); bad records are skipped and reported."""
    report = ImportReport(source="openchargemap")
    records = msgspec.json.decode(data)
    locations: list[domain.Location] = []
    for record in records if isinstance(records, list) else []:
        report.records_read += 1
        source_id = f"OCM-{record.get('ID')}" if isinstance(record, dict) else "OCM-?"
        if not isinstance(record, dict):
            report.skip(source_id, "record is not a JSON object")
            continue
        if not include_non_open and not is_open_licence(record):
            report.skip(source_id, "licence is not open (NonCommercial)")
            continue
        try:
            location = location_from_record(record, report)
            check_exportable(location)
        except (AttributeError, KeyError, TypeError, ValueError, msgspec.ValidationError) as exc:
            report.skip(source_id, f"{type(exc).__name__}: {exc}")
            continue
        locations.append(location)
    report.locations_imported = len(locations)
    return ImportResult(locations=locations, report=report)
