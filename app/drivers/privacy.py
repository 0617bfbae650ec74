"""The driver's data rights: export everything (GDPR Art. 15/20) and erase it (Art. 17).

Each domain that stores data about a driver contributes a section: to the export what
it holds, and to the erasure how it forgets. Personal data is deleted; records that
accounting law requires to keep (sessions, invoices, ledger entries, added by later
domains) stay, attached only to the anonymous driver id. A new domain adds its field
to :class:`~app.drivers.schemas.DriverExport` and its step to :func:`erase_driver`.
"""

from __future__ import annotations

from app.core.db import utcnow
from app.drivers.models import Driver
from app.drivers.repositories import FavouriteRepository, VehicleRepository
from app.drivers.schemas import DriverExport
from app.drivers.services import favourite_out, profile_out, vehicle_out
from app.notifications.repositories import InboxRepository, PushDeviceRepository
from app.notifications.schemas import notification_out, push_device_out
from app.tokens.repositories import TokenRepository
from app.tokens.services import token_out

EXPORT_FORMAT_VERSION = 1


async def export_driver(
    driver: Driver,
    vehicles: VehicleRepository,
    favourites: FavouriteRepository,
    devices: PushDeviceRepository,
    inbox: InboxRepository,
    *,
    tokens: TokenRepository,
) -> DriverExport:
    return DriverExport(
        format_version=EXPORT_FORMAT_VERSION,
        exported_at=utcnow(),
        profile=profile_out(driver),
        vehicles=[vehicle_out(v) for v in await vehicles.list_for(driver.id)],
        favourites=[favourite_out(f) for f in await favourites.list_for(driver.id)],
        # Push tokens are credentials: the export shows their fingerprints, like the API.
        devices=[push_device_out(d) for d in await devices.for_driver(driver.id)],
        notifications=[notification_out(n) for n in await inbox.all_for(driver.id)],
        tokens=[token_out(t) for t in await tokens.list_for(driver.id)],
    )


def _anonymise(driver: Driver) -> None:
    now = utcnow()
    # The uid would let the identity provider's records point back at this row.
    driver.firebase_uid = f"erased:{driver.id}"
    driver.name = None
    driver.email = None
    driver.country = None
    driver.billing_name = None
    driver.billing_line1 = None
    driver.billing_line2 = None
    driver.billing_postal_code = None
    driver.billing_city = None
    driver.billing_country = None
    driver.vat_id = None
    driver.marketing_consent = False
    driver.marketing_consent_at = now
    driver.terms_version = None
    driver.terms_accepted_at = None
    driver.deleted_at = now
    driver.updated_at = now


async def erase_driver(
    driver: Driver,
    vehicles: VehicleRepository,
    favourites: FavouriteRepository,
    devices: PushDeviceRepository,
    inbox: InboxRepository,
    *,
    tokens: TokenRepository,
) -> None:
    """Forget the person; keep the anonymous id that financial records point at.

    The driver row stays, so ``ON DELETE CASCADE`` never fires: every personal table
    is emptied here explicitly (push tokens, whose pushes would reach the phone, and
    the inbox, whose entries name stations, amounts and times). Charging tokens are
    the exception: they are blocked, not deleted, because sessions and CDRs name them
    by uid and CPOs holding a whitelist must see them turn invalid; the printed card
    number, language and shipping reference go, uid and contract id stay (pseudonymous).
    """
    await vehicles.delete_all_for(driver.id)
    await favourites.delete_all_for(driver.id)
    await devices.delete_all_for(driver.id)
    await inbox.delete_all_for(driver.id)
    await tokens.block_all_for(driver.id, utcnow())
    _anonymise(driver)
    await vehicles.session.flush()
