"""The seam between OCPI 2.2.1 wire objects and the canonical station and token models.

Both sides use the OCPI field names, so the mapping is structural: an object is turned into
builtins and converted into the other side's type, which re-validates every field (export
therefore always yields a spec-valid 2.2.1 object or raises ``msgspec.ValidationError``
with the path of the offending field).

What is not structural is listed here explicitly: the fields OCPI 2.3.0 added have no
place in 2.2.1 and are dropped on export (``DROPPED_ON_EXPORT``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

import msgspec

from app.ocpi.v2_2_1 import locations as wire
from app.ocpi.v2_2_1 import tokens as tokens_wire
from app.stations import domain
from app.tokens import domain as tokens_domain
from app.tokens.domain import TokenType

_T = TypeVar("_T", bound=msgspec.Struct)

DROPPED_ON_EXPORT: dict[str, frozenset[str]] = {
    "Location": frozenset({"parking_places", "help_phone"}),
    "EVSE": frozenset({"parking", "accepted_service_providers"}),
    "Connector": frozenset({"capabilities"}),
}
"""Domain fields (OCPI 2.3.0 additions) that a 2.2.1 peer cannot receive."""


def _builtins(obj: Any) -> Any:
    # datetimes stay objects so that no string round trip can shift them.
    return msgspec.to_builtins(obj, builtin_types=(datetime,))


def _strip_connector(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in DROPPED_ON_EXPORT["Connector"]}


def _strip_evse(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in DROPPED_ON_EXPORT["EVSE"]}
    out["connectors"] = [_strip_connector(c) for c in data.get("connectors", [])]
    return out


def _strip_location(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in DROPPED_ON_EXPORT["Location"]}
    if data.get("evses") is not None:
        out["evses"] = [_strip_evse(e) for e in data["evses"]]
    return out


def location_to_domain(location: wire.Location) -> domain.Location:
    """OCPI 2.2.1 Location -> canonical Location (lossless)."""
    return msgspec.convert(_builtins(location), domain.Location)


def location_from_domain(location: domain.Location) -> wire.Location:
    """Canonical Location -> OCPI 2.2.1 Location; 2.3.0-only fields are dropped."""
    return msgspec.convert(_strip_location(_builtins(location)), wire.Location)


def evse_to_domain(evse: wire.EVSE) -> domain.EVSE:
    """OCPI 2.2.1 EVSE -> canonical EVSE (for PUT at EVSE level)."""
    return msgspec.convert(_builtins(evse), domain.EVSE)


def evse_from_domain(evse: domain.EVSE) -> wire.EVSE:
    """Canonical EVSE -> OCPI 2.2.1 EVSE; 2.3.0-only fields are dropped."""
    return msgspec.convert(_strip_evse(_builtins(evse)), wire.EVSE)


def connector_to_domain(connector: wire.Connector) -> domain.Connector:
    """OCPI 2.2.1 Connector -> canonical Connector (for PUT at Connector level)."""
    return msgspec.convert(_builtins(connector), domain.Connector)


def connector_from_domain(connector: domain.Connector) -> wire.Connector:
    """Canonical Connector -> OCPI 2.2.1 Connector; 2.3.0-only fields are dropped."""
    return msgspec.convert(_strip_connector(_builtins(connector)), wire.Connector)


def _apply_patch(current: _T, body: bytes, wire_type: type[Any]) -> _T:
    changes = wire.decode_patch(body, wire_type)
    merged = _builtins(current)
    merged.update(_builtins(changes))
    return msgspec.convert(merged, type(current))


def apply_location_patch(current: domain.Location, body: bytes) -> domain.Location:
    """Apply an OCPI 2.2.1 PATCH body to a Location [mod_locations_patch_method].

    Only the fields present in ``body`` change; lists given in the body replace the stored
    list. 2.3.0-only fields already stored are kept.
    """
    return _apply_patch(current, body, wire.Location)


def apply_evse_patch(current: domain.EVSE, body: bytes) -> domain.EVSE:
    """Apply an OCPI 2.2.1 PATCH body to an EVSE [mod_locations_patch_method]."""
    return _apply_patch(current, body, wire.EVSE)


def apply_connector_patch(current: domain.Connector, body: bytes) -> domain.Connector:
    """Apply an OCPI 2.2.1 PATCH body to a Connector [mod_locations_patch_method]."""
    return _apply_patch(current, body, wire.Connector)


# -- Tokens [mod_tokens_token_object] --------------------------------------------------------

NOT_IN_2_2_1_TOKEN_TYPES = frozenset({TokenType.EMAID})
"""Token types OCPI 2.3.0 added; a 2.2.1 peer has no way to receive them."""


class TokenNotRepresentableError(ValueError):
    """The token has no OCPI 2.2.1 form (an EMAID token)."""


def token_to_domain(token: tokens_wire.Token) -> tokens_domain.Token:
    """OCPI 2.2.1 Token -> canonical Token (lossless)."""
    return msgspec.convert(_builtins(token), tokens_domain.Token)


def token_from_domain(token: tokens_domain.Token) -> tokens_wire.Token:
    """Canonical Token -> OCPI 2.2.1 Token; an EMAID token raises (2.3.0 only)."""
    if token.type in NOT_IN_2_2_1_TOKEN_TYPES:
        raise TokenNotRepresentableError(f"token type {token.type} does not exist in OCPI 2.2.1")
    return msgspec.convert(_builtins(token), tokens_wire.Token)
