"""Merge station lists from two sources so one real site is one Location.

Rule: an OCM Location and a BNetzA Location describe the same site when their coordinates
are at most ``MAX_DISTANCE_M`` (40 m) apart AND either the operators match (a shared
significant word after dropping legal forms: "Allego GmbH" ~ "Allego BV") or the street
addresses match (same normalised street; same house number unless one side has none).
Pairs are taken closest first and each Location is used at most once, so the result does
not depend on input order. Of a pair the richer record is kept (``richness``), gaps in
its top-level optional fields are filled from the other, and the other's id is recorded
in ``MergeResult.merged_ids``. Output is sorted by (country_code, party_id, id).
"""

from __future__ import annotations

import msgspec

from app.stations import domain
from app.stations.importers.normalise import addresses_match, distance_m, operators_match

MAX_DISTANCE_M = 40.0
_FILLABLE = ("name", "postal_code", "operator", "opening_times", "help_phone", "state")


class MergeResult(msgspec.Struct, kw_only=True):
    locations: list[domain.Location]
    merged_ids: dict[str, list[str]]
    """Kept Location id -> ids of the records folded into it."""


def _point(location: domain.Location) -> tuple[float, float]:
    return float(location.coordinates.latitude), float(location.coordinates.longitude)


def _operator(location: domain.Location) -> str | None:
    return location.operator.name if location.operator else None


def same_site(a: domain.Location, b: domain.Location) -> bool:
    """The dedupe rule for one pair (see module docstring)."""
    if distance_m(*_point(a), *_point(b)) > MAX_DISTANCE_M:
        return False
    return operators_match(_operator(a), _operator(b)) or addresses_match(a.address, b.address)


def richness(location: domain.Location) -> tuple[int, int, int]:
    """(connectors, EVSEs with a known status, populated top-level fields)."""
    evses = location.evses or []
    known = sum(1 for e in evses if e.status is not domain.Status.UNKNOWN)
    populated = sum(1 for f in location.__struct_fields__ if getattr(location, f) is not None)
    return (sum(len(e.connectors) for e in evses), known, populated)


def _fill_gaps(kept: domain.Location, other: domain.Location) -> domain.Location:
    changes = {
        f: getattr(other, f)
        for f in _FILLABLE
        if getattr(kept, f) is None and getattr(other, f) is not None
    }
    return msgspec.structs.replace(kept, **changes) if changes else kept


def _sort_key(location: domain.Location) -> tuple[str, str, str]:
    return (location.country_code, location.party_id, location.id)


def merge_locations(first: list[domain.Location], second: list[domain.Location]) -> MergeResult:
    """Merge two sources (e.g. OCM first, BNetzA second); ties in richness keep ``first``."""
    candidates: list[tuple[float, str, str, int, int]] = []
    for i, a in enumerate(first):
        lat_a, lon_a = _point(a)
        for j, b in enumerate(second):
            lat_b, lon_b = _point(b)
            if abs(lat_a - lat_b) > 0.001 or abs(lon_a - lon_b) > 0.002:
                continue  # cheap box (~110 m x 135 m at 52 N) before the exact test
            if same_site(a, b):
                candidates.append((distance_m(lat_a, lon_a, lat_b, lon_b), a.id, b.id, i, j))
    candidates.sort()
    used_first: set[int] = set()
    used_second: set[int] = set()
    merged: list[domain.Location] = []
    merged_ids: dict[str, list[str]] = {}
    for _, _, _, i, j in candidates:
        if i in used_first or j in used_second:
            continue
        used_first.add(i)
        used_second.add(j)
        a, b = first[i], second[j]
        kept, other = (a, b) if richness(a) >= richness(b) else (b, a)
        merged.append(_fill_gaps(kept, other))
        merged_ids[kept.id] = [other.id]
    merged.extend(loc for i, loc in enumerate(first) if i not in used_first)
    merged.extend(loc for j, loc in enumerate(second) if j not in used_second)
    merged.sort(key=_sort_key)
    return MergeResult(locations=merged, merged_ids=dict(sorted(merged_ids.items())))
