"""Fixtures of the identity tests: the Firebase stand-in and Firebase-mode settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import responses

from app.core.settings import Settings, load_settings
from tests.app.identity.firebase_stand_in import PROJECT_ID, FirebaseStandIn, write_service_account


@pytest.fixture
def firebase() -> Iterator[FirebaseStandIn]:
    # assert_all_requests_are_fired=False: a test may never need the Auth REST API.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        stand_in = FirebaseStandIn(mock)
        stand_in.install()
        yield stand_in


@pytest.fixture
def firebase_settings(database_url: str, tmp_path: Path) -> Settings:
    return load_settings(
        environ={},
        database_url=database_url,
        env="test",
        access_log=False,
        identity_mode="firebase",
        firebase_project_id=PROJECT_ID,
        firebase_credentials_file=str(write_service_account(tmp_path)),
    )
