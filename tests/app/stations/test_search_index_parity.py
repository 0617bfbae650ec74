"""Search agrees with itself and with a brute-force oracle.

- On SQLite, the inline ``SqliteFileSearchIndex`` and the ``SessionSearchIndex`` give the
  same candidates (same keys, distances and summaries) for the same query.
- On both databases, the API (all pages, followed with ``nextCursor``) gives exactly the
  stations a plain Python oracle computes from the seeded sites: haversine distance
  within the radius, every connector filter on one live connector, operator, Plug &
  Charge and card payment, in distance order.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from app.stations.geo import boxes_around, haversine_m
from app.stations.projection import operator_key, standard_bit
from app.stations.search_index import (
    CoarseFilters,
    SessionSearchIndex,
    SpatialMode,
)
from app.stations.search_sqlite import SqliteFileSearchIndex
from tests.app.stations.builders import Plug, Point, Seeder, Site

Client = AsyncTestClient[Litestar]
CENTRE = (52.52, 13.405)
CCS = Plug("IEC_62196_T2_COMBO", 150_000, "DC", "CABLE")
CCS_50 = Plug("IEC_62196_T2_COMBO", 50_000, "DC", "CABLE")
CHADEMO = Plug("CHADEMO", 50_000, "DC", "CABLE")
TYPE2 = Plug("IEC_62196_T2", 22_000, "AC_3_PHASE", "SOCKET")
TYPE2_11 = Plug("IEC_62196_T2", 11_000, "AC_3_PHASE", "SOCKET")
PLUGS = (CCS, CCS_50, CHADEMO, TYPE2, TYPE2_11)
STANDARDS = ("IEC_62196_T2_COMBO", "CHADEMO", "IEC_62196_T2")
OPERATORS = ("Allego", "Ionity", "Stromnetz Berlin", None)
PNC = "ISO_15118_2_PLUG_AND_CHARGE"
CARD = "CREDIT_CARD_PAYABLE"
ORACLE = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _sites() -> list[Site]:
    rng = random.Random(4242)
    sites: list[Site] = []
    for i in range(44):
        lat = round(CENTRE[0] + rng.uniform(-0.025, 0.025), 6)
        lon = round(CENTRE[1] + rng.uniform(-0.04, 0.04), 6)
        points = []
        for _ in range(rng.randint(1, 3)):
            status = rng.choice(["AVAILABLE", "AVAILABLE", "CHARGING", "OUTOFORDER", "REMOVED"])
            live = status != "REMOVED"
            # Capabilities only on live EVSEs here; REMOVED ones are test_removed_evses_*.
            points.append(
                Point(
                    status,
                    tuple(rng.sample(PLUGS, rng.randint(1, 2))),
                    (CARD,) if live and rng.random() < 0.3 else (),
                    (PNC,) if live and rng.random() < 0.25 else (),
                )
            )
        sites.append(
            Site(
                f"p{i:02d}",
                lat,
                lon,
                points=tuple(points),
                operator=rng.choice(OPERATORS),
                publish=i % 11 != 10,
                name=f"p{i:02d}",
            )
        )
    # Same coordinates as others: only the internal key orders them.
    for j, twin_of in enumerate((3, 3, 17)):
        sites.append(Site(f"t{j}", sites[twin_of].lat, sites[twin_of].lon, name=f"t{j}"))
    # Nothing left to drive to: every EVSE removed.
    for j in range(3):
        lat, lon = sites[j].lat, round(sites[j].lon + 0.0003, 6)
        gone = (Point("REMOVED", (CCS,)), Point("REMOVED", (TYPE2,)))
        sites.append(Site(f"r{j}", lat, lon, points=gone, name=f"r{j}"))
    return sites


SITES = _sites()


def _matches(site: Site, q: dict[str, Any]) -> bool:
    live = [p for p in site.points if p.status != "REMOVED"]
    if not site.publish or not live:
        return False
    min_w = q["minPowerKw"] * 1000
    standards = set(q["connectorStandard"])
    if not any(
        (not q["availableNow"] or p.status == "AVAILABLE")
        and (not standards or plug.standard in standards)
        and plug.power_w >= min_w
        for p in live
        for plug in p.plugs
    ):
        return False
    wanted = {operator_key(o) for o in q["operator"]}
    if wanted and operator_key(site.operator) not in wanted:
        return False
    if q["plugAndCharge"] and not any(PNC in p.connector_capabilities for p in live):
        return False
    return not (q["adHocPayment"] and not any(CARD in p.capabilities for p in live))


def oracle(lat: float, lon: float, radius: int, q: dict[str, Any]) -> list[tuple[float, str]]:
    found = [(haversine_m(lat, lon, s.lat, s.lon), s.id) for s in SITES if _matches(s, q)]
    return sorted(hit for hit in found if hit[0] <= radius)


async def walk(client: Client, params: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(len(SITES) + 2):
        response = await client.get(
            "/v1/stations/", params={**params, **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= params["limit"]
        items.extend(page["items"])
        cursor = page["nextCursor"]
        if cursor is None:
            return items
        assert page["items"], "a cursor after an empty page"
    raise AssertionError("the pages never end")


def assert_same_results(items: list[dict[str, Any]], expected: list[tuple[float, str]]) -> None:
    by_id = {s.id: s for s in SITES}
    got = [item["name"] for item in items]
    assert len(got) == len(set(got)), f"a station on two pages: {got}"
    assert set(got) == {sid for _, sid in expected}
    true = {sid: d for d, sid in expected}
    # Exact order of equal distances is not observable; SQLite's R*Tree keeps 32-bit
    # coordinates, so distances may differ from the exact ones by a few decimetres.
    for a, b in itertools.pairwise(got):
        assert true[a] <= true[b] + 1.0, (a, true[a], b, true[b])
    for item in items:
        assert abs(item["distanceM"] - true[item["name"]]) <= 1.0, item
        assert item["coordinates"]["latitude"] == by_id[item["name"]].lat


queries = st.fixed_dictionaries(
    {
        "connectorStandard": st.lists(st.sampled_from(STANDARDS), max_size=2, unique=True),
        "minPowerKw": st.sampled_from([0, 0, 11, 22, 50, 100, 150, 151]),
        "availableNow": st.booleans(),
        "operator": st.lists(
            st.sampled_from(["allego", "IONITY", "Strom-Netz  Berlin", "Nobody"]), max_size=2
        ),
        "plugAndCharge": st.booleans(),
        "adHocPayment": st.booleans(),
    }
)


@pytest.fixture
async def seeded(seed_sites: Seeder) -> Sequence[Site]:
    await seed_sites(SITES)
    return SITES


@ORACLE
@given(
    d_lat=st.floats(-0.03, 0.03),
    d_lon=st.floats(-0.045, 0.045),
    radius=st.integers(50, 6000),
    limit=st.integers(1, 7),
    q=queries,
)
async def test_all_pages_equal_the_brute_force_oracle(
    *,
    client: Client,
    seeded: Sequence[Site],
    d_lat: float,
    d_lon: float,
    radius: int,
    limit: int,
    q: dict[str, Any],
) -> None:
    lat, lon = CENTRE[0] + d_lat, CENTRE[1] + d_lon
    # A station within a metre of the rim is on either side depending on rounding.
    assume(all(abs(haversine_m(lat, lon, s.lat, s.lon) - radius) > 1.0 for s in SITES))
    params: dict[str, Any] = {"lat": lat, "lon": lon, "radius": radius, "limit": limit}
    params.update({k: v for k, v in q.items() if v not in (0, False, [])})
    params.update({k: "true" for k in ("availableNow", "plugAndCharge", "adHocPayment") if q[k]})
    items = await walk(client, params)
    assert_same_results(items, oracle(lat, lon, radius, q))


async def test_unfiltered_search_walks_every_live_station(
    client: Client, seeded: Sequence[Site]
) -> None:
    no_filter = dict.fromkeys(("availableNow", "plugAndCharge", "adHocPayment"), False)
    q = {"connectorStandard": [], "minPowerKw": 0, "operator": [], **no_filter}
    lat, lon = CENTRE
    items = await walk(client, {"lat": lat, "lon": lon, "radius": 10_000, "limit": 4})
    expected = oracle(lat, lon, 10_000, q)
    assert len(expected) >= 35
    assert_same_results(items, expected)
    names = {item["name"] for item in items}
    assert {"t0", "t1", "t2"} <= names
    hidden = {s.id for s in SITES if not s.publish}
    assert len(hidden) == 4
    assert not names & (hidden | {"r0", "r1", "r2"})


def _inline_cases() -> list[tuple[tuple[float, float], float, CoarseFilters]]:
    ccs = standard_bit("IEC_62196_T2_COMBO")
    both = ccs | standard_bit("CHADEMO")
    return [
        (CENTRE, 500.0, CoarseFilters()),
        (CENTRE, 3000.0, CoarseFilters()),
        ((52.51, 13.39), 2000.0, CoarseFilters(standards_mask=ccs, min_power_w=100_000)),
        ((52.53, 13.42), 4000.0, CoarseFilters(available_now=True, standards_mask=both)),
        (CENTRE, 6000.0, CoarseFilters(operator_keys=("allego", "ionity"))),
        (CENTRE, 6000.0, CoarseFilters(plug_and_charge=True, ad_hoc_payment=True)),
        ((52.5, 13.45), 50.0, CoarseFilters()),
    ]


@pytest.mark.parametrize(("point", "radius", "filters"), _inline_cases())
@pytest.mark.parametrize("limit", [1, 3, 100])
async def test_inline_and_session_sqlite_indexes_agree(
    *,
    database_url: str,
    session: AsyncSession,
    seeded: Sequence[Site],
    point: tuple[float, float],
    radius: float,
    filters: CoarseFilters,
    limit: int,
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the inline index exists on SQLite only")
    inline = SqliteFileSearchIndex.for_url(database_url)
    assert inline is not None
    via_session = SessionSearchIndex(session, SpatialMode.SQLITE_RTREE)
    try:
        lat, lon = point
        after: tuple[float, int] | None = None
        pages = 0
        while True:  # walk the keyset: every page must agree, not only the first
            kwargs: dict[str, Any] = {
                "boxes": boxes_around(lat, lon, radius),
                "lat": lat,
                "lon": lon,
                "radius_m": radius,
                "filters": filters,
                "after": after,
                "limit": limit,
            }
            expected = await via_session.nearest(**kwargs)
            assert await inline.nearest(**kwargs) == expected
            pages += 1
            if len(expected) < limit:
                break
            after = (expected[-1].distance_m, expected[-1].pk)
        assert pages <= len(SITES) + 1
    finally:
        inline.close()


async def test_removed_evses_give_no_capabilities(client: Client, seed_sites: Seeder) -> None:
    await seed_sites(
        [
            Site(
                "half",
                *CENTRE,
                points=(
                    Point("REMOVED", (CCS,), (CARD,), (PNC,)),
                    Point("AVAILABLE", (TYPE2,)),
                ),
                name="half",
            )
        ]
    )
    lat, lon = CENTRE
    everything = await walk(client, {"lat": lat, "lon": lon, "limit": 5})
    assert [i["name"] for i in everything] == ["half"]
    wrong = [
        f"{key}={everything[0][key]!r}"
        for key, expected in (
            ("maxPowerKw", 22.0),
            ("plugAndCharge", False),
            ("adHocPayment", False),
        )
        if everything[0][key] != expected
    ]
    for flag in ("plugAndCharge", "adHocPayment"):
        found = await walk(client, {"lat": lat, "lon": lon, "limit": 5, flag: "true"})
        wrong += [f"found with {flag}=true"] if found else []
    assert wrong == []


async def test_min_power_is_a_true_minimum(client: Client, seed_sites: Seeder) -> None:
    await seed_sites([Site("ac22", *CENTRE, points=(Point("AVAILABLE", (TYPE2,)),), name="ac22")])
    lat, lon = CENTRE
    assert await walk(client, {"lat": lat, "lon": lon, "limit": 5, "minPowerKw": 22.0}) != []
    assert await walk(client, {"lat": lat, "lon": lon, "limit": 5, "minPowerKw": 22.0004}) == []
