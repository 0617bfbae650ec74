"""Typed settings read from the environment.

Every setting is an ``EMSP_*`` environment variable (the README lists them all). The
defaults describe the embedded mode: a SQLite file, in-process queues, dev identity. A
production configuration is checked by :func:`Settings.check_production` at start-up and
refused with a list of every problem, not only the first.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

import msgspec

ENV_PREFIX = "EMSP_"
DEV_SECRET_KEY = "dev-only-secret-key-change-me-in-production"  # noqa: S105 - the documented dev default


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class LogFormat(StrEnum):
    JSON = "json"
    CONSOLE = "console"


class IdentityMode(StrEnum):
    """Who signs the drivers' bearer tokens."""

    DEV = "dev"  # this app, with a key derived from EMSP_SECRET_KEY (embedded default)
    FIREBASE = "firebase"  # Firebase Authentication ID tokens (production)


class PushMode(StrEnum):
    """Where notifications go besides the in-app inbox, which always keeps them."""

    INBOX = "inbox"  # inbox only (embedded default)
    FCM = "fcm"  # also push to the driver's devices through Firebase Cloud Messaging


class UnsafeConfigurationError(RuntimeError):
    """The configuration is not safe for the chosen environment."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("refusing to start: " + "; ".join(problems))


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """All runtime settings. Field names map to ``EMSP_<FIELD_NAME_UPPER>``."""

    env: Environment = Environment.DEVELOPMENT
    database_url: str = "sqlite+aiosqlite:///var/emsp.sqlite3"
    database_pool_size: Annotated[int, msgspec.Meta(ge=1, le=200)] = 10
    database_echo: bool = False
    host: str = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8000
    workers: Annotated[int, msgspec.Meta(ge=1, le=256)] = 1
    log_level: str = "INFO"
    log_format: LogFormat = LogFormat.JSON
    access_log: bool = True
    secret_key: Annotated[str, msgspec.Meta(min_length=16)] = DEV_SECRET_KEY
    public_base_url: str = "http://127.0.0.1:8000"
    cors_origins: tuple[str, ...] = ()
    debug: bool = False
    search_max_radius_m: Annotated[int, msgspec.Meta(ge=100, le=500_000)] = 50_000
    search_max_page_size: Annotated[int, msgspec.Meta(ge=1, le=500)] = 100
    search_default_page_size: Annotated[int, msgspec.Meta(ge=1, le=500)] = 20
    # Unset means "dev", except with EMSP_ENV=production, where it means "firebase": a
    # production deployment never falls back to tokens it signs itself.
    identity_mode: IdentityMode | None = None
    firebase_project_id: str = ""
    firebase_credentials_file: str = ""
    dev_token_ttl_s: Annotated[int, msgspec.Meta(ge=60, le=30 * 24 * 3600)] = 3600
    recent_sign_in_s: Annotated[int, msgspec.Meta(ge=30, le=24 * 3600)] = 300
    push_mode: PushMode = PushMode.INBOX
    fcm_project_id: str = ""
    # A service-account JSON file; empty means Google application default credentials.
    fcm_credentials_file: str = ""
    # Our OCPI party: country code and party id of every token we issue; together they
    # are the ISO 15118 provider id of our contract ids (EMAIDs), e.g. DE + EMS -> DEEMS.
    ocpi_country_code: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")] = "DE"
    ocpi_party_id: Annotated[str, msgspec.Meta(pattern=r"^[A-Z0-9]{3}$")] = "EMS"
    # The company printed on our RFID cards (OCPI Token.issuer of every token we issue).
    ocpi_issuer: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] = "EMSP"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def effective_identity_mode(self) -> IdentityMode:
        if self.identity_mode is not None:
            return self.identity_mode
        if self.env is Environment.PRODUCTION:
            return IdentityMode.FIREBASE
        return IdentityMode.DEV

    def production_problems(self) -> list[str]:
        """Every reason this configuration must not serve production traffic."""
        problems: list[str] = []
        if self.env is not Environment.PRODUCTION:
            return problems
        if self.secret_key == DEV_SECRET_KEY or len(self.secret_key) < 32:
            problems.append("EMSP_SECRET_KEY must be set to a random value of 32+ characters")
        if self.is_sqlite:
            problems.append("EMSP_DATABASE_URL must point at PostgreSQL in production")
        if self.debug:
            problems.append("EMSP_DEBUG must be false in production")
        if self.database_echo:
            problems.append("EMSP_DATABASE_ECHO logs SQL parameters; disable it in production")
        if not self.public_base_url.startswith("https://"):
            problems.append("EMSP_PUBLIC_BASE_URL must be an https:// URL in production")
        if "*" in self.cors_origins:
            problems.append("EMSP_CORS_ORIGINS must list origins explicitly in production")
        if self.identity_mode is IdentityMode.DEV:
            problems.append(
                "EMSP_IDENTITY_MODE=dev lets this server sign its own driver tokens; "
                "use firebase in production"
            )
        elif not self.firebase_project_id:
            problems.append("EMSP_FIREBASE_PROJECT_ID must name the Firebase project")
        if self.push_mode is PushMode.FCM:
            problems.extend(self._push_problems())
        if os.environ.get("FIREBASE_AUTH_EMULATOR_HOST"):
            problems.append(
                "FIREBASE_AUTH_EMULATOR_HOST is set: firebase-admin would accept unsigned tokens"
            )
        return problems

    def _push_problems(self) -> list[str]:
        problems = []
        if not self.fcm_project_id:
            problems.append("EMSP_PUSH_MODE=fcm needs EMSP_FCM_PROJECT_ID")
        # Credentials may come from a file or from the platform (application default
        # credentials on Google Cloud need no variable at all), so none is demanded here;
        # the adapter fails at start-up if it finds none.
        return problems

    def check_production(self) -> None:
        problems = self.production_problems()
        if problems:
            raise UnsafeConfigurationError(problems)


def _env_value(field_type: Any, raw: str) -> Any:
    if field_type == tuple[str, ...]:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from ``EMSP_*`` variables; ``overrides`` win (used by tests and CLI)."""
    source = os.environ if environ is None else environ
    hints = {f.name: f.type for f in msgspec.structs.fields(Settings)}
    raw: dict[str, Any] = {}
    for name, field_type in hints.items():
        key = ENV_PREFIX + name.upper()
        if key in source:
            raw[name] = _env_value(field_type, source[key])
    raw.update(overrides)
    try:
        return msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as exc:
        # Report the variable name the operator actually sets, not our field name.
        message = str(exc)
        for name in hints:
            message = message.replace(f"`$.{name}`", ENV_PREFIX + name.upper())
        raise UnsafeConfigurationError([f"invalid setting: {message}"]) from exc
