"""Wire types of the driver's account (camelCase on the app API).

Updates use ``UNSET`` for "not sent", so ``null`` can clear an optional field while
an absent field leaves it alone.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from app.notifications.schemas import Notification, PushDevice
from app.tokens.schemas import ChargingToken

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["Alice Example"])]
Email = Annotated[
    str,
    msgspec.Meta(
        max_length=254,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        description="Where invoices and receipts are sent",
        examples=["alice@example.org"],
    ),
]
Locale = Annotated[
    str,
    msgspec.Meta(max_length=35, description="BCP 47 language tag", examples=["de-DE"]),
]
Currency = Annotated[
    str,
    msgspec.Meta(
        min_length=3, max_length=3, description="ISO 4217 billing currency", examples=["EUR"]
    ),
]
Country = Annotated[
    str,
    msgspec.Meta(
        min_length=2, max_length=2, description="ISO 3166-1 alpha-2 country", examples=["DE"]
    ),
]
VatId = Annotated[
    str,
    msgspec.Meta(
        max_length=24,
        description="VAT id with its country prefix (EU VIES formats, GB, CH, NO)",
        examples=["DE123456789"],
    ),
]
TermsVersion = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=32,
        pattern=r"^[A-Za-z0-9._-]+$",
        description="Version of the terms the driver accepted",
        examples=["2026-01"],
    ),
]
Pcid = Annotated[
    str,
    msgspec.Meta(
        max_length=18,
        description="ISO 15118 provisioning certificate id: 17 or 18 letters or digits",
        examples=["hubUsEaTest000003"],
    ),
]
Make = Annotated[str, msgspec.Meta(min_length=1, max_length=64, examples=["Volkswagen"])]
Model = Annotated[str, msgspec.Meta(min_length=1, max_length=64, examples=["ID.4"])]
BatteryWh = Annotated[
    int,
    msgspec.Meta(ge=1_000, le=1_000_000, description="Usable battery capacity, Wh"),
]
ConnectorTypes = Annotated[
    list[str],
    msgspec.Meta(
        max_length=8,
        description="OCPI ConnectorType values the car accepts",
        examples=[["IEC_62196_T2", "IEC_62196_T2_COMBO"]],
    ),
]


class BillingAddress(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """The address printed on invoices."""

    name: Name | None = None
    line1: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    line2: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    postal_code: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]
    city: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    country: Country


class Profile(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """The signed-in driver's profile."""

    id: Annotated[uuid.UUID, msgspec.Meta(description="The driver's id")]
    name: str | None
    email: str | None
    locale: str
    currency: str
    country: str | None
    billing_address: BillingAddress | None
    vat_id: str | None
    marketing_consent: bool
    marketing_consent_at: Annotated[
        datetime | None, msgspec.Meta(description="When marketingConsent last changed")
    ]
    terms_version: str | None
    terms_accepted_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ProfileUpdate(
    msgspec.Struct, frozen=True, kw_only=True, rename="camel", forbid_unknown_fields=True
):
    """Fields to change; absent fields stay, ``null`` clears an optional one."""

    name: Name | UnsetType | None = UNSET
    email: Email | UnsetType | None = UNSET
    locale: Locale | UnsetType = UNSET
    currency: Currency | UnsetType = UNSET
    country: Country | UnsetType | None = UNSET
    billing_address: BillingAddress | UnsetType | None = UNSET
    vat_id: VatId | UnsetType | None = UNSET
    marketing_consent: Annotated[
        bool | UnsetType, msgspec.Meta(description="Changing it records the time")
    ] = UNSET
    terms_version: Annotated[
        TermsVersion | UnsetType,
        msgspec.Meta(description="Accept this version of the terms (records the time)"),
    ] = UNSET


class Vehicle(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A car of the driver."""

    id: uuid.UUID
    make: str
    model: str
    battery_capacity_wh: int | None
    connector_types: list[str]
    pcid: str | None
    created_at: datetime
    updated_at: datetime


class VehicleCreate(
    msgspec.Struct, frozen=True, kw_only=True, rename="camel", forbid_unknown_fields=True
):
    make: Make
    model: Model
    battery_capacity_wh: BatteryWh | None = None
    connector_types: ConnectorTypes = msgspec.field(default_factory=list)
    pcid: Pcid | None = None


class VehicleUpdate(
    msgspec.Struct, frozen=True, kw_only=True, rename="camel", forbid_unknown_fields=True
):
    make: Make | UnsetType = UNSET
    model: Model | UnsetType = UNSET
    battery_capacity_wh: BatteryWh | UnsetType | None = UNSET
    connector_types: ConnectorTypes | UnsetType = UNSET
    pcid: Pcid | UnsetType | None = UNSET


class Favourite(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A station the driver marked as favourite."""

    station_id: Annotated[uuid.UUID, msgspec.Meta(description="Id of GET /v1/stations/{id}")]
    created_at: datetime


class DriverExport(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """Everything stored about the driver, one section per domain (GDPR Art. 15 and 20)."""

    format_version: Annotated[int, msgspec.Meta(description="Bumped when sections change")]
    exported_at: datetime
    profile: Profile
    vehicles: list[Vehicle]
    favourites: list[Favourite]
    devices: Annotated[
        list[PushDevice],
        msgspec.Meta(description="App installs registered for push (token fingerprints only)"),
    ]
    notifications: Annotated[
        list[Notification], msgspec.Meta(description="The whole inbox, newest first")
    ]
    tokens: Annotated[
        list[ChargingToken], msgspec.Meta(description="App token and RFID cards, any state")
    ]


class DriverAdminView(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A driver as support staff see it."""

    profile: Profile
    identity_uid: Annotated[
        str | None, msgspec.Meta(description="Identity provider uid; null once erased")
    ]
    deleted_at: datetime | None
    vehicle_count: int
    favourite_count: int
