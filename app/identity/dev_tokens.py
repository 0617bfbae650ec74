"""Dev identity: driver tokens this app signs itself, so a newcomer can use curl.

Tokens are HS256 JWTs (PyJWT) under a key derived from ``EMSP_SECRET_KEY`` for this one
purpose, so a leaked dev token key never exposes the cursor key or the secret itself.
The claims mirror a Firebase ID token (``sub``, ``iat``, ``exp``, ``auth_time``,
``email``, ``roles``) so everything past the verifier behaves the same in both modes.
Production refuses to start in this mode (``Settings.production_problems``).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Iterable
from typing import Any

import jwt

from app.identity.errors import ExpiredTokenError, InvalidTokenError, RevokedTokenError
from app.identity.principal import ROLES_CLAIM, Principal, Role, principal_from_claims

DEV_ISSUER = "emsp-dev-identity"
DEV_AUDIENCE = "emsp-driver-api"
_ALGORITHM = "HS256"
_KEY_PURPOSE = b"emsp.identity.dev-token.v1"


def dev_signing_key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), _KEY_PURPOSE, hashlib.sha256).digest()


def issue_dev_token(
    secret_key: str,
    *,
    uid: str,
    roles: Iterable[Role] = (Role.DRIVER,),
    email: str | None = None,
    name: str | None = None,
    ttl_s: int = 3600,
    now: float | None = None,
) -> str:
    issued_at = int(time.time() if now is None else now)
    claims: dict[str, Any] = {
        "iss": DEV_ISSUER,
        "aud": DEV_AUDIENCE,
        "sub": uid,
        "iat": issued_at,
        "auth_time": issued_at,
        "exp": issued_at + ttl_s,
        ROLES_CLAIM: sorted(role.value for role in roles),
    }
    if email is not None:
        claims["email"] = email
        # A dev token stands in for a provider that has checked the address.
        claims["email_verified"] = True
    if name is not None:
        claims["name"] = name
    return jwt.encode(claims, dev_signing_key(secret_key), algorithm=_ALGORITHM)


class DevTokenVerifier:
    """Verifies dev tokens; revocation is kept in memory, per process."""

    def __init__(self, secret_key: str, *, clock: Callable[[], float] = time.time) -> None:
        self._key = dev_signing_key(secret_key)
        self._clock = clock
        # uid -> first second at which tokens are valid again, as Firebase's
        # tokensValidAfterTime: enough for a single dev process, gone on restart.
        self._valid_after: dict[str, int] = {}

    async def verify(self, token: str, *, check_revoked: bool) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[_ALGORITHM],
                audience=DEV_AUDIENCE,
                issuer=DEV_ISSUER,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
                leeway=0,
            )
        except jwt.ExpiredSignatureError as exc:
            raise ExpiredTokenError("the token has expired; sign in again") from exc
        except jwt.PyJWTError as exc:
            raise InvalidTokenError("the token is not a valid driver token") from exc
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise InvalidTokenError("the token has no subject")
        if check_revoked and claims["iat"] < self._valid_after.get(claims["sub"], 0):
            raise RevokedTokenError("the token was revoked; sign in again")
        return principal_from_claims(claims)

    async def revoke_sessions(self, uid: str) -> None:
        self._valid_after[uid] = int(self._clock())

    def close(self) -> None:
        self._valid_after.clear()
