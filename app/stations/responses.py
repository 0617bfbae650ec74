"""Shaping stored stations into the driver API's response types."""

from __future__ import annotations

import uuid
from datetime import datetime

from app.stations import domain, rules
from app.stations.projection import SearchSummary
from app.stations.schemas import (
    ConnectorGroup,
    ConnectorOut,
    Coordinates,
    EvseOut,
    ExceptionalPeriodOut,
    OpeningHours,
    RegularHoursOut,
    StationDetail,
    StationSummary,
)
from app.stations.search_index import Candidate


def _kw(watts: int) -> float:
    return round(watts / 1000, 1)


def summary_out(candidate: Candidate, s: SearchSummary, open_now: bool | None) -> StationSummary:
    return StationSummary(
        id=s.public_id,
        name=s.name,
        address=s.address,
        city=s.city,
        postal_code=s.postal_code,
        country=s.country,
        coordinates=Coordinates(latitude=s.lat, longitude=s.lon),
        distance_m=round(candidate.distance_m),
        operator=s.operator,
        parking_type=s.parking_type,
        facilities=s.facilities,
        evse_count=len(s.evses),
        available_evse_count=s.available_evse_count,
        max_power_kw=_kw(s.max_power_w),
        connectors=[
            ConnectorGroup(
                standard=g.standard,
                power_type=g.power_type,
                max_power_kw=_kw(g.max_power_w),
                count=g.count,
                available_count=g.available_count,
            )
            for g in s.groups
        ],
        plug_and_charge=s.plug_and_charge,
        ad_hoc_payment=s.ad_hoc_payment,
        twentyfourseven=s.twentyfourseven,
        open_now=open_now,
        last_updated=datetime.fromisoformat(s.last_updated),
    )


def _opening_hours(hours: domain.Hours | None) -> OpeningHours | None:
    if hours is None:
        return None
    return OpeningHours(
        twentyfourseven=hours.twentyfourseven,
        regular_hours=[
            RegularHoursOut(weekday=r.weekday, period_begin=r.period_begin, period_end=r.period_end)
            for r in hours.regular_hours or []
        ],
        exceptional_openings=[
            ExceptionalPeriodOut(period_begin=p.period_begin, period_end=p.period_end)
            for p in hours.exceptional_openings or []
        ],
        exceptional_closings=[
            ExceptionalPeriodOut(period_begin=p.period_begin, period_end=p.period_end)
            for p in hours.exceptional_closings or []
        ],
    )


def detail_out(
    public_id: uuid.UUID, location: domain.Location, open_now: bool | None
) -> StationDetail:
    evses = location.evses or []
    return StationDetail(
        id=public_id,
        name=location.name,
        address=location.address,
        city=location.city,
        postal_code=location.postal_code,
        state=location.state,
        country=location.country,
        coordinates=Coordinates(
            latitude=float(location.coordinates.latitude),
            longitude=float(location.coordinates.longitude),
        ),
        time_zone=location.time_zone,
        operator=location.operator.name if location.operator else None,
        suboperator=location.suboperator.name if location.suboperator else None,
        owner=location.owner.name if location.owner else None,
        parking_type=location.parking_type,
        facilities=list(location.facilities or []),
        opening_hours=_opening_hours(location.opening_times),
        charging_when_closed=location.charging_when_closed,
        open_now=open_now,
        plug_and_charge=rules.supports_plug_and_charge(location),
        ad_hoc_payment=any(rules.supports_ad_hoc_card_payment(e) for e in evses),
        max_power_kw=_kw(rules.location_max_power_w(location)),
        evses=[
            EvseOut(
                uid=evse.uid,
                evse_id=evse.evse_id,
                status=str(evse.status),
                capabilities=list(evse.capabilities or []),
                floor_level=evse.floor_level,
                physical_reference=evse.physical_reference,
                parking_restrictions=list(evse.parking_restrictions or []),
                connectors=[
                    ConnectorOut(
                        id=c.id,
                        standard=c.standard,
                        format=str(c.format),
                        power_type=str(c.power_type),
                        max_voltage=c.max_voltage,
                        max_amperage=c.max_amperage,
                        max_power_kw=_kw(rules.max_power_w(c)),
                        tariff_ids=list(c.tariff_ids or []),
                    )
                    for c in evse.connectors
                ],
                last_updated=evse.last_updated,
            )
            for evse in evses
            if evse.status != domain.Status.REMOVED
        ],
        directions=[d.text for d in location.directions or []],
        images=[i.url for i in location.images or []],
        help_phone=location.help_phone,
        last_updated=location.last_updated,
    )
