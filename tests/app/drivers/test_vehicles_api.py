"""Vehicles: create, read, change and delete, with the PCID checked as pki checks it."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.app.drivers.conftest import SignIn

Client = AsyncTestClient[Litestar]
PCID = "hubUsEaTest000003"


async def test_vehicle_lifecycle(client: Client, sign_in: SignIn) -> None:
    headers = sign_in("alice")
    created = await client.post(
        "/v1/me/vehicles",
        headers=headers,
        json={
            "make": "Volkswagen",
            "model": "ID.4",
            "batteryCapacityWh": 77_000,
            "connectorTypes": ["IEC_62196_T2_COMBO", "IEC_62196_T2"],
            "pcid": PCID,
        },
    )
    assert created.status_code == 201, created.text
    vehicle = created.json()
    assert vehicle["connectorTypes"] == ["IEC_62196_T2", "IEC_62196_T2_COMBO"]
    url = f"/v1/me/vehicles/{vehicle['id']}"
    assert (await client.get(url, headers=headers)).json() == vehicle
    assert [v["id"] for v in (await client.get("/v1/me/vehicles", headers=headers)).json()] == [
        vehicle["id"]
    ]

    changed = await client.patch(url, headers=headers, json={"model": "ID.4 GTX", "pcid": None})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["model"], changed.json()["pcid"]) == ("ID.4 GTX", None)

    assert (await client.delete(url, headers=headers)).status_code == 204
    assert (await client.get(url, headers=headers)).status_code == 404
    assert (await client.delete(url, headers=headers)).status_code == 404


async def test_invalid_pcid_and_connector_are_problem_details(
    client: Client, sign_in: SignIn
) -> None:
    response = await client.post(
        "/v1/me/vehicles",
        headers=sign_in("alice"),
        json={"make": "VW", "model": "ID.3", "pcid": "SHORT-PCID!", "connectorTypes": ["USB"]},
    )
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"pcid", "connectorTypes"}


async def test_a_driver_registers_a_pcid_once(client: Client, sign_in: SignIn) -> None:
    body = {"make": "VW", "model": "ID.3", "pcid": PCID}
    alice, bob = sign_in("alice"), sign_in("bob")
    assert (await client.post("/v1/me/vehicles", headers=alice, json=body)).status_code == 201
    assert (await client.post("/v1/me/vehicles", headers=alice, json=body)).status_code == 409
    # Another driver is not told that someone has this car.
    assert (await client.post("/v1/me/vehicles", headers=bob, json=body)).status_code == 201
