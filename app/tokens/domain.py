"""The canonical charging token: the OCPI Token as this eMSP holds it, version-neutral.

It is the superset of OCPI 2.2.1 and 2.3.0 (the field set is the same; 2.3.0 adds the
``EMAID`` token type), with OCPI field names, so each version's mapping seam
(``app/ocpi/<version>/mapping.py``) converts structurally and re-validates on the way.
"""

from __future__ import annotations

import enum
from datetime import datetime

import msgspec


class TokenType(enum.StrEnum):
    """OCPI TokenType; ``EMAID`` exists only from OCPI 2.3.0 on."""

    AD_HOC_USER = "AD_HOC_USER"
    APP_USER = "APP_USER"
    EMAID = "EMAID"
    OTHER = "OTHER"
    RFID = "RFID"


class WhitelistType(enum.StrEnum):
    """OCPI WhitelistType: when a CPO may authorise without asking us."""

    ALWAYS = "ALWAYS"
    ALLOWED = "ALLOWED"
    ALLOWED_OFFLINE = "ALLOWED_OFFLINE"
    NEVER = "NEVER"


class ProfileType(enum.StrEnum):
    """OCPI ProfileType: the driver's default smart-charging preference."""

    CHEAP = "CHEAP"
    FAST = "FAST"
    GREEN = "GREEN"
    REGULAR = "REGULAR"


class EnergyContract(msgspec.Struct, kw_only=True, omit_defaults=True):
    supplier_name: str
    contract_id: str | None = None


class Token(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A charging token as CPOs see it. ``type`` stays a string: OCPI's list is open."""

    country_code: str
    party_id: str
    uid: str
    type: str
    contract_id: str
    visual_number: str | None = None
    issuer: str
    group_id: str | None = None
    valid: bool
    whitelist: WhitelistType
    language: str | None = None
    default_profile_type: ProfileType | None = None
    energy_contract: EnergyContract | None = None
    last_updated: datetime
