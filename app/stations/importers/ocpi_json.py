"""Load OCPI Location JSON (one object, a list, or a response envelope) into the domain."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import msgspec

from app.ocpi.v2_2_1 import locations as wire_2_2_1
from app.ocpi.v2_2_1 import mapping as mapping_2_2_1
from app.ocpi.v2_3_0 import locations as wire_2_3_0
from app.ocpi.v2_3_0 import mapping as mapping_2_3_0
from app.stations import domain
from app.stations.importers.report import ImportReport, ImportResult, check_exportable

OcpiVersion = Literal["2.2.1", "2.3.0"]


def _to_domain(item: Any, version: OcpiVersion) -> domain.Location:
    if version == "2.2.1":
        return mapping_2_2_1.location_to_domain(msgspec.convert(item, wire_2_2_1.Location))
    return mapping_2_3_0.location_to_domain(msgspec.convert(item, wire_2_3_0.Location))


def _items(document: Any) -> list[Any]:
    """A Location, a list of them, or an OCPI response {"data": ..., "status_code": ...}."""
    if isinstance(document, dict) and "status_code" in document and "data" in document:
        document = document["data"]
    if isinstance(document, list):
        return document
    return [document]


def load_locations(source: bytes | Path, version: OcpiVersion) -> ImportResult:
    """Decode OCPI Locations of ``version``; each invalid item is skipped with its path.

    Items are validated one by one (not as one typed list) so that one bad Location in a
    page of a thousand does not lose the other 999.
    """
    data = source.read_bytes() if isinstance(source, Path) else source
    report = ImportReport(source=f"ocpi-{version}")
    try:
        document = msgspec.json.decode(data)
    except msgspec.DecodeError as exc:
        report.skip("document", f"not JSON: {exc}")
        return ImportResult(locations=[], report=report)
    locations: list[domain.Location] = []
    for index, item in enumerate(_items(document)):
        report.records_read += 1
        item_id = item.get("id") if isinstance(item, dict) else None
        source_id = f"[{index}] {item_id}" if item_id else f"[{index}]"
        try:
            location = _to_domain(item, version)
            check_exportable(location)
        except msgspec.ValidationError as exc:
            report.skip(source_id, str(exc))
            continue
        locations.append(location)
    report.locations_imported = len(locations)
    return ImportResult(locations=locations, report=report)
