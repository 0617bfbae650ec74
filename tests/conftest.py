"""Shared fixtures: every database-backed test runs on SQLite and on PostgreSQL.

The schema is always built by the real Alembic migrations. PostgreSQL is expected on
127.0.0.1:5432 with trust authentication (``.ci/run`` starts it); each test worker gets
its own throw-away database. Set ``EMSP_TEST_DATABASES=sqlite`` to run only on SQLite
when no PostgreSQL is at hand; CI always runs both.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.db import Base, sessionmaker_for
from app.core.db import create_engine as create_async_db_engine
from app.core.settings import Settings, load_settings
from app.db import models_registry
from app.db.migrations_runner import upgrade
from app.main import create_app

PG_ADMIN_URL = os.environ.get(
    "EMSP_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
PG_ASYNC_TEMPLATE = os.environ.get(
    "EMSP_TEST_PG_URL_TEMPLATE", "postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
)
BACKENDS = [
    b.strip()
    for b in os.environ.get("EMSP_TEST_DATABASES", "sqlite,postgresql").split(",")
    if b.strip()
]


def _run_in_thread(coroutine_factory: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """asyncio.run in a thread of its own, so it also works inside async tests."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine_factory()).result()


def create_pg_database(name: str) -> None:
    import asyncpg

    async def run() -> None:
        try:
            conn = await asyncpg.connect(PG_ADMIN_URL)
        except (OSError, asyncpg.PostgresError) as exc:
            pytest.fail(
                "PostgreSQL is not reachable at 127.0.0.1:5432. Start it with "
                "`pg_ctlcluster --skip-systemctl-redirect 15 main start` (or run `.ci/run`), "
                f"or set EMSP_TEST_DATABASES=sqlite to skip PostgreSQL locally. ({exc})"
            )
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    _run_in_thread(run)


def drop_pg_database(name: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    _run_in_thread(run)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database of each backend, shared by the tests of one worker."""
    backend = request.param
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "emsp.sqlite3"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        yield url
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"emsp_test_{worker}_{uuid.uuid4().hex[:8]}"
    create_pg_database(name)
    url = PG_ASYNC_TEMPLATE.format(name=name)
    upgrade(url)
    yield url
    drop_pg_database(name)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(environ={}, database_url=database_url, env="test", access_log=False)


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_async_db_engine(settings)
    yield engine
    # Each test starts from empty tables; the schema itself is migrated once per worker.
    models_registry.import_all()
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(table.delete())
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with sessionmaker_for(engine)() as session:
        yield session


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar, engine: AsyncEngine) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as client:
        yield client


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
