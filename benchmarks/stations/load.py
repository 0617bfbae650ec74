"""Build (or reuse) a benchmark database of a given size on SQLite or PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.db.migrations_runner import upgrade
from app.stations.models import ConnectorRecord, EvseRecord, LocationRecord
from app.stations.projection import project_location
from benchmarks.stations.dataset import generate

BATCH = 2_000
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_TEMPLATE = "postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
MARKER_TABLE = "bench_dataset"


def sqlite_url(directory: Path, connectors: int) -> str:
    return f"sqlite+aiosqlite:///{directory / f'stations-{connectors}.sqlite3'}"


def pg_name(connectors: int, postgis: str) -> str:
    return f"emsp_bench_{connectors}_{'postgis' if postgis == 'auto' else 'point'}"


async def _marker(engine: AsyncEngine) -> int | None:
    try:
        async with engine.connect() as connection:
            value = await connection.scalar(text(f"SELECT connectors FROM {MARKER_TABLE}"))  # noqa: S608
    except Exception:  # noqa: BLE001 - any failure means "not built yet"
        return None
    return int(value) if value is not None else None


async def _ensure_pg_database(name: str, *, rebuild: bool) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists and rebuild:
            await conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def prepare(
    backend: str, connectors: int, directory: Path, *, rebuild: bool = False
) -> tuple[str, dict[str, Any]]:
    """The URL of a database holding ``connectors`` synthetic connectors, and build stats."""
    if backend == "sqlite":
        directory.mkdir(parents=True, exist_ok=True)
        url = sqlite_url(directory, connectors)
        path = Path(url.removeprefix("sqlite+aiosqlite:///"))
        if rebuild and path.exists():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        postgis = "auto"
    else:
        postgis = "auto" if backend == "postgis" else "off"
        name = pg_name(connectors, postgis)
        await _ensure_pg_database(name, rebuild=rebuild)
        url = PG_TEMPLATE.format(name=name)
    engine = create_async_engine(url)
    try:
        # Idempotent: a reused database is brought to the current schema first.
        upgrade(url, postgis=postgis)
        if await _marker(engine) == connectors:
            return url, {"reused": True}
        stats = await _load(engine, generate(connectors))
        async with engine.begin() as connection:
            await connection.execute(text(f"CREATE TABLE {MARKER_TABLE} (connectors INTEGER)"))
            await connection.execute(
                text(f"INSERT INTO {MARKER_TABLE} VALUES (:n)"),  # noqa: S608
                {"n": connectors},
            )
            if backend == "sqlite":
                await connection.execute(text("ANALYZE"))
            else:
                # Keys were assigned by the loader; move the sequences past them.
                for table in ("locations", "evses"):
                    await connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'pk'), "  # noqa: S608
                            f"(SELECT max(pk) FROM {table}))"
                        )
                    )
        if backend != "sqlite":
            async with engine.connect() as connection:
                autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.execute(text("VACUUM ANALYZE"))
        return url, stats
    finally:
        await engine.dispose()


async def _load(engine: AsyncEngine, locations: Iterable[Any]) -> dict[str, Any]:
    started = time.perf_counter()
    counts = {"locations": 0, "evses": 0, "connectors": 0}
    location_pk = evse_pk = 0
    batch: list[Any] = []

    async def flush() -> None:
        nonlocal location_pk, evse_pk
        location_rows: list[dict[str, Any]] = []
        evse_rows: list[dict[str, Any]] = []
        connector_rows: list[dict[str, Any]] = []
        for location in batch:
            row = project_location(location, source="benchmark")
            location_pk += 1
            location_rows.append({**row.values, "pk": location_pk})
            for position, evse in enumerate(row.evses):
                evse_pk += 1
                evse_rows.append(
                    {
                        "pk": evse_pk,
                        "location_pk": location_pk,
                        "position": position,
                        "uid": evse.uid,
                        "evse_id": evse.evse_id,
                        "status": evse.status,
                        "last_updated": evse.last_updated,
                        "document": evse.document,
                    }
                )
                connector_rows.extend(
                    {
                        "evse_pk": evse_pk,
                        "position": i,
                        "connector_id": c.connector_id,
                        "standard": c.standard,
                        "format": c.format,
                        "power_type": c.power_type,
                        "max_power_w": c.max_power_w,
                        "last_updated": c.last_updated,
                        "document": c.document,
                    }
                    for i, c in enumerate(evse.connectors)
                )
        async with engine.begin() as connection:
            await connection.execute(insert(LocationRecord), location_rows)
            await connection.execute(insert(EvseRecord), evse_rows)
            await connection.execute(insert(ConnectorRecord), connector_rows)
        counts["locations"] += len(location_rows)
        counts["evses"] += len(evse_rows)
        counts["connectors"] += len(connector_rows)
        batch.clear()

    for location in locations:
        batch.append(location)
        if len(batch) >= BATCH:
            await flush()
    if batch:
        await flush()
    return {**counts, "seconds": round(time.perf_counter() - started, 1), "reused": False}
