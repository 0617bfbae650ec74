"""Run Alembic migrations from code: the only way the schema is ever created.

The CLI, the app's embedded start-up and the tests all come through here, so every
database (SQLite file, PostgreSQL, a test schema) is built by the same migrations.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from app.core.db import ensure_sqlite_directory

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database_url: str, *, postgis: str = "auto") -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    # Stored unescaped in attributes: set_main_option would interpolate '%' in passwords.
    config.attributes["database_url"] = database_url
    # "auto" enables PostGIS where the server offers it; "off" forces the core-index path.
    config.attributes["postgis"] = postgis
    return config


@cache
def head_revision() -> str | None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return script.get_current_head()


def _in_fresh_thread_if_loop_running(func: Callable[[], None]) -> None:
    # env.py drives an async engine with asyncio.run(), which cannot nest inside a
    # running loop (an async test, an ASGI lifespan): give it a thread of its own.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        func()
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(func).result()


def upgrade(database_url: str, revision: str = "head", *, postgis: str = "auto") -> None:
    if database_url.startswith("sqlite"):
        ensure_sqlite_directory(database_url)
    _in_fresh_thread_if_loop_running(
        lambda: command.upgrade(alembic_config(database_url, postgis=postgis), revision)
    )


def downgrade(database_url: str, revision: str) -> None:
    _in_fresh_thread_if_loop_running(
        lambda: command.downgrade(alembic_config(database_url), revision)
    )


def current(database_url: str) -> None:
    command.current(alembic_config(database_url), verbose=True)
