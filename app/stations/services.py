"""Station search and detail: query validation, exact filters, paging, shaping."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from app.core.errors import FieldError, InvalidInputError, NotFoundError
from app.core.pagination import CursorCodec, fingerprint
from app.core.settings import Settings
from app.stations import rules
from app.stations.geo import Box, box_centre, boxes_around, haversine_m, split_at_antimeridian
from app.stations.projection import (
    FILTERABLE_STANDARDS,
    SearchSummary,
    assemble_location,
    operator_key,
    standard_bit,
    summary_decoder,
)
from app.stations.repositories import StationRepository
from app.stations.responses import detail_out, summary_out
from app.stations.schemas import (
    StationDetail,
    StationSearchPage,
)
from app.stations.search_index import Candidate, CoarseFilters, SearchIndex

_KNOWN_STANDARDS = frozenset(FILTERABLE_STANDARDS)
_MAX_BATCH = 2_000
# The disc starts small (how small is the index's choice) and grows: in a city centre
# the first one already holds a page, in the countryside a few widenings reach the radius.
_MIN_GROWTH = 1.5
_MAX_GROWTH = 4.0


@dataclass(frozen=True, slots=True)
class StationQuery:
    """A validated search: a circle (lat, lon, radius) or a viewport (box)."""

    lat: float | None = None
    lon: float | None = None
    radius_m: int | None = None
    south: float | None = None
    west: float | None = None
    north: float | None = None
    east: float | None = None
    standards: tuple[str, ...] = ()
    min_power_kw: float | None = None
    available_now: bool = False
    operators: tuple[str, ...] = ()
    plug_and_charge: bool = False
    ad_hoc_payment: bool = False
    open_now: bool = False
    limit: int | None = None
    cursor: str | None = None


def _invalid(errors: list[FieldError]) -> InvalidInputError:
    return InvalidInputError("The search query is invalid", errors=errors)


@dataclass(frozen=True, slots=True)
class _Plan:
    """Where to look: a centre, how far at most, and (for a viewport) the region."""

    lat: float
    lon: float
    max_radius_m: float
    region: list[Box] | None

    def boxes(self, radius_m: float) -> list[Box]:
        disc = boxes_around(self.lat, self.lon, radius_m)
        if self.region is None:
            return disc
        boxes = []
        for a in disc:
            for b in self.region:
                south, north = max(a.south, b.south), min(a.north, b.north)
                west, east = max(a.west, b.west), min(a.east, b.east)
                if south <= north and west <= east:
                    boxes.append(Box(south, west, north, east))
        return boxes


class StationService:
    def __init__(
        self,
        repository: StationRepository,
        index: SearchIndex,
        settings: Settings,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.repository = repository
        self.index = index
        self.settings = settings
        self.clock = clock
        self.cursors = CursorCodec(settings.secret_key, "stations.search")

    def _plan(self, q: StationQuery) -> _Plan:
        errors: list[FieldError] = []
        box_fields = (q.south, q.west, q.north, q.east)
        has_box = any(v is not None for v in box_fields)
        has_point = q.lat is not None or q.lon is not None
        if has_box:
            if any(v is None for v in box_fields):
                errors.append(FieldError("south", "a viewport needs south, west, north and east"))
            elif q.south > q.north:  # type: ignore[operator]
                errors.append(FieldError("south", "south must not be greater than north"))
            if q.radius_m is not None:
                errors.append(FieldError("radius", "give either a radius or a viewport, not both"))
        elif not has_point:
            errors.append(FieldError("lat", "give lat and lon (with radius), or a viewport"))
        if has_point and (q.lat is None or q.lon is None):
            errors.append(
                FieldError("lon" if q.lat is not None else "lat", "lat and lon go together")
            )
        if q.radius_m is not None and q.radius_m > self.settings.search_max_radius_m:
            errors.append(
                FieldError("radius", f"at most {self.settings.search_max_radius_m} metres")
            )
        if errors:
            raise _invalid(errors)
        if has_box:
            south, west, north, east = (float(v) for v in box_fields)  # type: ignore[arg-type]
            region = split_at_antimeridian(south, west, north, east)
            lat, lon = (
                (q.lat, q.lon)
                if q.lat is not None and q.lon is not None
                else box_centre(south, west, north, east)
            )
            corners = [(b.south, b.west) for b in region] + [(b.north, b.east) for b in region]
            corners += [(b.south, b.east) for b in region] + [(b.north, b.west) for b in region]
            reach = max(haversine_m(lat, lon, c_lat, c_lon) for c_lat, c_lon in corners)
            return _Plan(float(lat), float(lon), reach + 1.0, region)
        radius = float(q.radius_m if q.radius_m is not None else 5_000)
        return _Plan(float(q.lat), float(q.lon), radius, None)  # type: ignore[arg-type]

    def _limit(self, q: StationQuery) -> int:
        limit = q.limit if q.limit is not None else self.settings.search_default_page_size
        if not 1 <= limit <= self.settings.search_max_page_size:
            raise _invalid(
                [FieldError("limit", f"between 1 and {self.settings.search_max_page_size}")]
            )
        return limit

    def _filters(self, q: StationQuery) -> CoarseFilters:
        unknown = [s for s in q.standards if s not in _KNOWN_STANDARDS]
        if unknown:
            raise _invalid(
                [
                    FieldError(
                        "connectorStandard", f"unknown connector standard: {', '.join(unknown)}"
                    )
                ]
            )
        mask = 0
        for standard in q.standards:
            mask |= standard_bit(standard)
        keys = tuple(k for k in (operator_key(o) for o in q.operators) if k)
        if len(keys) != len(q.operators):
            raise _invalid([FieldError("operator", "an operator name needs letters or digits")])
        return CoarseFilters(
            standards_mask=mask,
            # A true minimum: 22.0004 kW must exclude a 22 kW connector, so round up, and
            # via Decimal so 0.1 kW is 100 W and not 101.
            min_power_w=math.ceil(Decimal(str(q.min_power_kw or 0)) * 1000),
            available_now=q.available_now,
            operator_keys=keys,
            plug_and_charge=q.plug_and_charge,
            ad_hoc_payment=q.ad_hoc_payment,
        )

    async def search(self, q: StationQuery) -> StationSearchPage:
        plan = self._plan(q)
        limit = self._limit(q)
        filters = self._filters(q)
        standards = frozenset(q.standards)
        query_id = fingerprint(
            plan.lat, plan.lon, plan.max_radius_m, plan.region, standards, filters, q.open_now
        )
        after: tuple[float, int] | None = None
        after_distance = 0.0
        if q.cursor is not None:
            position = self.cursors.decode(q.cursor, query_id)
            try:
                after = (float(position[0]), int(position[1]))
                after_distance = float(position[2])
            except (IndexError, TypeError, ValueError):
                raise _invalid([FieldError("cursor", "not a cursor of this search")]) from None
        now = self.clock()
        exact = bool(standards) or filters.min_power_w > 0 or filters.available_now
        matches: list[tuple[Candidate, SearchSummary, bool | None]] = []
        batch = limit + 1
        initial = self.index.initial_radius_m
        start = initial if after is None else max(initial, after_distance * 1.25)
        radius = min(plan.max_radius_m, start)
        while True:
            # Rows come nearest first and are complete up to ``radius``: a full batch means
            # more may lie inside the same disc; a short one that the disc is exhausted.
            rows = await self.index.nearest(
                boxes=plan.boxes(radius),
                lat=plan.lat,
                lon=plan.lon,
                radius_m=radius,
                filters=filters,
                after=after,
                limit=batch,
            )
            for candidate in rows:
                summary = summary_decoder.decode(candidate.summary)
                if plan.region is not None and not _in_region(plan.region, summary):
                    continue
                if exact and not _has_matching_connector(summary, standards, filters):
                    continue
                open_now = _open_now(summary, now)
                if q.open_now and open_now is not True:
                    continue
                matches.append((candidate, summary, open_now))
                if len(matches) > limit:
                    break
            if len(matches) > limit:
                break
            if rows:
                after = (rows[-1].sort_key, rows[-1].pk)
            if len(rows) == batch:
                batch = min(batch * 4, _MAX_BATCH)
            elif radius >= plan.max_radius_m:
                break
            else:
                radius = min(plan.max_radius_m, _next_radius(radius, len(matches), limit + 1))
        page = matches[:limit]
        next_cursor = None
        if len(matches) > limit:
            last = page[-1][0]
            # The index's own sort key pages exactly; the distance restarts the disc.
            next_cursor = self.cursors.encode([last.sort_key, last.pk, last.distance_m], query_id)
        return StationSearchPage(
            items=[summary_out(c, s, o) for c, s, o in page], next_cursor=next_cursor
        )

    async def detail(self, public_id: uuid.UUID) -> StationDetail:
        stored = await self.repository.get_by_public_id(public_id)
        if stored is None:
            raise NotFoundError(f"no station {public_id}")
        location = assemble_location(*stored)
        return detail_out(public_id, location, rules.is_open_at(location, self.clock()))


def _in_region(region: list[Box], summary: SearchSummary) -> bool:
    # Spatial indexes may keep rounded bounds (SQLite's R*Tree stores 32-bit floats
    # rounded outwards); the stored position decides whether a station is in view.
    return any(box.contains(summary.lat, summary.lon) for box in region)


def _next_radius(radius: float, found: int, wanted: int) -> float:
    """Widen the disc to where ``wanted`` matches should be, judging by the density so far.

    The cost of a step is the number of candidates in its boxes, which grows with the
    area, so overshooting by a factor k costs k squared: aim just past the estimate.
    """
    if found == 0:
        return radius * _MAX_GROWTH
    growth = math.sqrt(wanted / found) * 1.15
    return radius * min(_MAX_GROWTH, max(_MIN_GROWTH, growth))


def _has_matching_connector(
    summary: SearchSummary, standards: frozenset[str], filters: CoarseFilters
) -> bool:
    """One connector must satisfy every connector-level filter at once."""
    for evse in summary.evses:
        if filters.available_now and evse.status != "AVAILABLE":
            continue
        for connector in evse.connectors:
            if standards and connector.standard not in standards:
                continue
            if connector.max_power_w < filters.min_power_w:
                continue
            return True
    return False


def _open_now(summary: SearchSummary, now: datetime) -> bool | None:
    if summary.opening_times is None:
        return None
    return rules.hours_open_at(summary.opening_times, summary.time_zone, now)
