"""Authentication for routes: the principal dependency and the role guards.

A route is protected by a guard from :func:`requires_roles`; the guard authenticates
the caller (401 problem details when the bearer token is missing or invalid) and then
checks the roles (403). The principal is verified once per request and kept in the
request's state, where :func:`provide_principal` finds it. Routes that touch data a
token could have lost the right to since it was issued (export, deletion) set
``opt=SENSITIVE`` to have the token checked against the provider's revocation list.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Litestar, Request
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.handlers.base import BaseRouteHandler

from app.core.errors import ForbiddenError, UnauthenticatedError
from app.core.settings import IdentityMode, Settings, UnsafeConfigurationError
from app.identity.errors import InvalidTokenError, StaleSignInError
from app.identity.ports import TokenVerifier
from app.identity.principal import Principal, Role

CHECK_REVOKED = "identity_check_revoked"
RECENT_SIGN_IN = "identity_recent_sign_in"
#: Route ``opt`` for sensitive routes: the token must not have been revoked.
SENSITIVE: dict[str, Any] = {CHECK_REVOKED: True}
#: Route ``opt`` for destructive routes: also a sign-in within ``EMSP_RECENT_SIGN_IN_S``.
RECENT_SIGN_IN_REQUIRED: dict[str, Any] = {CHECK_REVOKED: True, RECENT_SIGN_IN: True}

_STATE_KEY = "principal"
# Firebase ID tokens are around 1 KB; anything far larger is not worth parsing.
_MAX_TOKEN_CHARS = 8192

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def build_token_verifier(settings: Settings) -> TokenVerifier:
    """The adapter the settings ask for; refuses a Firebase mode without a project."""
    if settings.effective_identity_mode is IdentityMode.FIREBASE:
        if not settings.firebase_project_id:
            raise UnsafeConfigurationError(
                ["EMSP_FIREBASE_PROJECT_ID must be set when the identity mode is firebase"]
            )
        from app.identity.firebase import FirebaseTokenVerifier

        return FirebaseTokenVerifier(
            settings.firebase_project_id, settings.firebase_credentials_file
        )
    from app.identity.dev_tokens import DevTokenVerifier

    return DevTokenVerifier(settings.secret_key)


@asynccontextmanager
async def identity_lifespan(app: Litestar) -> AsyncGenerator[None, None]:
    verifier: TokenVerifier = app.state.identity_verifier
    try:
        yield
    finally:
        verifier.close()


def _bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise UnauthenticatedError("use `Authorization: Bearer <ID token>`")
    if len(token) > _MAX_TOKEN_CHARS:
        raise InvalidTokenError("the token is too long")
    return token


async def authenticate(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """The caller's principal, None without a token; an invalid token is a 401."""
    cached: Principal | None = connection.state.get(_STATE_KEY)
    if cached is not None:
        return cached
    token = _bearer_token(connection)
    if token is None:
        return None
    opt = connection.route_handler.opt
    verifier: TokenVerifier = connection.app.state.identity_verifier
    principal = await verifier.verify(token, check_revoked=bool(opt.get(CHECK_REVOKED)))
    if opt.get(RECENT_SIGN_IN):
        settings: Settings = connection.app.state.settings
        _require_recent_sign_in(principal, settings.recent_sign_in_s)
    connection.state[_STATE_KEY] = principal
    return principal


def _require_recent_sign_in(principal: Principal, max_age_s: int) -> None:
    oldest = datetime.now(UTC) - timedelta(seconds=max_age_s)
    if principal.auth_time is None or principal.auth_time < oldest:
        raise StaleSignInError(
            f"sign in again (within the last {max_age_s} seconds) to do this",
        )


def requires_roles(*roles: Role) -> Guard:
    """A guard: the caller is authenticated (else 401) and holds one of ``roles`` (else 403)."""
    allowed = frozenset(roles)
    if not allowed:
        raise ValueError("a guard needs at least one role")

    async def guard(
        connection: ASGIConnection[Any, Any, Any, Any],
        _: BaseRouteHandler,
    ) -> None:
        principal = await authenticate(connection)
        if principal is None:
            raise UnauthenticatedError("this route needs a bearer token")
        if not principal.has_any(allowed):
            raise ForbiddenError(
                "this route needs the role " + " or ".join(sorted(r.value for r in allowed))
            )

    return guard


async def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    """The authenticated caller (401 problem details when there is none)."""
    principal = await authenticate(request)
    if principal is None:
        raise UnauthenticatedError("this route needs a bearer token")
    return principal


async def provide_optional_principal(request: Request[Any, Any, Any]) -> Principal | None:
    """The caller on public routes that show more to a signed-in driver."""
    return await authenticate(request)


def provide_token_verifier(state: State) -> TokenVerifier:
    verifier: TokenVerifier = state.identity_verifier
    return verifier
