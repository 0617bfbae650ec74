"""Favourite stations, and isFavourite on the station routes for a signed-in driver."""

from __future__ import annotations

import uuid

from litestar import Litestar
from litestar.testing import AsyncTestClient

from app.stations.projection import station_public_id
from tests.app.drivers.conftest import SignIn
from tests.app.stations.builders import Seeder, Site

Client = AsyncTestClient[Litestar]
ALEX = (52.5219, 13.4132)


async def test_favourites_mark_stations_for_their_driver_only(
    client: Client, sign_in: SignIn, seed_sites: Seeder
) -> None:
    await seed_sites([Site("fav", *ALEX, name="fav"), Site("other", ALEX[0] + 0.001, ALEX[1])])
    station = station_public_id("DE", "TST", "fav")
    alice, bob = sign_in("alice"), sign_in("bob")

    added = await client.put(f"/v1/me/favourites/{station}", headers=alice)
    assert added.status_code == 200, added.text
    again = await client.put(f"/v1/me/favourites/{station}", headers=alice)
    assert again.json() == added.json()
    listed = (await client.get("/v1/me/favourites", headers=alice)).json()
    assert [f["stationId"] for f in listed] == [str(station)]

    params = {"lat": ALEX[0], "lon": ALEX[1], "radius": 1000}
    marks = {
        item["name"]: item["isFavourite"]
        for item in (await client.get("/v1/stations/", params=params, headers=alice)).json()[
            "items"
        ]
    }
    assert marks == {"fav": True, "Station other": False}
    anonymous = (await client.get("/v1/stations/", params=params)).json()["items"]
    assert {item["isFavourite"] for item in anonymous} == {None}
    detail = await client.get(f"/v1/stations/{station}", headers=bob)
    assert detail.json()["isFavourite"] is False
    assert (await client.get(f"/v1/stations/{station}", headers=alice)).json()["isFavourite"]

    assert (await client.delete(f"/v1/me/favourites/{station}", headers=alice)).status_code == 204
    assert (await client.delete(f"/v1/me/favourites/{station}", headers=alice)).status_code == 204
    assert (await client.get("/v1/me/favourites", headers=alice)).json() == []


async def test_unknown_station_cannot_become_a_favourite(client: Client, sign_in: SignIn) -> None:
    response = await client.put(f"/v1/me/favourites/{uuid.uuid4()}", headers=sign_in("alice"))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_station_search_with_an_invalid_token_is_401(client: Client) -> None:
    response = await client.get(
        "/v1/stations/", params={"lat": 52.5, "lon": 13.4}, headers={"Authorization": "Bearer x"}
    )
    assert response.status_code == 401
