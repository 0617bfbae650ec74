"""Fixtures of the token tests: signed-in drivers and staff as request headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.core.settings import Settings
from app.identity import Role
from app.identity.dev_tokens import issue_dev_token

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
