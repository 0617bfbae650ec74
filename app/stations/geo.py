"""Distances and search boxes on the sphere.

All databases compute the same haversine distance on the mean Earth radius, so a
station's distance and its place in the results do not depend on the backend. The
spatial indexes only narrow the candidates to a box that contains the search circle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius
METRES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_M / 180.0


@dataclass(frozen=True, slots=True)
class Box:
    """A latitude/longitude box; ``west > east`` never happens (split at the antimeridian)."""

    south: float
    west: float
    north: float
    east: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def boxes_around(lat: float, lon: float, radius_m: float) -> list[Box]:
    """Boxes (one, or two across the antimeridian) that contain the circle."""
    dlat = radius_m / METRES_PER_DEGREE_LAT
    south = max(-90.0, lat - dlat)
    north = min(90.0, lat + dlat)
    # Near a pole the circle wraps every meridian.
    cos_lat = math.cos(math.radians(max(abs(south), abs(north))))
    if north >= 90.0 or south <= -90.0 or cos_lat < 1e-9:
        return [Box(south, -180.0, north, 180.0)]
    dlon = radius_m / (METRES_PER_DEGREE_LAT * cos_lat)
    if dlon >= 180.0:
        return [Box(south, -180.0, north, 180.0)]
    return split_at_antimeridian(south, lon - dlon, north, lon + dlon)


def split_at_antimeridian(south: float, west: float, north: float, east: float) -> list[Box]:
    """Normalise longitudes to [-180, 180] and split a box that crosses 180°."""
    if east - west >= 360.0:
        return [Box(south, -180.0, north, 180.0)]
    west = ((west + 180.0) % 360.0) - 180.0
    east = ((east + 180.0) % 360.0) - 180.0
    if west <= east:
        return [Box(south, west, north, east)]
    return [Box(south, west, north, 180.0), Box(south, -180.0, north, east)]


def box_centre(south: float, west: float, north: float, east: float) -> tuple[float, float]:
    """The centre of a viewport, also when it spans the antimeridian (west > east)."""
    if west > east:
        east += 360.0
    lon = (west + east) / 2.0
    if lon > 180.0:
        lon -= 360.0
    return (south + north) / 2.0, lon
