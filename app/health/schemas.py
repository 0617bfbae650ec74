"""Wire types of the health endpoints."""

from __future__ import annotations

import msgspec


class Liveness(msgspec.Struct, frozen=True):
    """The process is up and serving."""

    status: str = msgspec.field(default="ok")


class Readiness(msgspec.Struct, frozen=True, rename="camel"):
    """Dependencies are reachable and the schema is current."""

    status: str
    database: str
    schema_revision: str | None
