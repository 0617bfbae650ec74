"""The `emsp` command: serve, migrate, import stations, run the demo, export OpenAPI."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import click

from app.core.settings import load_settings
from pki.cli import pki_cli


@click.group()
def main() -> None:
    """EMSP backend: driver API, OCPI EMSP role and Plug & Charge PKI."""


# -- serving -------------------------------------------------------------------------------


def _serve(host: str | None, port: int | None, workers: int | None) -> None:
    from granian.constants import Interfaces
    from granian.server import Server

    settings = load_settings()
    # Workers are separate processes that read settings from the environment again.
    os.environ["EMSP_HOST"] = host or settings.host
    os.environ["EMSP_PORT"] = str(port or settings.port)
    settings = load_settings()
    settings.check_production()
    Server(
        "app.main:create_app",
        factory=True,
        interface=Interfaces.ASGI,
        address=settings.host,
        port=settings.port,
        workers=workers or settings.workers,
        log_access=False,
    ).serve()


@main.command()
@click.option("--host", default=None, help="Bind address (EMSP_HOST)")
@click.option("--port", type=int, default=None, help="Port (EMSP_PORT)")
@click.option("--workers", type=int, default=None, help="Worker processes (EMSP_WORKERS)")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the API with granian (migrations must already be applied)."""
    _serve(host, port, workers)


@main.command()
@click.option("--host", default=None)
@click.option("--port", type=int, default=None)
def demo(host: str | None, port: int | None) -> None:
    """Migrate the embedded database, seed the Berlin stations if empty, and serve."""
    from app.db.migrations_runner import upgrade

    settings = load_settings()
    upgrade(settings.database_url)
    seeded = asyncio.run(_seed_berlin_if_empty(settings.database_url))
    click.echo(json.dumps({"event": "demo_seed", **seeded}))
    base = f"http://{host or settings.host}:{port or settings.port}"
    click.echo(
        json.dumps(
            {
                "event": "demo_ready",
                "try": f"curl '{base}/v1/stations/?lat=52.5219&lon=13.4132&radius=1000'",
                "openapi": f"{base}/openapi/openapi.json",
            }
        )
    )
    _serve(host, port, None)


# -- database ------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database migrations (Alembic); the only way the schema is created."""


@db.command("upgrade")
@click.argument("revision", default="head")
@click.option("--postgis", type=click.Choice(["auto", "off"]), default="auto")
def db_upgrade(revision: str, postgis: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    from app.db.migrations_runner import upgrade

    upgrade(load_settings().database_url, revision, postgis=postgis)


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION ('base' for an empty database)."""
    from app.db.migrations_runner import downgrade

    downgrade(load_settings().database_url, revision)


@db.command("current")
def db_current() -> None:
    """Show the database's current revision."""
    from app.db.migrations_runner import current

    current(load_settings().database_url)


# -- stations ------------------------------------------------------------------------------


@main.group()
def stations() -> None:
    """Import station data."""


_FORMATS = ["ocpi-2.2.1", "ocpi-2.3.0", "openchargemap", "bnetza"]


@stations.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(_FORMATS), required=True)
def stations_import(path: Path, fmt: str) -> None:
    """Import stations from PATH (insert or replace by OCPI identity)."""
    result = asyncio.run(_import_file(load_settings().database_url, path, fmt))
    click.echo(json.dumps(result))


@stations.command("seed-berlin")
def stations_seed_berlin() -> None:
    """Import the bundled Berlin datasets (Open Charge Map + Bundesnetzagentur, merged)."""
    result = asyncio.run(_seed_berlin(load_settings().database_url))
    click.echo(json.dumps(result))


async def _with_session(database_url: str, work: Any) -> Any:
    from app.core.db import create_engine, sessionmaker_for

    engine = create_engine(load_settings(database_url=database_url))
    try:
        async with sessionmaker_for(engine)() as session, session.begin():
            return await work(session)
    finally:
        await engine.dispose()


async def _import_file(database_url: str, path: Path, fmt: str) -> dict[str, Any]:
    from app.stations.importers import bnetza, ocpi_json, openchargemap
    from app.stations.ingest import upsert_locations

    data = await asyncio.to_thread(path.read_bytes)
    if fmt == "ocpi-2.2.1":
        imported = ocpi_json.load_locations(data, version="2.2.1")
    elif fmt == "ocpi-2.3.0":
        imported = ocpi_json.load_locations(data, version="2.3.0")
    elif fmt == "openchargemap":
        imported = openchargemap.import_openchargemap(data)
    else:
        imported = bnetza.import_bnetza(data)
    locations = imported.locations
    skipped = [{"id": s.source_id, "reason": s.reason} for s in imported.report.skipped]

    async def work(session: Any) -> dict[str, Any]:
        result = await upsert_locations(session, locations, source=fmt)
        return {
            "locations": result.locations,
            "evses": result.evses,
            "connectors": result.connectors,
            "skipped": skipped,
        }

    return dict(await _with_session(database_url, work))


async def _seed_berlin(database_url: str) -> dict[str, Any]:
    from app.stations.importers import load_berlin_seed
    from app.stations.ingest import upsert_locations

    locations = load_berlin_seed()

    async def work(session: Any) -> dict[str, Any]:
        result = await upsert_locations(session, locations, source="berlin-seed")
        return {
            "locations": result.locations,
            "evses": result.evses,
            "connectors": result.connectors,
        }

    return dict(await _with_session(database_url, work))


async def _seed_berlin_if_empty(database_url: str) -> dict[str, Any]:
    from app.stations.repositories import StationRepository

    async def count(session: Any) -> int:
        return await StationRepository(session).count()

    existing = await _with_session(database_url, count)
    if existing:
        return {"seeded": False, "existing_locations": existing}
    return {"seeded": True, **await _seed_berlin(database_url)}


# -- OpenAPI -------------------------------------------------------------------------------


def render_openapi() -> str:
    """The OpenAPI document exactly as committed in openapi/openapi.json."""
    from app.main import create_app

    app = create_app(load_settings(environ={}))
    schema = app.openapi_schema.to_schema()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@main.group()
def openapi() -> None:
    """The OpenAPI document of the driver API."""


@openapi.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Fail if PATH differs instead of writing it")
def openapi_export(path: Path, check: bool) -> None:
    """Write the app's OpenAPI document to PATH."""
    rendered = render_openapi()
    if check:
        if not path.exists() or path.read_text(encoding="utf-8") != rendered:
            raise click.ClickException(f"{path} is out of date: run `make openapi`")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(rendered, encoding="utf-8")


# -- dev identity --------------------------------------------------------------------------


@main.group()
def dev() -> None:
    """Development helpers (dev identity mode only)."""


@dev.command("token")
@click.option("--uid", required=True, help="The identity's uid (token subject)")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(["driver", "support", "finance", "admin"]),
    help="Repeat for several roles (default: driver)",
)
@click.option("--email", default=None, help="Email claim")
@click.option("--name", default=None, help="Name claim")
@click.option("--ttl", type=int, default=None, help="Lifetime in seconds (EMSP_DEV_TOKEN_TTL_S)")
def dev_token(
    uid: str, roles: tuple[str, ...], email: str | None, name: str | None, ttl: int | None
) -> None:
    """Print a signed dev token for `Authorization: Bearer <token>`."""
    from app.core.settings import IdentityMode
    from app.identity import Role
    from app.identity.dev_tokens import issue_dev_token

    settings = load_settings()
    if settings.effective_identity_mode is not IdentityMode.DEV:
        raise click.ClickException("dev tokens exist only with EMSP_IDENTITY_MODE=dev")
    click.echo(
        issue_dev_token(
            settings.secret_key,
            uid=uid,
            roles=[Role(r) for r in roles or ("driver",)],
            email=email,
            name=name,
            ttl_s=ttl or settings.dev_token_ttl_s,
        )
    )


main.add_command(pki_cli, name="pki")
