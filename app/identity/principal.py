"""The authenticated caller, as every route sees it whichever adapter verified it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

ROLES_CLAIM = "roles"


class Role(StrEnum):
    """Roles come from the ``roles`` custom claim (Firebase) or the dev token claim."""

    DRIVER = "driver"
    SUPPORT = "support"
    FINANCE = "finance"
    ADMIN = "admin"


def _frozen(claims: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(claims))


@dataclass(frozen=True, slots=True)
class Principal:
    uid: str
    roles: frozenset[Role]
    email: str | None = None
    email_verified: bool = False
    name: str | None = None
    auth_time: datetime | None = None
    claims: Mapping[str, Any] = field(default_factory=lambda: _frozen({}))

    def has_any(self, roles: frozenset[Role]) -> bool:
        return not self.roles.isdisjoint(roles)


def roles_from_claims(claims: Mapping[str, Any]) -> frozenset[Role]:
    """The caller's roles.

    Firebase sets custom claims only when an administrator does, so an ordinary
    sign-up carries none: a token *without* the claim is a driver. Staff accounts carry
    an explicit list (``["support"]``), which is what keeps them out of driver routes
    unless it also says ``driver``. A malformed claim grants nothing, and role names
    this version does not know are ignored rather than refused, so adding a role to
    the identity provider never locks existing callers out.
    """
    if ROLES_CLAIM not in claims:
        return frozenset({Role.DRIVER})
    raw = claims[ROLES_CLAIM]
    if not isinstance(raw, list):
        return frozenset()
    known = {role.value for role in Role}
    return frozenset(Role(item) for item in raw if isinstance(item, str) and item in known)


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """Build a principal from verified claims (Firebase ID token or dev token)."""
    auth_time = claims.get("auth_time")
    email = claims.get("email")
    name = claims.get("name")
    return Principal(
        uid=str(claims["sub"]),
        roles=roles_from_claims(claims),
        email=email if isinstance(email, str) else None,
        email_verified=claims.get("email_verified") is True,
        name=name if isinstance(name, str) else None,
        auth_time=datetime.fromtimestamp(auth_time, UTC)
        if isinstance(auth_time, int | float) and not isinstance(auth_time, bool)
        else None,
        claims=_frozen(claims),
    )
