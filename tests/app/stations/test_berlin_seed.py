"""The demo seed: the bundled Berlin datasets, stored and searchable near Alexanderplatz."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db import sessionmaker_for
from app.stations.importers import load_berlin_seed
from app.stations.ingest import upsert_locations


async def test_berlin_seed_is_searchable_near_alexanderplatz(
    engine: AsyncEngine, client: AsyncTestClient[Litestar]
) -> None:
    locations = load_berlin_seed()
    async with sessionmaker_for(engine)() as session, session.begin():
        result = await upsert_locations(session, locations, source="berlin-seed")
    assert result.locations == len(locations) > 500

    response = await client.get(
        "/v1/stations/", params={"lat": 52.5219, "lon": 13.4132, "radius": 1000, "limit": 50}
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) >= 5
    assert all(item["distanceM"] <= 1000 for item in items)
    assert all(item["city"] for item in items)
    assert all(item["connectors"] for item in items)
    assert [i["distanceM"] for i in items] == sorted(i["distanceM"] for i in items)

    fast = await client.get(
        "/v1/stations/",
        params={"lat": 52.5219, "lon": 13.4132, "radius": 10_000, "minPowerKw": 50},
    )
    assert fast.status_code == 200
    assert all(item["maxPowerKw"] >= 50 for item in fast.json()["items"])

    detail = await client.get(f"/v1/stations/{items[0]['id']}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["evses"]
    assert body["evses"][0]["connectors"]
    assert body["timeZone"] == "Europe/Berlin"
