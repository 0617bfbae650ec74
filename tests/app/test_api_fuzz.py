"""Schema-driven fuzzing of every operation of the served OpenAPI document.

Schemathesis generates requests from ``/openapi/openapi.json`` (schema-conforming and
deliberately invalid ones) and sends them to the real app in-process, on a database
seeded with a few dozen stations, on SQLite and on PostgreSQL. Every response must:

- never be a 5xx;
- use a documented status code and content type, and match the documented body schema;
- when it is a 4xx, be an RFC 9457 ``application/problem+json`` with ``status``,
  ``title`` and ``type`` (and ``status`` equal to the HTTP status).
"""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi as schemathesis_asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db import sessionmaker_for
from app.stations.ingest import upsert_locations
from app.stations.projection import station_public_id
from tests.app.stations.builders import Plug, Point, Site, build_location

OPENAPI_DOCUMENT = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
OPERATIONS = [
    (path, method.upper())
    for path, item in json.loads(OPENAPI_DOCUMENT.read_text())["paths"].items()
    for method in item
]
CENTRE = (52.5219, 13.4132)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _sites() -> list[Site]:
    rng = random.Random(20261122)
    plugs = [
        Plug("IEC_62196_T2", 22_000, "AC_3_PHASE", "SOCKET"),
        Plug("IEC_62196_T2_COMBO", 150_000, "DC", "CABLE"),
        Plug("CHADEMO", 50_000, "DC", "CABLE"),
    ]
    sites = []
    for i in range(36):
        lat = CENTRE[0] + rng.uniform(-0.03, 0.03)
        lon = CENTRE[1] + rng.uniform(-0.05, 0.05)
        points = tuple(
            Point(
                rng.choice(["AVAILABLE", "CHARGING", "OUTOFORDER", "REMOVED"]),
                (rng.choice(plugs),),
                ("CREDIT_CARD_PAYABLE",) if i % 4 == 0 else (),
                ("ISO_15118_2_PLUG_AND_CHARGE",) if i % 5 == 0 else (),
            )
            for _ in range(rng.randint(1, 3))
        )
        hours = {"twentyfourseven": True} if i % 3 == 0 else None
        sites.append(
            Site(
                f"fz{i:02d}",
                lat,
                lon,
                points=points,
                operator=rng.choice(["Allego", "Ionity", "Stromnetz Berlin", None]),
                publish=i % 9 != 8,
                opening_times=hours,
            )
        )
    # Two at the very same spot, and one across the antimeridian.
    sites.append(Site("twin", sites[0].lat, sites[0].lon))
    sites.append(Site("fiji", -17.0, 179.99, time_zone="Pacific/Fiji"))
    return sites


SITES = _sites()
STATION_IDS = [str(station_public_id("DE", "TST", s.id)) for s in SITES]


@pytest.fixture
async def seeded_app(app: Litestar, engine: AsyncEngine) -> AsyncIterator[Litestar]:
    async with sessionmaker_for(engine)() as session, session.begin():
        await upsert_locations(session, [build_location(s) for s in SITES], source="test")
    yield app
    # Schemathesis started the app's lifespan on its own event-loop thread: stop it, so
    # its database engine is disposed before the fixture empties the tables.
    schemathesis_asgi.shutdown_lifespans()


@pytest.fixture
def api_schema(seeded_app: Litestar) -> Any:
    return schemathesis.openapi.from_asgi("/openapi/openapi.json", seeded_app)


def _content_type(response: Any) -> str:
    value = response.headers.get("content-type", "")
    # Schemathesis responses keep every header as a list of values.
    return str(value[0] if isinstance(value, list) else value)


def assert_problem_details(response: Any) -> None:
    if not 400 <= response.status_code < 500:
        return
    content_type = _content_type(response)
    assert content_type.startswith("application/problem+json"), (response.status_code, content_type)
    problem = response.json()
    assert isinstance(problem, dict)
    assert problem.get("status") == response.status_code, problem
    assert isinstance(problem.get("title"), str) and problem["title"], problem
    assert isinstance(problem.get("type"), str) and problem["type"].startswith("https://"), problem


def _ids(operations: list[tuple[str, str]]) -> list[Any]:
    return [pytest.param(path, method, id=f"{method} {path}") for path, method in operations]


@pytest.mark.parametrize(("path", "method"), _ids(OPERATIONS))
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_never_fail_and_conform(
    api_schema: Any, path: str, method: str, mode: GenerationMode
) -> None:
    """Scenario: any request the schema allows (or any it forbids) gets a documented answer."""
    if path.startswith("/health") and mode is GenerationMode.NEGATIVE:
        pytest.skip("no parameters: nothing to get wrong")
    if path == "/v1/stations/{station_id}" and mode is GenerationMode.NEGATIVE:
        # A path that is not a UUID matches no route: 404, not 400 (tested below).
        pytest.skip("covered by test_malformed_station_id_is_a_documented_answer")
    operation = api_schema[path][method]
    checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS

    @FUZZ
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call()
        case.validate_response(response, checks=checks)
        assert_problem_details(response)

    run()


def test_known_stations_have_conforming_details(api_schema: Any) -> None:
    """Scenario: every seeded station's detail conforms; an unpublished one is a 404."""
    operation = api_schema["/v1/stations/{station_id}"]["GET"]
    for site, station_id in zip(SITES, STATION_IDS, strict=True):
        case = operation.Case(path_parameters={"station_id": station_id})
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        assert_problem_details(response)
        assert response.status_code == (200 if site.publish else 404), site.id


@given(
    lat=st.floats(52.4, 52.65),
    lon=st.floats(13.3, 13.55),
    radius=st.integers(1, 50_000),
    limit=st.integers(1, 10),
    filters=st.dictionaries(
        st.sampled_from(["availableNow", "plugAndCharge", "adHocPayment", "openNow"]),
        st.sampled_from(["true", "false"]),
    ),
    pages=st.integers(1, 4),
)
@FUZZ
def test_search_pages_conform_while_following_cursors(
    *,
    api_schema: Any,
    lat: float,
    lon: float,
    radius: int,
    limit: int,
    filters: dict[str, str],
    pages: int,
) -> None:
    """Scenario: searches that hit stations, followed page by page, stay on the schema."""
    operation = api_schema["/v1/stations"]["GET"]
    query: dict[str, Any] = {"lat": lat, "lon": lon, "radius": radius, "limit": limit, **filters}
    for _ in range(pages):
        case = operation.Case(query=query)
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        assert response.status_code == 200, response.text
        cursor = response.json()["nextCursor"]
        if cursor is None:
            break
        query = {**query, "cursor": cursor}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"lat": 52.5, "lon": 13.4, "minPowerKw": "nan"}, "minPowerKw"),
        ({"lat": 52.5, "lon": 13.4, "availableNow": "maybe"}, "availableNow"),
        ({"lat": 52.5, "lon": 13.4, "connectorStandard": [str(i) for i in range(17)]}, None),
        ({"lat": 52.5, "lon": 13.4, "plugAndCharge": "2"}, "plugAndCharge"),
    ],
    ids=["minPowerKw", "availableNow", "connectorStandard-too-many", "plugAndCharge"],
)
def test_invalid_aliased_parameters_are_problems(
    api_schema: Any, query: dict[str, Any], field: str | None
) -> None:
    """Scenario: hand-picked invalid values of the camelCase parameters."""
    del field
    case = api_schema["/v1/stations"]["GET"].Case(query=query)
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    assert response.status_code == 400
    assert_problem_details(response)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"lat": 52.5, "lon": 13.4, "minPowerKw": "nan"}, "minPowerKw"),
        ({"lat": 52.5, "lon": 13.4, "availableNow": "maybe"}, "availableNow"),
        ({"lat": 52.5, "lon": 13.4, "plugAndCharge": "2"}, "plugAndCharge"),
    ],
    ids=["minPowerKw", "availableNow", "plugAndCharge"],
)
def test_field_errors_name_the_wire_parameter(
    api_schema: Any, query: dict[str, Any], field: str
) -> None:
    """Regression: errors[].field is the camelCase name the client sent (was min_power_kw)."""
    response = api_schema["/v1/stations"]["GET"].Case(query=query).call()
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_declared_400_of_get_station_is_problem_details() -> None:
    """Regression: getStation's 400 was Litestar's default application/json body."""
    declared = json.loads(OPENAPI_DOCUMENT.read_text())["paths"]["/v1/stations/{station_id}"]
    content = declared["get"]["responses"]["400"]["content"]
    assert list(content) == ["application/problem+json"]


@pytest.mark.parametrize("station_id", ["not-a-uuid", "0" * 40, "%00", "..", "1e3"])
def test_malformed_station_id_is_a_documented_answer(api_schema: Any, station_id: str) -> None:
    """Scenario: a path segment that is no UUID matches no route: a problem+json 404."""
    case = api_schema["/v1/stations/{station_id}"]["GET"].Case(
        path_parameters={"station_id": station_id}
    )
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    assert response.status_code == 404
    assert_problem_details(response)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_undeclared_methods_are_405_problems(api_schema: Any, method: str) -> None:
    """Scenario: methods the document does not declare get a problem+json 405 (not a 5xx).

    405 is not declared per operation; OpenAPI does not expect it to be, so no spec gap.
    """
    case = api_schema["/v1/stations"]["GET"].Case(query={"lat": 52.5, "lon": 13.4})
    response = case.call(method=method)
    assert response.status_code == 405
    assert _content_type(response).startswith("application/problem+json")
    assert response.json()["status"] == 405
