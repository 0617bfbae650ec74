"""Station search over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from app.stations.geo import haversine_m
from tests.app.stations.builders import Plug, Point, Seeder, Site

ALEX = (52.5219, 13.4132)
CCS = Plug("IEC_62196_T2_COMBO", 150_000, "DC", "CABLE")
CHADEMO = Plug("CHADEMO", 50_000, "DC", "CABLE")
TYPE2 = Plug("IEC_62196_T2", 22_000, "AC_3_PHASE", "SOCKET")

Client = AsyncTestClient[Litestar]


def _ids(body: dict[str, Any]) -> list[str]:
    return [item["name"] for item in body["items"]]


async def _search(client: Client, **params: Any) -> dict[str, Any]:
    response = await client.get("/v1/stations/", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    import math

    return (
        lat + north_m / 111_195.0,
        lon + east_m / (111_195.0 * math.cos(math.radians(lat))),
    )


async def test_search_near_alexanderplatz_sorts_by_distance(
    client: Client, seed_sites: Seeder
) -> None:
    far = Site("far", *_offset(*ALEX, 3000, 0), name="far")
    near = Site("near", *_offset(*ALEX, 100, 0), name="near")
    middle = Site("middle", *_offset(*ALEX, 0, -900), name="middle")
    outside = Site("outside", *_offset(*ALEX, 6000, 0), name="outside")
    await seed_sites([far, near, middle, outside])

    body = await _search(client, lat=ALEX[0], lon=ALEX[1], radius=5000)

    assert _ids(body) == ["near", "middle", "far"]
    distances = [item["distanceM"] for item in body["items"]]
    assert distances == sorted(distances)
    expected = round(haversine_m(*ALEX, near.lat, near.lon))
    assert abs(body["items"][0]["distanceM"] - expected) <= 1
    first = body["items"][0]
    assert first["connectors"] == [
        {
            "standard": "IEC_62196_T2",
            "powerType": "AC_3_PHASE",
            "maxPowerKw": 22.0,
            "count": 1,
            "availableCount": 1,
        }
    ]
    assert first["evseCount"] == 1
    assert first["availableEvseCount"] == 1
    assert body["nextCursor"] is None


async def test_connector_filters_must_hold_for_the_same_connector(
    client: Client, seed_sites: Seeder
) -> None:
    # CCS exists but is busy; a free connector exists but is only AC.
    busy_ccs = Site(
        "busy-ccs",
        *_offset(*ALEX, 100, 0),
        points=(Point("CHARGING", (CCS,)), Point("AVAILABLE", (TYPE2,))),
        name="busy-ccs",
    )
    free_ccs = Site(
        "free-ccs", *_offset(*ALEX, 200, 0), points=(Point("AVAILABLE", (CCS,)),), name="free-ccs"
    )
    slow_ccs = Site(
        "slow-ccs",
        *_offset(*ALEX, 300, 0),
        points=(Point("AVAILABLE", (Plug("IEC_62196_T2_COMBO", 50_000, "DC", "CABLE"),)),),
        name="slow-ccs",
    )
    await seed_sites([busy_ccs, free_ccs, slow_ccs])

    ccs_free = await _search(
        client,
        lat=ALEX[0],
        lon=ALEX[1],
        connectorStandard="IEC_62196_T2_COMBO",
        availableNow="true",
    )
    assert _ids(ccs_free) == ["free-ccs", "slow-ccs"]

    fast = await _search(
        client, lat=ALEX[0], lon=ALEX[1], connectorStandard="IEC_62196_T2_COMBO", minPowerKw=100
    )
    assert _ids(fast) == ["busy-ccs", "free-ccs"]

    either = await _search(
        client, lat=ALEX[0], lon=ALEX[1], connectorStandard=["CHADEMO", "IEC_62196_T2"]
    )
    assert _ids(either) == ["busy-ccs"]


async def test_operator_pnc_and_card_filters(client: Client, seed_sites: Seeder) -> None:
    await seed_sites(
        [
            Site("a", *_offset(*ALEX, 100, 0), operator="Stromnetz Berlin GmbH", name="a"),
            Site(
                "b",
                *_offset(*ALEX, 200, 0),
                operator="Ionity",
                points=(
                    Point(
                        plugs=(CCS,),
                        capabilities=("CREDIT_CARD_PAYABLE",),
                        connector_capabilities=("ISO_15118_2_PLUG_AND_CHARGE",),
                    ),
                ),
                name="b",
            ),
            Site("c", *_offset(*ALEX, 300, 0), operator="Allego", name="c"),
        ]
    )
    by_operator = await _search(
        client, lat=ALEX[0], lon=ALEX[1], operator=["stromnetz berlin gmbh", "ALLEGO"]
    )
    assert _ids(by_operator) == ["a", "c"]
    pnc = await _search(client, lat=ALEX[0], lon=ALEX[1], plugAndCharge="true")
    assert _ids(pnc) == ["b"]
    assert pnc["items"][0]["plugAndCharge"] is True
    card = await _search(client, lat=ALEX[0], lon=ALEX[1], adHocPayment="true")
    assert _ids(card) == ["b"]


async def test_open_now_uses_the_station_time_zone(
    app: Litestar, client: Client, seed_sites: Seeder
) -> None:
    weekdays_8_to_18 = {
        "twentyfourseven": False,
        "regular_hours": [
            {"weekday": d, "period_begin": "08:00", "period_end": "18:00"} for d in range(1, 6)
        ],
    }
    await seed_sites(
        [
            Site("office", *_offset(*ALEX, 100, 0), opening_times=weekdays_8_to_18, name="office"),
            Site(
                "always",
                *_offset(*ALEX, 200, 0),
                opening_times={"twentyfourseven": True},
                name="always",
            ),
            Site("unknown", *_offset(*ALEX, 300, 0), name="unknown"),
        ]
    )
    # Monday 2026-11-23 07:30 UTC is 08:30 in Berlin (CET, UTC+1): the office is open.
    app.state.clock = lambda: datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
    body = await _search(client, lat=ALEX[0], lon=ALEX[1])
    assert {i["name"]: i["openNow"] for i in body["items"]} == {
        "office": True,
        "always": True,
        "unknown": None,
    }
    # 06:30 UTC is 07:30 in Berlin: closed, although it is already 08:30 in some zones.
    app.state.clock = lambda: datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
    body = await _search(client, lat=ALEX[0], lon=ALEX[1], openNow="true")
    assert _ids(body) == ["always"]


async def test_unpublished_and_removed_are_not_offered(client: Client, seed_sites: Seeder) -> None:
    await seed_sites(
        [
            Site("hidden", *_offset(*ALEX, 100, 0), publish=False, name="hidden"),
            Site(
                "half",
                *_offset(*ALEX, 200, 0),
                points=(Point("REMOVED", (CCS,)), Point("AVAILABLE", (TYPE2,))),
                name="half",
            ),
        ]
    )
    body = await _search(client, lat=ALEX[0], lon=ALEX[1])
    assert _ids(body) == ["half"]
    assert body["items"][0]["evseCount"] == 1
    assert [c["standard"] for c in body["items"][0]["connectors"]] == ["IEC_62196_T2"]
    no_ccs = await _search(client, lat=ALEX[0], lon=ALEX[1], connectorStandard="IEC_62196_T2_COMBO")
    assert no_ccs["items"] == []


async def test_pages_walk_every_station_once(client: Client, seed_sites: Seeder) -> None:
    sites = [
        Site(f"s{i:02d}", *_offset(*ALEX, 40 * i, 25 * (i % 3)), name=f"s{i:02d}")
        for i in range(23)
    ]
    # Two stations at exactly the same spot: the keyset must still separate them.
    sites.append(Site("twin", sites[5].lat, sites[5].lon, name="twin"))
    await seed_sites(sites)

    everything = await _search(client, lat=ALEX[0], lon=ALEX[1], limit=100)
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"lat": ALEX[0], "lon": ALEX[1], "limit": 5}
        if cursor:
            params["cursor"] = cursor
        page = await _search(client, **params)
        seen.extend(_ids(page))
        pages += 1
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert pages == 5
    assert seen == _ids(everything)
    assert len(seen) == len(set(seen)) == 24


async def test_filtered_pages_skip_non_matching_stations(
    client: Client, seed_sites: Seeder
) -> None:
    sites = [
        Site(
            f"s{i:02d}",
            *_offset(*ALEX, 30 * i, 0),
            points=(Point("AVAILABLE" if i % 3 == 0 else "CHARGING", (CCS,)),),
            name=f"s{i:02d}",
        )
        for i in range(30)
    ]
    await seed_sites(sites)
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {
            "lat": ALEX[0],
            "lon": ALEX[1],
            "limit": 3,
            "availableNow": "true",
        }
        if cursor:
            params["cursor"] = cursor
        page = await _search(client, **params)
        seen.extend(_ids(page))
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == [f"s{i:02d}" for i in range(0, 30, 3)]


async def test_viewport_search(client: Client, seed_sites: Seeder) -> None:
    await seed_sites(
        [
            Site("in", 52.52, 13.40, name="in"),
            Site("edge", 52.50, 13.45, name="edge"),
            Site("out", 52.60, 13.40, name="out"),
        ]
    )
    body = await _search(client, south=52.49, west=13.35, north=52.55, east=13.46)
    assert sorted(_ids(body)) == ["edge", "in"]
    # Sorted by distance from the given point when there is one.
    body = await _search(
        client, south=52.49, west=13.35, north=52.55, east=13.46, lat=52.50, lon=13.45
    )
    assert _ids(body) == ["edge", "in"]


async def test_viewport_across_the_antimeridian(client: Client, seed_sites: Seeder) -> None:
    await seed_sites(
        [
            Site("fiji-east", -17.0, 179.9, time_zone="Pacific/Fiji", name="fiji-east"),
            Site("fiji-west", -17.0, -179.9, time_zone="Pacific/Fiji", name="fiji-west"),
            Site("elsewhere", -17.0, 170.0, time_zone="Pacific/Fiji", name="elsewhere"),
        ]
    )
    body = await _search(client, south=-18, west=179.5, north=-16, east=-179.5)
    assert sorted(_ids(body)) == ["fiji-east", "fiji-west"]
    near = await _search(client, lat=-17.0, lon=180.0, radius=20_000)
    assert sorted(_ids(near)) == ["fiji-east", "fiji-west"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": 91, "lon": 13}, "lat"),
        ({"lat": 52, "lon": 181}, "lon"),
        ({"lat": 52, "lon": 13, "radius": -5}, "radius"),
        ({"lat": 52, "lon": 13, "radius": 10_000_000}, "radius"),
        ({"south": 53, "west": 13, "north": 52, "east": 14}, "south"),
        ({"south": 52, "west": 13, "north": 53}, "south"),
        ({"lat": 52, "lon": 13, "connectorStandard": "WARP_DRIVE"}, "connectorStandard"),
        ({"lat": 52, "lon": 13, "limit": 1_000_000}, "limit"),
        ({"lat": 52, "lon": 13, "limit": 0}, "limit"),
        ({"lat": 52, "lon": 13, "cursor": "garbage!!"}, "cursor"),
        ({"lat": 52, "lon": 13, "cursor": "A" * 600}, "cursor"),
        ({"lat": "north", "lon": 13}, "lat"),
        ({"lat": 52}, "lon"),
        ({}, "lat"),
        ({"lat": 52, "lon": 13, "minPowerKw": -1}, "minPowerKw"),
        ({"lat": 52, "lon": 13, "availableNow": "maybe"}, "availableNow"),
    ],
)
async def test_invalid_queries_get_problem_details(
    client: Client, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/v1/stations/", params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"]
    assert problem["requestId"] == response.headers["x-request-id"]
    text = response.text
    assert field in text


async def test_cursor_of_another_query_is_refused(client: Client, seed_sites: Seeder) -> None:
    await seed_sites([Site(f"s{i}", *_offset(*ALEX, 50 * i, 0)) for i in range(4)])
    page = await _search(client, lat=ALEX[0], lon=ALEX[1], limit=2)
    assert page["nextCursor"]
    response = await client.get(
        "/v1/stations/",
        params={
            "lat": ALEX[0],
            "lon": ALEX[1],
            "limit": 2,
            "cursor": page["nextCursor"],
            "availableNow": "true",
        },
    )
    assert response.status_code == 400
    assert response.json()["type"].endswith("/invalid-cursor")
    tampered = page["nextCursor"][:-2] + ("AA" if page["nextCursor"][-2:] != "AA" else "BB")
    response = await client.get(
        "/v1/stations/", params={"lat": ALEX[0], "lon": ALEX[1], "limit": 2, "cursor": tampered}
    )
    assert response.status_code == 400
