"""The identity port: what the app needs from whoever signs driver tokens."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from app.identity.principal import Principal


# Runtime-checkable because Litestar validates injected dependencies against their type.
@runtime_checkable
class TokenVerifier(Protocol):
    async def verify(self, token: str, *, check_revoked: bool) -> Principal:
        """The principal of a valid token; :class:`InvalidTokenError` otherwise.

        ``check_revoked`` asks the identity provider whether the user's sessions were
        revoked or the account disabled since the token was issued: a network call in
        production, so only sensitive routes (export, deletion) ask for it.
        """
        ...

    async def revoke_sessions(self, uid: str) -> None:
        """End every session of ``uid`` (refresh tokens), after account deletion."""
        ...

    def close(self) -> None:
        """Release what the adapter holds (the firebase-admin app)."""
        ...
