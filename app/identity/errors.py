"""Why a bearer token was refused; every case is a 401 problem, never a 500."""

from __future__ import annotations

from app.core.errors import UnauthenticatedError


class InvalidTokenError(UnauthenticatedError):
    problem_type = "invalid-token"
    title = "Invalid token"


class ExpiredTokenError(InvalidTokenError):
    problem_type = "expired-token"
    title = "Token expired"


class RevokedTokenError(InvalidTokenError):
    problem_type = "revoked-token"
    title = "Token revoked"


class StaleSignInError(UnauthenticatedError):
    """The route needs a recent sign-in (account deletion), and this one is too old."""

    problem_type = "sign-in-required"
    title = "Recent sign-in required"
