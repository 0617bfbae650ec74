"""Every error is RFC 9457 problem details carrying the request id; nothing leaks."""

from __future__ import annotations

import json
import logging

import pytest
from litestar import Litestar, get
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]


async def test_unknown_route_is_a_problem(client: Client) -> None:
    response = await client.get("/no/such/route")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert body["type"].startswith("https://")
    assert body["instance"] == "/no/such/route"


async def test_wrong_method_is_a_problem(client: Client) -> None:
    response = await client.delete("/health/live")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


async def test_unexpected_exception_is_a_500_problem_that_reveals_nothing(
    app: Litestar, caplog: pytest.LogCaptureFixture
) -> None:
    @get("/test-only/boom", include_in_schema=False)
    async def boom() -> None:
        raise RuntimeError("secret database password is hunter2")

    app.register(boom)
    async with AsyncTestClient(app=app) as client:
        with caplog.at_level(logging.ERROR):
            response = await client.get("/test-only/boom", headers={"X-Request-ID": "req-123"})
    assert response.status_code == 500
    body = response.json()
    assert body["requestId"] == "req-123"
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    # The operator gets the detail in the log, tied to the same request id.
    assert any("unhandled_error" in r.getMessage() for r in caplog.records)


async def test_request_id_is_echoed_or_generated(client: Client) -> None:
    echoed = await client.get("/health/live", headers={"X-Request-ID": "app-4f2a"})
    assert echoed.headers["x-request-id"] == "app-4f2a"
    generated = await client.get("/health/live", headers={"X-Request-ID": "bad id\twith spaces"})
    assert generated.headers["x-request-id"] != "bad id\twith spaces"
    assert len(generated.headers["x-request-id"]) == 32


def test_logs_are_json_lines_with_the_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    import structlog

    from app.core.logging import configure_logging
    from app.core.request_context import reset_request_id, set_request_id
    from app.core.settings import LogFormat

    configure_logging("INFO", LogFormat.JSON)
    token = set_request_id("req-json-1")
    try:
        structlog.get_logger("test").info("something_happened", amount_minor=1250)
    finally:
        reset_request_id(token)
    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["event"] == "something_happened"
    assert record["request_id"] == "req-json-1"
    assert record["level"] == "info"
    assert record["timestamp"].endswith("Z")
