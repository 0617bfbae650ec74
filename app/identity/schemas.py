"""Wire types of the dev identity route (camelCase on the app API)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from app.identity.principal import Role

Uid = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9._:@-]+$",
        description="The identity's uid (a Firebase uid has at most 128 characters)",
        examples=["driver-alice"],
    ),
]


class DevTokenCreate(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """Ask the dev identity for a signed token (dev mode only)."""

    uid: Uid
    roles: Annotated[
        list[Role],
        msgspec.Meta(max_length=4, description="Roles claim; staff roles for admin routes"),
    ] = msgspec.field(default_factory=lambda: [Role.DRIVER])
    email: Annotated[str, msgspec.Meta(max_length=254, examples=["alice@example.org"])] | None = (
        None
    )
    name: Annotated[str, msgspec.Meta(max_length=200, examples=["Alice"])] | None = None
    ttl_seconds: (
        Annotated[
            int,
            msgspec.Meta(ge=60, le=30 * 24 * 3600, description="Lifetime; EMSP_DEV_TOKEN_TTL_S"),
        ]
        | None
    ) = None


class DevToken(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A signed bearer token for `Authorization: Bearer <token>`."""

    token: str
    token_type: Annotated[str, msgspec.Meta(examples=["Bearer"])] = "Bearer"  # noqa: S105 - a scheme name
    uid: str
    roles: list[Role]
    expires_at: datetime
