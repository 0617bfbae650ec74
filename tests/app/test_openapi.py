"""The committed OpenAPI document is the one the app serves."""

from __future__ import annotations

import json
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient

from app.cli import render_openapi


def test_committed_openapi_matches_the_app(repo_root: Path) -> None:
    committed = (repo_root / "openapi" / "openapi.json").read_text(encoding="utf-8")
    assert committed == render_openapi(), "openapi/openapi.json is stale: run `make openapi`"


async def test_app_serves_its_openapi_document(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/openapi/openapi.json")
    assert response.status_code == 200
    served = response.json()
    assert served["info"]["title"] == "EMSP driver API"
    assert {op["get"]["operationId"] for op in served["paths"].values() if "get" in op} >= {
        "searchStations",
        "getStation",
        "getLiveness",
        "getReadiness",
    }
    assert json.loads(render_openapi())["paths"].keys() == served["paths"].keys()
