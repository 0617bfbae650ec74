"""The driver's account: first sign-in, profile changes, vehicles and favourites.

Every method takes the current driver, resolved from the verified principal, and
reads or writes only that driver's rows: ids of other drivers' rows are not found.
Services never commit; the request's transaction does.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime

from msgspec import UNSET

from app.core.db import utcnow
from app.core.errors import ConflictError, FieldError, InvalidInputError, NotFoundError
from app.drivers import identifiers
from app.drivers.models import Driver, FavouriteStation
from app.drivers.models import Vehicle as VehicleRow
from app.drivers.repositories import DriverRepository, FavouriteRepository, VehicleRepository
from app.drivers.schemas import (
    BillingAddress,
    Favourite,
    Profile,
    ProfileUpdate,
    Vehicle,
    VehicleCreate,
    VehicleUpdate,
)
from app.identity import Principal
from app.stations.projection import FILTERABLE_STANDARDS
from pki.emaid import validate_pcid
from pki.errors import PcidError

_CONNECTOR_TYPES = frozenset(FILTERABLE_STANDARDS)

Clock = Callable[[], datetime]


def profile_out(driver: Driver) -> Profile:
    address = None
    if driver.billing_line1 is not None:
        address = BillingAddress(
            name=driver.billing_name,
            line1=driver.billing_line1,
            line2=driver.billing_line2,
            postal_code=driver.billing_postal_code or "",
            city=driver.billing_city or "",
            country=driver.billing_country or "",
        )
    return Profile(
        id=driver.id,
        name=driver.name,
        email=driver.email,
        locale=driver.locale,
        currency=driver.currency,
        country=driver.country,
        billing_address=address,
        vat_id=driver.vat_id,
        marketing_consent=driver.marketing_consent,
        marketing_consent_at=driver.marketing_consent_at,
        terms_version=driver.terms_version,
        terms_accepted_at=driver.terms_accepted_at,
        created_at=driver.created_at,
        updated_at=driver.updated_at,
    )


def vehicle_out(row: VehicleRow) -> Vehicle:
    return Vehicle(
        id=row.id,
        make=row.make,
        model=row.model,
        battery_capacity_wh=row.battery_capacity_wh,
        connector_types=list(row.connector_types),
        pcid=row.pcid,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def favourite_out(row: FavouriteStation) -> Favourite:
    return Favourite(station_id=row.station_id, created_at=row.created_at)


class ProfileService:
    def __init__(
        self,
        drivers: DriverRepository,
        clock: Clock = utcnow,
        on_first_sign_in: Callable[[Driver], Awaitable[object]] | None = None,
    ) -> None:
        self.drivers = drivers
        self.clock = clock
        # What other domains set up for a new account (the app token); it must be safe
        # to run twice, as two racing first requests both get here.
        self.on_first_sign_in = on_first_sign_in

    async def for_principal(self, principal: Principal) -> Driver:
        """The principal's driver row, created on first sign-in."""
        driver = await self.drivers.by_uid(principal.uid)
        if driver is None:
            await self.drivers.insert_if_absent(principal.uid, principal.email, principal.name)
            driver = await self.drivers.by_uid(principal.uid)
            if driver is not None and self.on_first_sign_in is not None:
                await self.on_first_sign_in(driver)
        assert driver is not None  # noqa: S101 - the insert above, or a racing one, made it
        return driver

    async def update(self, driver: Driver, change: ProfileUpdate) -> Driver:
        errors: list[FieldError] = []
        if change.name is not UNSET:
            driver.name = change.name
        if change.email is not UNSET:
            driver.email = change.email
        if change.locale is not UNSET:
            locale = identifiers.normalise_locale(change.locale)
            if locale is None:
                errors.append(FieldError("locale", "not a BCP 47 language tag", "body"))
            else:
                driver.locale = locale
        if change.currency is not UNSET:
            if identifiers.is_currency(change.currency):
                driver.currency = change.currency
            else:
                errors.append(FieldError("currency", "not an ISO 4217 currency code", "body"))
        if change.country is not UNSET:
            if change.country is None or identifiers.is_country(change.country):
                driver.country = change.country
            else:
                errors.append(FieldError("country", "not an ISO 3166-1 alpha-2 code", "body"))
        if change.billing_address is not UNSET:
            errors.extend(_set_billing_address(driver, change.billing_address))
        if change.vat_id is not UNSET:
            vat_id = None if change.vat_id is None else identifiers.normalise_vat_id(change.vat_id)
            if change.vat_id is not None and vat_id is None:
                errors.append(FieldError("vatId", "not a VAT id of a known format", "body"))
            else:
                driver.vat_id = vat_id
        now = self.clock()
        if change.marketing_consent is not UNSET and (
            change.marketing_consent != driver.marketing_consent
            or driver.marketing_consent_at is None
        ):
            driver.marketing_consent = change.marketing_consent
            driver.marketing_consent_at = now
        if change.terms_version is not UNSET and change.terms_version != driver.terms_version:
            driver.terms_version = change.terms_version
            driver.terms_accepted_at = now
        if errors:
            # The request's transaction rolls the half-applied change back.
            raise InvalidInputError("The profile change is invalid", errors=errors)
        driver.updated_at = now
        await self.drivers.session.flush()
        return driver


def _set_billing_address(driver: Driver, address: BillingAddress | None) -> list[FieldError]:
    if address is not None and not identifiers.is_country(address.country):
        return [FieldError("billingAddress.country", "not an ISO 3166-1 alpha-2 code", "body")]
    driver.billing_name = address.name if address else None
    driver.billing_line1 = address.line1 if address else None
    driver.billing_line2 = address.line2 if address else None
    driver.billing_postal_code = address.postal_code if address else None
    driver.billing_city = address.city if address else None
    driver.billing_country = address.country if address else None
    return []


def _check_vehicle(
    connector_types: list[str] | None, pcid: str | None, errors: list[FieldError]
) -> None:
    if connector_types is not None:
        unknown = sorted({c for c in connector_types if c not in _CONNECTOR_TYPES})
        if unknown:
            errors.append(
                FieldError(
                    "connectorTypes", f"unknown connector type: {', '.join(unknown)}", "body"
                )
            )
    if pcid is not None:
        try:
            validate_pcid(pcid)
        except PcidError as exc:
            errors.append(FieldError("pcid", str(exc), "body"))


class VehicleService:
    def __init__(self, vehicles: VehicleRepository, clock: Clock = utcnow) -> None:
        self.vehicles = vehicles
        self.clock = clock

    async def list(self, driver: Driver) -> list[Vehicle]:
        return [vehicle_out(v) for v in await self.vehicles.list_for(driver.id)]

    async def _owned(self, driver: Driver, vehicle_id: uuid.UUID) -> VehicleRow:
        row = await self.vehicles.get_for(driver.id, vehicle_id)
        if row is None:
            raise NotFoundError(f"no vehicle {vehicle_id}")
        return row

    async def get(self, driver: Driver, vehicle_id: uuid.UUID) -> Vehicle:
        return vehicle_out(await self._owned(driver, vehicle_id))

    async def create(self, driver: Driver, data: VehicleCreate) -> Vehicle:
        errors: list[FieldError] = []
        _check_vehicle(data.connector_types, data.pcid, errors)
        if errors:
            raise InvalidInputError("The vehicle is invalid", errors=errors)
        if data.pcid is not None and await self.vehicles.pcid_taken(driver.id, data.pcid):
            raise ConflictError("you already registered a vehicle with this PCID")
        now = self.clock()
        row = VehicleRow(
            id=uuid.uuid4(),
            driver_id=driver.id,
            make=data.make,
            model=data.model,
            battery_capacity_wh=data.battery_capacity_wh,
            connector_types=sorted(set(data.connector_types)),
            pcid=data.pcid,
            created_at=now,
            updated_at=now,
        )
        await self.vehicles.add(row)
        return vehicle_out(row)

    async def update(self, driver: Driver, vehicle_id: uuid.UUID, change: VehicleUpdate) -> Vehicle:
        row = await self._owned(driver, vehicle_id)
        errors: list[FieldError] = []
        _check_vehicle(
            None if change.connector_types is UNSET else change.connector_types,
            None if change.pcid is UNSET else change.pcid,
            errors,
        )
        if errors:
            raise InvalidInputError("The vehicle change is invalid", errors=errors)
        if change.pcid not in (UNSET, None, row.pcid) and await self.vehicles.pcid_taken(
            driver.id, change.pcid, except_id=row.id
        ):
            raise ConflictError("you already registered a vehicle with this PCID")
        if change.make is not UNSET:
            row.make = change.make
        if change.model is not UNSET:
            row.model = change.model
        if change.battery_capacity_wh is not UNSET:
            row.battery_capacity_wh = change.battery_capacity_wh
        if change.connector_types is not UNSET:
            row.connector_types = sorted(set(change.connector_types))
        if change.pcid is not UNSET:
            row.pcid = change.pcid
        row.updated_at = self.clock()
        await self.vehicles.session.flush()
        return vehicle_out(row)

    async def delete(self, driver: Driver, vehicle_id: uuid.UUID) -> None:
        await self.vehicles.delete(await self._owned(driver, vehicle_id))


class FavouriteService:
    def __init__(self, favourites: FavouriteRepository, clock: Clock = utcnow) -> None:
        self.favourites = favourites
        self.clock = clock

    async def list(self, driver: Driver) -> list[Favourite]:
        return [favourite_out(f) for f in await self.favourites.list_for(driver.id)]

    async def add(self, driver: Driver, station_id: uuid.UUID) -> Favourite:
        """Mark a station as favourite; doing it again changes nothing."""
        existing = await self.favourites.get(driver.id, station_id)
        if existing is not None:
            return favourite_out(existing)
        if not await self.favourites.station_exists(station_id):
            raise NotFoundError(f"no station {station_id}")
        row = FavouriteStation(driver_id=driver.id, station_id=station_id, created_at=self.clock())
        await self.favourites.add(row)
        return favourite_out(row)

    async def remove(self, driver: Driver, station_id: uuid.UUID) -> None:
        """Unmark a station; unmarking one that is not a favourite changes nothing."""
        await self.favourites.remove(driver.id, station_id)
