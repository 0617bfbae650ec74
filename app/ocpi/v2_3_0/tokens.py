"""OCPI 2.3.0 Tokens module objects: Token, AuthorizationInfo and their data types.

Spec: OCPI 2.3.0 mod_tokens.asciidoc, [mod_tokens_object_description] and
[mod_tokens_data_types]; ProfileType is from mod_sessions.asciidoc
[mod_sessions_profile_type_enum]. Field names and enum values are verbatim.

TokenType is an ``OpenEnum`` in 2.3.0 [mod_tokens_tokentype_enum] and gained ``EMAID``
(ISO 15118 contract ids used as tokens; the eMSP is recommended not to push them). Any
string is accepted for it. AllowedType, WhitelistType and ProfileType stay closed and are
validated. Optional fields default to ``None`` and are not re-emitted, so a decoded
example re-encodes to the same JSON object.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import Meta

from app.ocpi.v2_3_0.types import (
    DisplayText,
    OcpiObject,
    TokenType,
    as_utc,
    ci_string,
    open_enum,
    string,
)

__all__ = [
    "AllowedType",
    "AuthorizationInfo",
    "EnergyContract",
    "LocationReferences",
    "ProfileType",
    "Token",
    "TokenPatch",
    "TokenType",
    "WhitelistType",
    "decode_token_patch",
]


class AllowedType(enum.StrEnum):
    """AllowedType enum, OCPI 2.3.0 [mod_tokens_allowed_enum]."""

    ALLOWED = "ALLOWED"
    BLOCKED = "BLOCKED"
    EXPIRED = "EXPIRED"
    NO_CREDIT = "NO_CREDIT"
    NOT_ALLOWED = "NOT_ALLOWED"


class WhitelistType(enum.StrEnum):
    """WhitelistType enum, OCPI 2.3.0 [mod_tokens_whitelisttype_enum].

    When the CPO may authorise the Token from a whitelist instead of asking the eMSP.
    """

    ALWAYS = "ALWAYS"
    ALLOWED = "ALLOWED"
    ALLOWED_OFFLINE = "ALLOWED_OFFLINE"
    NEVER = "NEVER"


class ProfileType(enum.StrEnum):
    """ProfileType enum, OCPI 2.3.0 [mod_sessions_profile_type_enum]."""

    CHEAP = "CHEAP"
    FAST = "FAST"
    GREEN = "GREEN"
    REGULAR = "REGULAR"


class EnergyContract(OcpiObject, kw_only=True):
    """EnergyContract class, OCPI 2.3.0 [mod_tokens_energy_contract]."""

    supplier_name: Annotated[str, string(64, "Name of the energy supplier for this token.")]
    contract_id: Annotated[str, string(64, "Contract ID at the energy supplier.")] | None = None


class LocationReferences(OcpiObject, kw_only=True):
    """LocationReferences class, OCPI 2.3.0 [mod_tokens_locationreferences_class]."""

    location_id: Annotated[str, ci_string(36, "Unique identifier for the location.")]
    evse_uids: list[Annotated[str, ci_string(36, "EVSE uid within the CPO's platform.")]] | None = (
        None
    )


_TokenUid = Annotated[
    str,
    ci_string(36, "Token id; with type unique in the eMSP's system (RFID: the chip's UID)."),
]
_ContractId = Annotated[
    str, ci_string(36, "The EV driver's contract id, recommended in eMA ID format.")
]
_LastUpdated = Annotated[
    datetime,
    Meta(description="When this Token was last updated (or created), UTC."),
]


class Token(OcpiObject, kw_only=True):
    """Token object, OCPI 2.3.0 [mod_tokens_token_object]."""

    country_code: Annotated[str, ci_string(2, "ISO-3166 alpha-2 country code of the MSP.")]
    party_id: Annotated[str, ci_string(3, "ID of the eMSP that owns this Token.")]
    uid: _TokenUid
    type: Annotated[str, open_enum(TokenType, "Type of the token.")]
    contract_id: _ContractId
    visual_number: Annotated[str, string(64, "Number printed on the token.")] | None = None
    issuer: Annotated[str, string(64, "Issuing company, as printed on the token.")]
    group_id: Annotated[str, ci_string(36, "Groups tokens that work as one.")] | None = None
    valid: Annotated[bool, Meta(description="Is this Token valid.")]
    whitelist: Annotated[WhitelistType, Meta(description="What whitelisting is allowed.")]
    language: Annotated[str, string(2, "Owner's language, ISO 639-1.")] | None = None
    default_profile_type: (
        Annotated[ProfileType, Meta(description="Default charging preference.")] | None
    ) = None
    energy_contract: (
        Annotated[EnergyContract, Meta(description="The driver's own energy contract.")] | None
    ) = None
    last_updated: _LastUpdated

    def __post_init__(self) -> None:
        self.last_updated = as_utc(self.last_updated)


class TokenPatch(OcpiObject, kw_only=True, forbid_unknown_fields=True):
    """A Token PATCH body [mod_tokens_patch_method]: any fields, always with last_updated.

    Unknown field names are rejected: a misspelt field in a partial update would
    otherwise be lost silently.
    """

    country_code: Annotated[str, ci_string(2, "Country code of the MSP.")] | None = None
    party_id: Annotated[str, ci_string(3, "Party id of the eMSP.")] | None = None
    uid: _TokenUid | None = None
    type: Annotated[str | None, open_enum(TokenType, "Type of the token.")] = None
    contract_id: _ContractId | None = None
    visual_number: Annotated[str, string(64, "Number printed on the token.")] | None = None
    issuer: Annotated[str, string(64, "Issuing company.")] | None = None
    group_id: Annotated[str, ci_string(36, "Token group id.")] | None = None
    valid: bool | None = None
    whitelist: WhitelistType | None = None
    language: Annotated[str, string(2, "ISO 639-1 language.")] | None = None
    default_profile_type: ProfileType | None = None
    energy_contract: EnergyContract | None = None
    last_updated: _LastUpdated

    def __post_init__(self) -> None:
        self.last_updated = as_utc(self.last_updated)


def decode_token_patch(body: bytes) -> TokenPatch:
    """Validate a Token PATCH body; ``last_updated`` is required [mod_tokens_patch_method]."""
    return msgspec.json.decode(body, type=TokenPatch)


class AuthorizationInfo(OcpiObject, kw_only=True):
    """AuthorizationInfo object, OCPI 2.3.0 [mod_tokens_authorizationinfo_object]."""

    allowed: Annotated[AllowedType, Meta(description="Status of the Token at the location.")]
    token: Annotated[Token, Meta(description="The complete Token that was authorised.")]
    location: (
        Annotated[LocationReferences, Meta(description="EVSEs the driver may use.")] | None
    ) = None
    authorization_reference: (
        Annotated[str, ci_string(36, "The eMSP's reference to this authorisation.")] | None
    ) = None
    info: Annotated[DisplayText, Meta(description="Text for the EV driver.")] | None = None
