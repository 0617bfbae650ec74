"""The seam between OCPI 2.3.0 wire objects and the canonical station and token models.

The canonical model is the 2.3.0 object set, so the mapping is structural: an object is
turned into builtins and converted into the other side's type, which re-validates every
field (export yields a spec-valid 2.3.0 object or raises ``msgspec.ValidationError`` with
the path of the offending field).

One non-structural rule: the 2.3.0 examples write ``EVSE.parking`` as bare parking ids
(``["1", "2"]``) while the field table [mod_locations_evse_object] specifies EVSEParking
objects. Both are read; the canonical model and every export use the object form
``{"parking_id": "1"}``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

import msgspec

from app.ocpi.v2_3_0 import locations as wire
from app.ocpi.v2_3_0 import tokens as tokens_wire
from app.stations import domain
from app.tokens import domain as tokens_domain

_T = TypeVar("_T", bound=msgspec.Struct)


def _builtins(obj: Any) -> Any:
    # datetimes stay objects so that no string round trip can shift them.
    return msgspec.to_builtins(obj, builtin_types=(datetime,))


def _normalise_evse(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("parking") is not None:
        data["parking"] = [{"parking_id": p} if isinstance(p, str) else p for p in data["parking"]]
    return data


def _normalise_location(data: dict[str, Any]) -> dict[str, Any]:
    for evse in data.get("evses") or []:
        _normalise_evse(evse)
    return data


def location_to_domain(location: wire.Location) -> domain.Location:
    """OCPI 2.3.0 Location -> canonical Location."""
    return msgspec.convert(_normalise_location(_builtins(location)), domain.Location)


def location_from_domain(location: domain.Location) -> wire.Location:
    """Canonical Location -> OCPI 2.3.0 Location."""
    return msgspec.convert(_builtins(location), wire.Location)


def evse_to_domain(evse: wire.EVSE) -> domain.EVSE:
    """OCPI 2.3.0 EVSE -> canonical EVSE (for PUT at EVSE level)."""
    return msgspec.convert(_normalise_evse(_builtins(evse)), domain.EVSE)


def evse_from_domain(evse: domain.EVSE) -> wire.EVSE:
    """Canonical EVSE -> OCPI 2.3.0 EVSE."""
    return msgspec.convert(_builtins(evse), wire.EVSE)


def connector_to_domain(connector: wire.Connector) -> domain.Connector:
    """OCPI 2.3.0 Connector -> canonical Connector (for PUT at Connector level)."""
    return msgspec.convert(_builtins(connector), domain.Connector)


def connector_from_domain(connector: domain.Connector) -> wire.Connector:
    """Canonical Connector -> OCPI 2.3.0 Connector."""
    return msgspec.convert(_builtins(connector), wire.Connector)


def _apply_patch(current: _T, body: bytes, wire_type: type[Any]) -> _T:
    changes = wire.decode_patch(body, wire_type)
    merged = _builtins(current)
    merged.update(_builtins(changes))
    if wire_type is wire.EVSE:
        _normalise_evse(merged)
    elif wire_type is wire.Location:
        _normalise_location(merged)
    return msgspec.convert(merged, type(current))


def apply_location_patch(current: domain.Location, body: bytes) -> domain.Location:
    """Apply an OCPI 2.3.0 PATCH body to a Location [mod_locations_patch_method].

    Only the fields present in ``body`` change; lists given in the body replace the stored
    list.
    """
    return _apply_patch(current, body, wire.Location)


def apply_evse_patch(current: domain.EVSE, body: bytes) -> domain.EVSE:
    """Apply an OCPI 2.3.0 PATCH body to an EVSE [mod_locations_patch_method]."""
    return _apply_patch(current, body, wire.EVSE)


def apply_connector_patch(current: domain.Connector, body: bytes) -> domain.Connector:
    """Apply an OCPI 2.3.0 PATCH body to a Connector [mod_locations_patch_method]."""
    return _apply_patch(current, body, wire.Connector)


# -- Tokens [mod_tokens_token_object] --------------------------------------------------------


def token_to_domain(token: tokens_wire.Token) -> tokens_domain.Token:
    """OCPI 2.3.0 Token -> canonical Token (lossless)."""
    return msgspec.convert(_builtins(token), tokens_domain.Token)


def token_from_domain(token: tokens_domain.Token) -> tokens_wire.Token:
    """Canonical Token -> OCPI 2.3.0 Token (the canonical field set is 2.3.0's)."""
    return msgspec.convert(_builtins(token), tokens_wire.Token)
