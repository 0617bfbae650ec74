"""Schema-driven fuzzing of every operation, signed in, on a driver's own data.

``test_api_fuzz`` sends no token, so the guarded routes answer 401 before any handler
runs. Here every request carries a valid dev token (a driver's; a support agent's for the
admin routes) and the database holds that driver's account: a vehicle, a favourite, an
activated and an ordered RFID card, a push device and a notification, plus the stations
of ``test_api_fuzz``. In positive mode a path parameter is often replaced by one of
those real ids, so handlers run on rows that exist as well as on random ids (404).

Each operation starts from freshly seeded tables (the ``engine`` fixture empties them
after each test), so a DELETE only affects the later examples of its own operation, and
those must still get a documented answer. ``DELETE /v1/me`` revokes the token, so it is
not in the shared run: a property test gives each of its examples a driver of its own.

Every response must not be a 5xx, must match the documented status codes, content type
and body schema, and any 4xx must be problem details (``assert_problem_details``).
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import AsyncTestClient
from schemathesis import GenerationMode
from schemathesis.python import asgi as schemathesis_asgi
from schemathesis.specs.openapi.checks import negative_data_rejection
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db import sessionmaker_for
from app.core.settings import Settings
from app.identity import Role
from app.identity.dev_tokens import issue_dev_token
from app.notifications.push import InboxOnlyPushSender
from app.notifications.services import NotificationService
from app.stations.ingest import upsert_locations
from tests.app.stations.builders import build_location
from tests.app.test_api_fuzz import (
    CHECKS,
    FUZZ,
    OPENAPI_DOCUMENT,
    OPERATIONS,
    SITES,
    STATION_IDS,
    assert_problem_details,
)

NO_INPUT = {
    (path, method.upper())
    for path, item in json.loads(OPENAPI_DOCUMENT.read_text())["paths"].items()
    for method, operation in item.items()
    if not operation.get("parameters") and "requestBody" not in operation
}
DRIVER_UID = "fuzz-driver"
STAFF_UID = "fuzz-support"
ERASURE = ("/v1/me", "DELETE")
SHARED_RUN = [op for op in OPERATIONS if op != ERASURE]
PUBLISHED = [sid for site, sid in zip(SITES, STATION_IDS, strict=True) if site.publish]
UNPUBLISHED = [sid for site, sid in zip(SITES, STATION_IDS, strict=True) if not site.publish]
VEHICLE = {"make": "VW", "model": "ID.3", "pcid": "hubUsEaTest000003"}
DEVICE = {"token": "fuzz-fcm-token", "platform": "android", "locale": "de-DE"}
AUTH_FUZZ = hypothesis_settings(FUZZ, max_examples=40)


@dataclass(frozen=True)
class Seeded:
    """The signed-in callers and the ids of the rows the driver owns."""

    driver_headers: dict[str, str]
    staff_headers: dict[str, str]
    real_ids: dict[str, list[str]]


def _bearer(settings: Settings, uid: str, roles: tuple[Role, ...]) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_dev_token(settings.secret_key, uid=uid, roles=roles)}"}


async def _seed_driver(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, headers: dict[str, str]
) -> dict[str, list[str]]:
    """The driver's account, built through the API (and the inbox through its service)."""

    async def ok(method: str, url: str, json: Any = None) -> Any:
        response = await client.request(method, url, headers=headers, json=json)
        assert response.status_code < 300, (method, url, response.text)
        return response.json() if response.content else None

    profile = await ok("PATCH", "/v1/me", {"name": "Fuzz Driver", "locale": "de-DE"})
    vehicle = await ok("POST", "/v1/me/vehicles", VEHICLE)
    await ok("PUT", f"/v1/me/favourites/{PUBLISHED[0]}")
    active = await ok("POST", "/v1/me/rfid-cards", {})
    await ok("POST", f"/v1/me/rfid-cards/{active['id']}/activate", {"uid": "F022C0DE"})
    ordered = await ok("POST", "/v1/me/rfid-cards", {})
    await ok("PUT", "/v1/me/devices/fuzz-phone", DEVICE)
    async with sessionmaker_for(engine)() as session, session.begin():
        service = NotificationService(session, InboxOnlyPushSender())
        result = await service.notify(
            uuid.UUID(profile["id"]), "session_started", {"station_name": "Fuzz Garage"}
        )
    return {
        "vehicle_id": [vehicle["id"]],
        "station_id": [PUBLISHED[0], PUBLISHED[1], UNPUBLISHED[0]],
        "installation_id": ["fuzz-phone"],
        "notification_id": [str(result.notification.id)],
        "token_id": [active["id"], ordered["id"]],
        "driver_id": [profile["id"]],
    }


@pytest.fixture
async def seeded(app: Litestar, engine: AsyncEngine, settings: Settings) -> AsyncIterator[Seeded]:
    async with sessionmaker_for(engine)() as session, session.begin():
        await upsert_locations(session, [build_location(s) for s in SITES], source="test")
    driver = _bearer(settings, DRIVER_UID, (Role.DRIVER,))
    async with AsyncTestClient(app=app) as client:
        real_ids = await _seed_driver(client, engine, driver)
    yield Seeded(driver, _bearer(settings, STAFF_UID, (Role.SUPPORT,)), real_ids)
    # As in test_api_fuzz: stop the lifespan schemathesis started before tables are emptied.
    schemathesis_asgi.shutdown_lifespans()


@pytest.fixture
def api_schema(app: Litestar, seeded: Seeded) -> Any:
    del seeded
    schema = schemathesis.openapi.from_asgi("/openapi/openapi.json", app)
    # NUL in text is refused by design with 400 (see test_nul_in_text_is_rejected), which
    # positive-mode checks would count as rejecting valid data; unknown query parameters
    # are ignored by design. Keep both out of the fuzzing.
    schema.config.generation.update(allow_x00=False, allow_extra_parameters=False)
    return schema


def _headers(seeded: Seeded, path: str) -> dict[str, str]:
    return seeded.staff_headers if path.startswith("/v1/admin/") else seeded.driver_headers


def _check(case: Any, response: Any, checks: list[Any]) -> None:
    case.validate_response(response, checks=checks)
    assert_problem_details(response)


def _ids(operations: list[tuple[str, str]]) -> list[Any]:
    return [pytest.param(path, method, id=f"{method} {path}") for path, method in operations]


@pytest.mark.parametrize(("path", "method"), _ids(SHARED_RUN))
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_signed_in_requests_never_fail_and_conform(
    api_schema: Any, seeded: Seeded, path: str, method: str, mode: GenerationMode
) -> None:
    """Scenario: a signed-in caller's requests, valid or not, on real and random ids."""
    if (path, method) in NO_INPUT and mode is GenerationMode.NEGATIVE:
        pytest.skip("no parameters and no body: with the token fixed, nothing to get wrong")
    if path == "/v1/stations/{station_id}" and mode is GenerationMode.NEGATIVE:
        pytest.skip("a non-UUID path matches no route: see test_api_fuzz")
    operation = api_schema[path][method]
    headers = _headers(seeded, path)
    negative = mode is GenerationMode.NEGATIVE
    checks = [*CHECKS, negative_data_rejection] if negative else CHECKS
    # The token is a fixed header, so schemathesis never drops or mangles it.
    strategies = [operation.as_strategy(generation_mode=mode, headers=headers)]
    if not negative:  # a real id could turn a negative case into a valid one
        strategies += [
            operation.as_strategy(headers=headers, path_parameters={name: real})
            for name, ids in seeded.real_ids.items()
            if "{" + name + "}" in path
            for real in ids
        ]
    statuses: list[int] = []

    @AUTH_FUZZ
    @given(case=st.one_of(strategies))
    def run(case: Any) -> None:
        response = case.call()
        _check(case, response, checks)
        statuses.append(response.status_code)

    run()
    assert 401 not in statuses, "the token was refused: the run was not signed in"
    assert not (path.startswith("/v1/") and 403 in statuses), "the caller lacked the role"


_uids = itertools.count()


@given(vehicles=st.integers(0, 2), favourite=st.booleans(), device=st.booleans())
@hypothesis_settings(AUTH_FUZZ, max_examples=8)
def test_erasure_conforms_for_any_account(
    *,
    api_schema: Any,
    settings: Settings,
    vehicles: int,
    favourite: bool,
    device: bool,
) -> None:
    """Scenario: DELETE /v1/me of a fresh driver with some data is a documented 204.

    Afterwards the account is gone: what remains must still be a documented answer.
    """
    headers = _bearer(settings, f"erase-{next(_uids)}", (Role.DRIVER,))
    schema = api_schema

    def call(path: str, method: str, **kwargs: Any) -> Any:
        case = schema[path][method].Case(**kwargs)
        response = case.call(headers=headers)
        _check(case, response, CHECKS)
        return response

    for i in range(vehicles):
        pcid = f"hubUsEaTest{i:06d}"
        created = call("/v1/me/vehicles", "POST", body={**VEHICLE, "pcid": pcid})
        assert created.status_code == 201, created.text
    if favourite:
        params = {"station_id": PUBLISHED[0]}
        assert (
            call("/v1/me/favourites/{station_id}", "PUT", path_parameters=params).status_code == 200
        )
    if device:
        params = {"installation_id": "erase-phone"}
        put = call("/v1/me/devices/{installation_id}", "PUT", path_parameters=params, body=DEVICE)
        assert put.status_code == 200, put.text
    assert call("/v1/me", "DELETE").status_code == 204
    # Same-second tokens survive revocation (whole-second semantics); either answer is fine.
    assert call("/v1/me", "DELETE").status_code in {204, 401}
    assert call("/v1/me/export", "GET").status_code in {200, 401}


NUL_INPUTS = [
    pytest.param("/v1/me", "PATCH", {"body": {"name": "Fuzz\x00Driver"}}, id="profile-name"),
    pytest.param(
        "/v1/me/vehicles",
        "POST",
        {"body": {**VEHICLE, "model": "ID\x003", "pcid": "hubUsEaTest000009"}},
        id="vehicle-model",
    ),
    pytest.param(
        "/v1/me/devices/{installation_id}",
        "PUT",
        {"path_parameters": {"installation_id": "p"}, "body": {**DEVICE, "token": "t\x00"}},
        id="device-token",
    ),
    pytest.param(
        "/v1/me/devices/{installation_id}",
        "PUT",
        {"path_parameters": {"installation_id": "p"}, "body": {**DEVICE, "locale": "de\x00"}},
        id="device-locale",
    ),
    pytest.param(
        "/v1/me/devices/{installation_id}",
        "DELETE",
        {"path_parameters": {"installation_id": "p\x00"}},
        id="device-installation-id",
    ),
]


@pytest.mark.parametrize(("path", "method", "parts"), NUL_INPUTS)
def test_nul_in_text_is_rejected(
    *,
    request: pytest.FixtureRequest,
    api_schema: Any,
    seeded: Seeded,
    database_url: str,
    path: str,
    method: str,
    parts: dict[str, Any],
) -> None:
    """Scenario: a string holding U+0000 is refused with 400 on every database, never 5xx."""
    del request, database_url
    case = api_schema[path][method].Case(**parts)
    response = case.call(headers=seeded.driver_headers)
    _check(case, response, CHECKS)
    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("/nul-character")
