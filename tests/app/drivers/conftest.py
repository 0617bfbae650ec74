"""Fixtures of the driver account tests: signed-in drivers as request headers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db import sessionmaker_for
from app.core.settings import Settings
from app.identity import Role
from app.identity.dev_tokens import issue_dev_token
from app.stations.ingest import upsert_locations
from tests.app.stations.builders import Seeder, Site, build_location

SignIn = Callable[..., dict[str, str]]


@pytest.fixture
def sign_in(settings: Settings) -> SignIn:
    """Headers of a dev token for ``uid`` (dev identity is the test default)."""

    def headers(uid: str, *roles: Role, **claims: Any) -> dict[str, str]:
        token = issue_dev_token(
            settings.secret_key, uid=uid, roles=roles or (Role.DRIVER,), **claims
        )
        return {"Authorization": f"Bearer {token}"}

    return headers


@pytest.fixture
def seed_sites(engine: AsyncEngine) -> Seeder:
    async def seed(sites: Sequence[Site]) -> None:
        async with sessionmaker_for(engine)() as session, session.begin():
            await upsert_locations(session, [build_location(s) for s in sites], source="test")

    return seed
