"""Settings come from EMSP_* variables; production refuses unsafe configurations."""

from __future__ import annotations

import pytest

from app.core.settings import DEV_SECRET_KEY, Environment, UnsafeConfigurationError, load_settings
from app.main import create_app

SAFE_PRODUCTION = {
    "EMSP_ENV": "production",
    "EMSP_DATABASE_URL": "postgresql+asyncpg://emsp@db/emsp",
    "EMSP_SECRET_KEY": "x" * 40,
    "EMSP_PUBLIC_BASE_URL": "https://api.example.org",
    "EMSP_FIREBASE_PROJECT_ID": "emsp-prod",
}


def test_embedded_defaults_need_no_configuration() -> None:
    settings = load_settings(environ={})
    assert settings.env is Environment.DEVELOPMENT
    assert settings.is_sqlite
    assert settings.production_problems() == []


def test_variables_are_parsed_into_types() -> None:
    settings = load_settings(
        environ={
            "EMSP_PORT": "9000",
            "EMSP_DEBUG": "true",
            "EMSP_CORS_ORIGINS": "https://a.example, https://b.example",
        }
    )
    assert settings.port == 9000
    assert settings.debug is True
    assert settings.cors_origins == ("https://a.example", "https://b.example")


def test_invalid_value_names_the_variable() -> None:
    with pytest.raises(UnsafeConfigurationError, match="EMSP_PORT"):
        load_settings(environ={"EMSP_PORT": "99999"})


def test_safe_production_configuration_starts() -> None:
    settings = load_settings(environ=SAFE_PRODUCTION)
    settings.check_production()


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        ({"EMSP_SECRET_KEY": DEV_SECRET_KEY}, "EMSP_SECRET_KEY"),
        ({"EMSP_DATABASE_URL": "sqlite+aiosqlite:///var/x.sqlite3"}, "PostgreSQL"),
        ({"EMSP_DEBUG": "true"}, "EMSP_DEBUG"),
        ({"EMSP_PUBLIC_BASE_URL": "http://api.example.org"}, "https"),
        ({"EMSP_CORS_ORIGINS": "*"}, "EMSP_CORS_ORIGINS"),
    ],
)
def test_production_refuses_unsafe_settings(override: dict[str, str], problem: str) -> None:
    settings = load_settings(environ={**SAFE_PRODUCTION, **override})
    with pytest.raises(UnsafeConfigurationError, match=problem):
        create_app(settings)


def test_production_refuses_the_firebase_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    with pytest.raises(UnsafeConfigurationError, match="FIREBASE_AUTH_EMULATOR_HOST"):
        load_settings(environ=SAFE_PRODUCTION).check_production()


def test_every_problem_is_reported_at_once() -> None:
    settings = load_settings(
        environ={"EMSP_ENV": "production", "EMSP_DEBUG": "1"},
    )
    with pytest.raises(UnsafeConfigurationError) as caught:
        settings.check_production()
    assert len(caught.value.problems) >= 4
