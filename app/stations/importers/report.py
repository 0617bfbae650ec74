"""What an import produced and what it skipped, and the export check every record passes."""

from __future__ import annotations

import msgspec

from app.ocpi.v2_2_1 import locations as wire_2_2_1
from app.ocpi.v2_2_1 import mapping as mapping_2_2_1
from app.stations import domain


class SkippedRecord(msgspec.Struct, frozen=True):
    """One input record (or part of one) that was left out, and why."""

    source_id: str
    reason: str


class ImportReport(msgspec.Struct, kw_only=True):
    """Counts and reasons of one import run; an import never raises for a bad record."""

    source: str
    records_read: int = 0
    locations_imported: int = 0
    skipped: list[SkippedRecord] = msgspec.field(default_factory=list)
    """Records left out entirely."""
    dropped_parts: list[SkippedRecord] = msgspec.field(default_factory=list)
    """Parts of imported records left out (e.g. a connection of unknown type)."""

    def skip(self, source_id: str, reason: str) -> None:
        self.skipped.append(SkippedRecord(source_id, reason))

    def drop_part(self, source_id: str, reason: str) -> None:
        self.dropped_parts.append(SkippedRecord(source_id, reason))


class ImportResult(msgspec.Struct, kw_only=True):
    locations: list[domain.Location]
    report: ImportReport


def check_exportable(location: domain.Location) -> None:
    """Encode as OCPI 2.2.1 and decode strictly; raises ``msgspec.ValidationError``.

    2.2.1 is the version every peer speaks, so a Location that does not survive this
    would break the first OCPI consumer it reaches.
    """
    encoded = msgspec.json.encode(mapping_2_2_1.location_from_domain(location))
    msgspec.json.decode(encoded, type=wire_2_2_1.Location, strict=True)
