"""Properties of the spherical helpers (``app.stations.geo``) that search relies on."""

from __future__ import annotations

import math

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from app.stations.geo import (
    EARTH_RADIUS_M,
    Box,
    box_centre,
    boxes_around,
    haversine_m,
    split_at_antimeridian,
)

PROPERTY = settings(max_examples=400, deadline=None, derandomize=True)
HALF_CIRCUMFERENCE_M = math.pi * EARTH_RADIUS_M

lats = st.floats(-90, 90, allow_nan=False)
lons = st.floats(-180, 180, allow_nan=False)
# Near the poles and the antimeridian more often than a uniform draw would go.
edgy_lats = lats | st.floats(80, 90) | st.floats(-90, -80)
edgy_lons = lons | st.floats(170, 180) | st.floats(-180, -170)
radii = st.floats(1, 50_000) | st.floats(50_000, 2_000_000)


def _normalise_lon(lon: float) -> float:
    lon = ((lon + 180.0) % 360.0) - 180.0
    return 180.0 if lon == -180.0 else lon


def destination(
    lat: float, lon: float, bearing_deg: float, distance_m: float
) -> tuple[float, float]:
    """The point ``distance_m`` from (lat, lon) along the great circle of ``bearing_deg``."""
    phi1, lmb1 = math.radians(lat), math.radians(lon)
    theta, delta = math.radians(bearing_deg), distance_m / EARTH_RADIUS_M
    sin_phi2 = math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
    phi2 = math.asin(max(-1.0, min(1.0, sin_phi2)))
    lmb2 = lmb1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * sin_phi2,
    )
    return math.degrees(phi2), _normalise_lon(math.degrees(lmb2))


def _covered(boxes: list[Box], lat: float, lon: float, eps: float = 0.0) -> bool:
    # -180 and 180 are the same meridian.
    candidates = {lon, -lon} if abs(lon) == 180.0 else {lon}
    return any(
        box.south <= lat <= box.north and box.west - eps <= x <= box.east + eps
        for box in boxes
        for x in candidates
    )


def _well_formed(boxes: list[Box]) -> None:
    assert 1 <= len(boxes) <= 2
    for box in boxes:
        assert -90.0 <= box.south <= box.north <= 90.0
        assert -180.0 <= box.west <= box.east <= 180.0


@PROPERTY
@given(lat1=lats, lon1=lons, lat2=lats, lon2=lons)
def test_haversine_is_symmetric_and_bounded(
    lat1: float, lon1: float, lat2: float, lon2: float
) -> None:
    d = haversine_m(lat1, lon1, lat2, lon2)
    assert math.isclose(d, haversine_m(lat2, lon2, lat1, lon1), rel_tol=1e-12, abs_tol=1e-6)
    assert 0.0 <= d <= HALF_CIRCUMFERENCE_M + 1e-6


@PROPERTY
@given(lat=lats, lon=lons)
def test_haversine_of_a_point_to_itself_is_zero(lat: float, lon: float) -> None:
    assert haversine_m(lat, lon, lat, lon) == 0.0
    # The same meridian written as -180 and 180, or any longitude at a pole.
    assert haversine_m(lat, -180.0, lat, 180.0) < 1e-6
    assert haversine_m(90.0, lon, 90.0, -lon) < 1e-6


@PROPERTY
@given(a=st.tuples(lats, lons), b=st.tuples(lats, lons), c=st.tuples(lats, lons))
def test_haversine_triangle_inequality(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]
) -> None:
    # Near-antipodal pairs lose precision in asin(sqrt(a)): about a decimetre.
    assert haversine_m(*a, *c) <= haversine_m(*a, *b) + haversine_m(*b, *c) + 1.0


@PROPERTY
@given(lat=lats, lon=lons)
def test_antipodes_are_half_a_circumference_apart(lat: float, lon: float) -> None:
    d = haversine_m(lat, lon, -lat, _normalise_lon(lon + 180.0))
    assert math.isclose(d, HALF_CIRCUMFERENCE_M, abs_tol=1.0)


@PROPERTY
@given(lat=lats, lon=lons, bearing=st.floats(0, 360), distance=st.floats(0, 2_000_000))
def test_destination_helper_agrees_with_haversine(
    lat: float, lon: float, bearing: float, distance: float
) -> None:
    """The oracle below is only as good as this: the sampled points are where we say."""
    assert math.isclose(
        haversine_m(lat, lon, *destination(lat, lon, bearing, distance)),
        distance,
        abs_tol=0.01,
        rel_tol=1e-9,
    )


@settings(PROPERTY, max_examples=1500)
@given(
    lat=edgy_lats,
    lon=edgy_lons,
    radius=radii,
    bearing=st.floats(0, 360),
    fraction=st.floats(0, 1),
)
@example(lat=90.0, lon=0.0, radius=1000.0, bearing=123.0, fraction=1.0)
@example(lat=-89.99, lon=180.0, radius=5000.0, bearing=180.0, fraction=1.0)
@example(lat=0.0, lon=180.0, radius=50_000.0, bearing=90.0, fraction=1.0)
@example(lat=0.0, lon=-180.0, radius=50_000.0, bearing=270.0, fraction=1.0)
@example(lat=-17.0, lon=179.95, radius=20_000.0, bearing=90.0, fraction=0.9)
@example(lat=89.5, lon=10.0, radius=50_000.0, bearing=0.0, fraction=1.0)
def test_boxes_around_contain_every_point_of_the_disc(
    lat: float, lon: float, radius: float, bearing: float, fraction: float
) -> None:
    boxes = boxes_around(lat, lon, radius)
    _well_formed(boxes)
    # Strictly inside by a hair: the exact rim is a matter of the last float bit.
    distance = radius * fraction * (1 - 1e-9)
    p_lat, p_lon = destination(lat, lon, bearing, distance)
    assume(haversine_m(lat, lon, p_lat, p_lon) <= radius * (1 - 1e-10))
    assert _covered(boxes, p_lat, p_lon), (boxes, p_lat, p_lon)


@PROPERTY
@given(lat=st.floats(-60, 60), lon=lons, radius=st.floats(1, 50_000))
def test_boxes_around_stay_tight_away_from_the_poles(lat: float, lon: float, radius: float) -> None:
    """The candidate box is a box around the disc, not the world."""
    boxes = boxes_around(lat, lon, radius)
    height = boxes[0].north - boxes[0].south
    width = sum(b.east - b.west for b in boxes)
    assert height <= 2 * radius / 111_000 + 1e-9
    assert width <= 2 * radius / (111_000 * math.cos(math.radians(61))) + 1e-9


@st.composite
def viewports(draw: st.DrawFn) -> tuple[float, float, float, float]:
    south = draw(lats)
    north = draw(st.floats(south, 90))
    west = draw(lons)
    east = draw(lons)  # west > east: the viewport crosses the antimeridian
    return south, west, north, east


def _in_viewport(west: float, east: float, lon: float) -> bool:
    """Is ``lon`` on the arc that runs eastwards from ``west`` to ``east``?"""
    span = (east - west) % 360.0 if west != east else 0.0
    offset = (lon - west) % 360.0
    return offset <= span + 1e-9 or offset >= 360.0 - 1e-9


@PROPERTY
@given(viewport=viewports(), t=st.floats(0, 1), probe=lons)
@example(viewport=(-18.0, 179.5, -16.0, -179.5), t=0.5, probe=180.0)
@example(viewport=(0.0, -180.0, 1.0, 180.0), t=0.3, probe=0.0)
def test_split_at_antimeridian_covers_exactly_the_viewport(
    viewport: tuple[float, float, float, float], t: float, probe: float
) -> None:
    south, west, north, east = viewport
    boxes = split_at_antimeridian(south, west, north, east)
    _well_formed(boxes)
    assert all(b.south == south and b.north == north for b in boxes)
    if west == -180.0 and east == 180.0:
        assert boxes == [Box(south, -180.0, north, 180.0)]
        return
    # Sub-ulp differences (west=0, east=-1e-300) collapse when normalised; not a viewport.
    assume(west == east or abs(west - east) > 1e-9)
    # Every longitude of the viewport is in a box...
    span = (east - west) % 360.0
    inside = _normalise_lon(west + t * span)
    assert _covered(boxes, south, inside, eps=1e-9)
    # ...and every longitude in a box is in the viewport.
    if _covered(boxes, south, probe):
        assert _in_viewport(west, east, probe)


@PROPERTY
@given(south=lats, west=st.floats(-720, 720), north=lats, east=st.floats(-720, 720))
def test_split_of_a_box_wider_than_the_world_is_the_world(
    south: float, west: float, north: float, east: float
) -> None:
    assume(east - west >= 360.0)
    assert split_at_antimeridian(south, west, north, east) == [Box(south, -180.0, north, 180.0)]


@PROPERTY
@given(viewport=viewports())
@example(viewport=(-18.0, 179.5, -16.0, -179.5))
@example(viewport=(10.0, 170.0, 20.0, -170.0))
def test_box_centre_lies_midway_inside_the_viewport(
    viewport: tuple[float, float, float, float],
) -> None:
    south, west, north, east = viewport
    lat, lon = box_centre(south, west, north, east)
    assert lat == (south + north) / 2
    assert -180.0 <= lon <= 180.0
    assert _in_viewport(west, east, lon)
    # As far (eastwards) from the west edge as from the east edge.
    to_west = (lon - west) % 360.0
    to_east = (east - lon) % 360.0
    if to_west > 359.999999:
        to_west -= 360.0
    if to_east > 359.999999:
        to_east -= 360.0
    assert math.isclose(to_west, to_east, abs_tol=1e-9)


def test_box_centre_of_plain_and_wrapping_viewports() -> None:
    assert box_centre(52.0, 13.0, 53.0, 14.0) == (52.5, 13.5)
    assert box_centre(-18.0, 179.0, -16.0, -179.0) == (-17.0, 180.0)
    assert box_centre(-18.0, 178.0, -16.0, -179.0) == (-17.0, 179.5)
    assert box_centre(-18.0, 179.0, -16.0, -177.0) == (-17.0, -179.0)
