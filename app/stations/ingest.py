"""Writing stations: imports from files and datasets, one projected row at a time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.stations import domain
from app.stations.projection import assemble_location, project_location
from app.stations.repositories import StationRepository


@dataclass(frozen=True, slots=True)
class IngestResult:
    locations: int
    evses: int
    connectors: int


async def upsert_locations(
    session: AsyncSession, locations: list[domain.Location], *, source: str
) -> IngestResult:
    """Insert or replace each location (PUT semantics). The caller owns the transaction."""
    repository = StationRepository(session)
    evses = connectors = 0
    for location in locations:
        row = project_location(location, source=source)
        await repository.upsert(row)
        evses += len(row.evses)
        connectors += sum(len(e.connectors) for e in row.evses)
    return IngestResult(locations=len(locations), evses=evses, connectors=connectors)


async def export_location(
    session: AsyncSession, country_code: str, party_id: str, location_id: str
) -> domain.Location | None:
    """The canonical Location exactly as stored (documents reassembled)."""
    stored = await StationRepository(session).get_documents(country_code, party_id, location_id)
    return None if stored is None else assemble_location(*stored)
