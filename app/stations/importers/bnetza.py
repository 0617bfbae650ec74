"""Bundesnetzagentur charge point register (Ladesäulenregister) CSV -> canonical Locations.

One row is one charging installation at one address: it becomes a Location with one EVSE
per charge point ("Anzahl Ladepunkte", columns "Steckertypen N" / "PN [kW]") and one
Connector per plug type listed for that charge point. The register has no live status,
so EVSEs are UNKNOWN, and no change date, so the commissioning date
("Inbetriebnahmedatum", US-style M/D/YY) is used as ``last_updated``. Mapping tables and
their reasons are in docs/station-data.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from datetime import UTC, datetime

import msgspec

from app.stations import domain
from app.stations.importers.normalise import clip, format_coordinate, party_id_for
from app.stations.importers.report import ImportReport, ImportResult, check_exportable

# Steckertyp -> (OCPI ConnectorType, format, is DC, power cap in W for the plug itself)
PLUG_TYPES: dict[str, tuple[str, domain.ConnectorFormat, bool, int | None]] = {
    "AC Steckdose Typ 2": ("IEC_62196_T2", domain.ConnectorFormat.SOCKET, False, None),
    "AC Kupplung Typ 2": ("IEC_62196_T2", domain.ConnectorFormat.CABLE, False, None),
    "AC Schuko": ("DOMESTIC_F", domain.ConnectorFormat.SOCKET, False, 3680),
    "AC CEE 3 polig": ("IEC_60309_2_single_16", domain.ConnectorFormat.SOCKET, False, 3680),
    "AC CEE 5 polig": ("IEC_60309_2_three_32", domain.ConnectorFormat.SOCKET, False, None),
    "DC Kupplung Combo": ("IEC_62196_T2_COMBO", domain.ConnectorFormat.CABLE, True, None),
    "DC CHAdeMO": ("CHADEMO", domain.ConnectorFormat.CABLE, True, None),
}
_AC_VOLTAGE_LN = 230
_SINGLE_PHASE_MAX_W = 7400  # 230 V x 32 A; above that an AC point is taken as three-phase
MAX_CHARGE_POINTS = 4


def parse_decimal(text: str) -> float:
    """German decimal comma: "3,7" -> 3.7, "52,535955" -> 52.535955."""
    return float(text.strip().replace(".", "").replace(",", ".") if "," in text else text)


def parse_commissioning_date(text: str) -> datetime:
    """The file writes dates as M/D/YY (e.g. 7/14/09 = 14 July 2009), read as 00:00 UTC."""
    return datetime.strptime(text.strip(), "%m/%d/%y").replace(tzinfo=UTC)


def _connector(
    plug: str, power_w: int, connector_id: str, updated: datetime
) -> domain.Connector | None:
    mapped = PLUG_TYPES.get(plug)
    if mapped is None:
        return None
    standard, fmt, is_dc, cap = mapped
    power = min(power_w, cap) if cap else power_w
    if is_dc:
        power_type = domain.PowerType.DC
        voltage = 500 if power <= 100_000 else 920  # typical maximum of the DC class
        amps = math.ceil(power / voltage)
    elif power <= _SINGLE_PHASE_MAX_W or cap is not None:
        power_type, voltage = domain.PowerType.AC_1_PHASE, _AC_VOLTAGE_LN
        amps = round(power / voltage)
    else:
        power_type, voltage = domain.PowerType.AC_3_PHASE, _AC_VOLTAGE_LN
        amps = round(power / (3 * voltage))
    return domain.Connector(
        id=connector_id,
        standard=standard,
        format=fmt,
        power_type=power_type,
        max_voltage=voltage,
        max_amperage=amps,
        max_electric_power=power,
        last_updated=updated,
    )


def _row_key(row: dict[str, str]) -> str:
    parts = (row["Betreiber"], row["Adresse"], row["Postleitzahl Ort"])
    coords = (row["Breitengrad [DG]"], row["Längengrad [DG]"])
    text = "|".join(p.strip().lower() for p in (*parts, *coords))
    return hashlib.sha256(text.encode()).hexdigest()[:16].upper()


def location_from_row(
    row: dict[str, str], location_id: str, report: ImportReport
) -> domain.Location:
    """Map one register row; raises KeyError/ValueError for unusable rows."""
    updated = parse_commissioning_date(row["Inbetriebnahmedatum"])
    count = int(row["Anzahl Ladepunkte"] or 0)
    if not 1 <= count <= MAX_CHARGE_POINTS:
        raise ValueError(f"Anzahl Ladepunkte {count} outside 1..{MAX_CHARGE_POINTS}")
    total_kw = parse_decimal(row["Anschlussleistung [kW]"] or "0")
    evses: list[domain.EVSE] = []
    for n in range(1, count + 1):
        kw_text = row.get(f"P{n} [kW]") or ""
        power_w = round((parse_decimal(kw_text) if kw_text else total_kw / count) * 1000)
        connectors: list[domain.Connector] = []
        for plug in (p.strip() for p in (row.get(f"Steckertypen {n}") or "").split(",")):
            if not plug:
                continue
            connector = _connector(plug, power_w, str(len(connectors) + 1), updated)
            if connector is None:
                report.drop_part(location_id, f"charge point {n}: unknown plug type {plug!r}")
            else:
                connectors.append(connector)
        if connectors:
            evses.append(
                domain.EVSE(
                    uid=f"{location_id}-{n}",
                    status=domain.Status.UNKNOWN,
                    connectors=connectors,
                    last_updated=updated,
                )
            )
    if not evses:
        raise ValueError("no charge point with a known plug type")
    postal_code, _, city = row["Postleitzahl Ort"].strip().partition(" ")
    operator = clip(row["Betreiber"], 100)
    return domain.Location(
        country_code="DE",
        party_id=party_id_for(operator, "BNA"),
        id=location_id,
        publish=True,
        address=clip(row["Adresse"], 45) or "",
        city=clip(city, 45) or "",
        postal_code=clip(postal_code, 10),
        country="DEU",
        coordinates=domain.GeoLocation(
            latitude=format_coordinate(parse_decimal(row["Breitengrad [DG]"])),
            longitude=format_coordinate(parse_decimal(row["Längengrad [DG]"])),
        ),
        evses=evses,
        operator=domain.BusinessDetails(name=operator) if operator else None,
        time_zone="Europe/Berlin",
        last_updated=updated,
    )


def import_bnetza(data: bytes | str) -> ImportResult:
    """Parse the register CSV (UTF-8, comma separated, German headers)."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    report = ImportReport(source="bnetza")
    locations: list[domain.Location] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        report.records_read += 1
        try:
            key = _row_key(row)
            seen[key] = seen.get(key, 0) + 1
            # Identical rows (same operator, address, coordinates) get a stable suffix.
            location_id = f"BNA-{key}" + (f"-{seen[key]}" if seen[key] > 1 else "")
        except (KeyError, AttributeError) as exc:
            report.skip(f"line {line}", f"missing column {exc}")
            continue
        try:
            location = location_from_row(row, location_id, report)
            check_exportable(location)
        except (AttributeError, KeyError, TypeError, ValueError, msgspec.ValidationError) as exc:
            report.skip(f"{location_id} (line {line})", f"{type(exc).__name__}: {exc}")
            continue
        locations.append(location)
    report.locations_imported = len(locations)
    return ImportResult(locations=locations, report=report)
