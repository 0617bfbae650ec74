"""Identity settings: dev identity on the embedded default, never in production."""

from __future__ import annotations

import pytest

from app.core.settings import IdentityMode, UnsafeConfigurationError, load_settings
from app.main import create_app

PRODUCTION = {
    "EMSP_ENV": "production",
    "EMSP_DATABASE_URL": "postgresql+asyncpg://emsp@db/emsp",
    "EMSP_SECRET_KEY": "x" * 40,
    "EMSP_PUBLIC_BASE_URL": "https://api.example.org",
    "EMSP_FIREBASE_PROJECT_ID": "emsp-prod",
}


def test_embedded_default_is_dev_identity() -> None:
    assert load_settings(environ={}).effective_identity_mode is IdentityMode.DEV


def test_production_defaults_to_firebase_identity() -> None:
    settings = load_settings(environ=PRODUCTION)
    assert settings.effective_identity_mode is IdentityMode.FIREBASE
    assert settings.production_problems() == []


def test_production_refuses_dev_identity() -> None:
    settings = load_settings(environ={**PRODUCTION, "EMSP_IDENTITY_MODE": "dev"})
    with pytest.raises(UnsafeConfigurationError, match="EMSP_IDENTITY_MODE"):
        create_app(settings)


def test_production_refuses_the_auth_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    with pytest.raises(UnsafeConfigurationError, match="FIREBASE_AUTH_EMULATOR_HOST"):
        create_app(load_settings(environ=PRODUCTION))


def test_firebase_identity_needs_a_project_id() -> None:
    settings = load_settings(environ={"EMSP_IDENTITY_MODE": "firebase"})
    with pytest.raises(UnsafeConfigurationError, match="EMSP_FIREBASE_PROJECT_ID"):
        create_app(settings)


def test_firebase_identity_refuses_a_missing_credentials_file() -> None:
    settings = load_settings(
        environ={
            "EMSP_IDENTITY_MODE": "firebase",
            "EMSP_FIREBASE_PROJECT_ID": "p",
            "EMSP_FIREBASE_CREDENTIALS_FILE": "/nonexistent/service-account.json",
        }
    )
    with pytest.raises(UnsafeConfigurationError, match="EMSP_FIREBASE_CREDENTIALS_FILE"):
        create_app(settings)
