"""Liveness and readiness."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient

from app.core.settings import load_settings
from app.main import create_app


async def test_live_answers_ok(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_when_migrated(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json()["schemaRevision"]


async def test_not_ready_before_migrations(tmp_path: Path) -> None:
    settings = load_settings(
        environ={}, database_url=f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "emsp db upgrade" in response.json()["detail"] or "migrated" in response.json()["detail"]
