"""``isFavourite`` on station search results and details, for a signed-in driver.

A read beside the station service rather than inside it: the search stays free of
accounts, and an anonymous search does not touch the database session at all.
"""

from __future__ import annotations

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from app.drivers.repositories import FavouriteRepository
from app.identity import Principal
from app.stations.schemas import StationDetail, StationSearchPage


async def mark_search_page(
    page: StationSearchPage, principal: Principal | None, session: AsyncSession
) -> StationSearchPage:
    if principal is None or not page.items:
        return page
    favourites = await FavouriteRepository(session).favourite_among(
        principal.uid, [item.id for item in page.items]
    )
    items = [
        msgspec.structs.replace(item, is_favourite=item.id in favourites) for item in page.items
    ]
    return msgspec.structs.replace(page, items=items)


async def mark_detail(
    detail: StationDetail, principal: Principal | None, session: AsyncSession
) -> StationDetail:
    if principal is None:
        return detail
    favourites = await FavouriteRepository(session).favourite_among(principal.uid, [detail.id])
    return msgspec.structs.replace(detail, is_favourite=detail.id in favourites)
