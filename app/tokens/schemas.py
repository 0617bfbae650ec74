"""Wire types of charging tokens on the driver's app API (camelCase)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from app.tokens.models import TokenStatus

ShippingReference = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=64,
        pattern=r"^[\x21-\x7E]+$",
        description="Opaque reference to the shipping address the card goes to",
        examples=["addr_7Q2K"],
    ),
]


class ChargingToken(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A token CPOs authorise: the driver's app token or one of their RFID cards."""

    id: uuid.UUID
    type: Annotated[str, msgspec.Meta(description="OCPI TokenType: APP_USER or RFID")]
    status: Annotated[
        TokenStatus, msgspec.Meta(description="ordered (card not yet activated), active, blocked")
    ]
    uid: Annotated[
        str | None,
        msgspec.Meta(description="OCPI uid: the card's chip UID; null while ordered"),
    ]
    contract_id: Annotated[
        str,
        msgspec.Meta(description="The driver's contract id (EMAID)", examples=["DEEMSC00000001F"]),
    ]
    visual_number: Annotated[str | None, msgspec.Meta(description="Number printed on the card")]
    issuer: str
    valid: Annotated[bool, msgspec.Meta(description="Whether CPOs may let it charge")]
    whitelist: Annotated[str, msgspec.Meta(description="OCPI WhitelistType")]
    created_at: datetime
    last_updated: Annotated[datetime, msgspec.Meta(description="Last change CPOs can see")]


class RfidCardOrder(
    msgspec.Struct, frozen=True, kw_only=True, rename="camel", forbid_unknown_fields=True
):
    """Order an RFID card; it arrives inactive and is activated with its UID."""

    shipping_reference: ShippingReference | None = None


class RfidCardActivation(
    msgspec.Struct, frozen=True, kw_only=True, rename="camel", forbid_unknown_fields=True
):
    """The card's chip UID, as printed on the card, and optionally its visual number."""

    uid: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=64,
            description=(
                "The card's UID: 8, 14 or 20 hex digits (ISO/IEC 14443 4-, 7- or 10-byte "
                "UID); spaces, colons and hyphens are ignored, case does not matter"
            ),
            examples=["04A2249A6B5C80"],
        ),
    ]
    visual_number: (
        Annotated[
            str,
            msgspec.Meta(
                min_length=1,
                max_length=64,
                pattern=r"^[\x20-\x7E]+$",
                description="Other number printed on the card, if any",
                examples=["DE-EMS-000123"],
            ),
        ]
        | None
    ) = None
