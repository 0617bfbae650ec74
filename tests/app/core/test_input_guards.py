"""NUL characters are refused up front with 400 problem details, on every database."""

from __future__ import annotations

import json

from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]


async def test_nul_in_the_query_is_a_400_problem(client: Client) -> None:
    response = await client.get("/v1/stations/", params={"lat": 52, "lon": 13, "operator": "a\x00"})
    assert response.status_code == 400
    assert response.json()["type"].endswith("/nul-character")
    assert response.headers["content-type"] == "application/problem+json"


async def test_nul_escaped_in_a_json_body_is_a_400_problem(client: Client) -> None:
    token = (await client.post("/v1/dev/tokens", json={"uid": "nul-tester"})).json()["token"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps({"name": "A\u0000B"})  # the JSON text carries the escape \\u0000
    assert "\\u0000" in body
    response = await client.patch("/v1/me", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["type"].endswith("/nul-character")


async def test_an_escaped_backslash_before_u0000_is_ordinary_text(client: Client) -> None:
    token = (await client.post("/v1/dev/tokens", json={"uid": "backslash"})).json()["token"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps({"name": "C:\\u0000"})  # a backslash, then the letters u0000
    response = await client.patch("/v1/me", content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "C:\\u0000"
