"""Driver-facing station routes: search and detail."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import problem_responses
from app.drivers.favourite_marks import mark_detail, mark_search_page
from app.identity import Principal
from app.stations.schemas import StationDetail, StationSearchPage
from app.stations.services import StationQuery, StationService

_HARD_PAGE_CAP = 500


class StationController(Controller):
    path = "/v1/stations"
    tags = ["stations"]

    @get(
        "/",
        operation_id="searchStations",
        summary="Search stations near a point or in a viewport",
        responses=problem_responses(400, 401),
    )
    async def search(
        self,
        *,
        station_service: NamedDependency[StationService],
        optional_principal: NamedDependency[Principal | None],
        db_session: NamedDependency[AsyncSession],
        lat: Annotated[
            float | None, QueryParameter(ge=-90, le=90, description="Search point latitude")
        ] = None,
        lon: Annotated[
            float | None, QueryParameter(ge=-180, le=180, description="Search point longitude")
        ] = None,
        radius: Annotated[
            int | None, QueryParameter(ge=1, description="Metres around lat/lon (default 5000)")
        ] = None,
        south: Annotated[
            float | None, QueryParameter(ge=-90, le=90, description="Viewport south edge")
        ] = None,
        west: Annotated[
            float | None, QueryParameter(ge=-180, le=180, description="Viewport west edge")
        ] = None,
        north: Annotated[
            float | None, QueryParameter(ge=-90, le=90, description="Viewport north edge")
        ] = None,
        east: Annotated[
            float | None, QueryParameter(ge=-180, le=180, description="Viewport east edge")
        ] = None,
        connector_standard: Annotated[
            list[str] | None,
            QueryParameter(
                name="connectorStandard",
                description="OCPI ConnectorType; repeat for any of several",
                max_items=16,
            ),
        ] = None,
        min_power_kw: Annotated[
            float | None,
            QueryParameter(
                name="minPowerKw", ge=0, le=10_000, description="Minimum connector power"
            ),
        ] = None,
        available_now: Annotated[
            bool,
            QueryParameter(name="availableNow", description="A matching connector is free now"),
        ] = False,
        operator: Annotated[
            list[str] | None,
            QueryParameter(description="Operator name; repeat for any of several", max_items=16),
        ] = None,
        plug_and_charge: Annotated[
            bool,
            QueryParameter(name="plugAndCharge", description="ISO 15118 Plug & Charge capable"),
        ] = False,
        ad_hoc_payment: Annotated[
            bool, QueryParameter(name="adHocPayment", description="Card payment at the charger")
        ] = False,
        open_now: Annotated[
            bool, QueryParameter(name="openNow", description="Open now in the station's time zone")
        ] = False,
        limit: Annotated[
            int | None, QueryParameter(ge=1, le=_HARD_PAGE_CAP, description="Page size")
        ] = None,
        cursor: Annotated[
            str | None,
            QueryParameter(max_length=512, description="`nextCursor` of the previous page"),
        ] = None,
    ) -> StationSearchPage:
        """Stations sorted by distance, filtered, a page at a time.

        Give `lat`, `lon` and optionally `radius` for a circle, or `south`, `west`,
        `north` and `east` for a map viewport (sorted by distance from `lat`/`lon` when
        given, else from the viewport's centre). Connector filters (`connectorStandard`,
        `minPowerKw`, `availableNow`) must all hold for the same connector. With a
        bearer token, `isFavourite` says whether the driver marked the station.
        """
        page = await station_service.search(
            StationQuery(
                lat=lat,
                lon=lon,
                radius_m=radius,
                south=south,
                west=west,
                north=north,
                east=east,
                standards=tuple(connector_standard or ()),
                min_power_kw=min_power_kw,
                available_now=available_now,
                operators=tuple(operator or ()),
                plug_and_charge=plug_and_charge,
                ad_hoc_payment=ad_hoc_payment,
                open_now=open_now,
                limit=limit,
                cursor=cursor,
            )
        )
        return await mark_search_page(page, optional_principal, db_session)

    @get(
        "/{station_id:uuid}",
        operation_id="getStation",
        summary="One station with EVSEs, connectors, live status and opening hours",
        responses=problem_responses(400, 401, 404),
    )
    async def detail(
        self,
        *,
        station_service: NamedDependency[StationService],
        optional_principal: NamedDependency[Principal | None],
        db_session: NamedDependency[AsyncSession],
        station_id: FromPath[uuid.UUID],
    ) -> StationDetail:
        """The station as a driver sees it before choosing where to charge."""
        detail = await station_service.detail(station_id)
        return await mark_detail(detail, optional_principal, db_session)
