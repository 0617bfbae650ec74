"""Small explicit builders of canonical stations for the stations tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.stations import domain

UPDATED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Plug:
    standard: str = "IEC_62196_T2"
    power_w: int = 22_000
    power_type: str = "AC_3_PHASE"
    fmt: str = "SOCKET"


@dataclass(frozen=True)
class Point:
    status: str = "AVAILABLE"
    plugs: Sequence[Plug] = (Plug(),)
    capabilities: Sequence[str] = ()
    connector_capabilities: Sequence[str] = ()


@dataclass(frozen=True)
class Site:
    id: str
    lat: float
    lon: float
    points: Sequence[Point] = (Point(),)
    operator: str | None = "Test Operator"
    publish: bool = True
    opening_times: dict[str, Any] | None = field(default=None)
    time_zone: str = "Europe/Berlin"
    name: str | None = None


def build_location(site: Site) -> domain.Location:
    evses = []
    for i, point in enumerate(site.points, start=1):
        connectors = [
            domain.Connector(
                id=str(j),
                standard=plug.standard,
                format=domain.ConnectorFormat(plug.fmt),
                power_type=domain.PowerType(plug.power_type),
                max_voltage=400 if plug.power_type != "DC" else 920,
                max_amperage=32 if plug.power_type != "DC" else 500,
                max_electric_power=plug.power_w,
                capabilities=list(point.connector_capabilities) or None,
                last_updated=UPDATED,
            )
            for j, plug in enumerate(point.plugs, start=1)
        ]
        evses.append(
            domain.EVSE(
                uid=f"{site.id}-{i}",
                evse_id=f"DE*TST*E{site.id}*{i}",
                status=domain.Status(point.status),
                capabilities=list(point.capabilities) or None,
                connectors=connectors,
                last_updated=UPDATED,
            )
        )
    hours = None
    if site.opening_times is not None:
        import msgspec

        hours = msgspec.convert(site.opening_times, domain.Hours)
    return domain.Location(
        country_code="DE",
        party_id="TST",
        id=site.id,
        publish=site.publish,
        name=site.name or f"Station {site.id}",
        address=f"Teststraße {site.id}",
        city="Berlin",
        postal_code="10178",
        country="DEU",
        coordinates=domain.GeoLocation(latitude=f"{site.lat:.6f}", longitude=f"{site.lon:.6f}"),
        evses=evses,
        operator=domain.BusinessDetails(name=site.operator) if site.operator else None,
        time_zone=site.time_zone,
        opening_times=hours,
        last_updated=UPDATED,
    )


Seeder = Callable[[Sequence[Site]], Any]
