"""A synthetic, reproducible European charging network for the search benchmark.

Stations cluster around cities (most public charging is urban) with a rural
background, so a query near a city centre meets the dense case a driver in Paris or
Berlin does, and the rural ones the sparse case. Every station goes through the same
``project_location`` as production writes, so the benchmark reads real rows.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from app.stations import domain

# (name, lat, lon, weight, spread in km): weights roughly follow metropolitan size.
CITIES: tuple[tuple[str, float, float, float, float], ...] = (
    ("London", 51.5074, -0.1278, 9.0, 18),
    ("Paris", 48.8566, 2.3522, 11.0, 15),
    ("Berlin", 52.5200, 13.4050, 5.0, 14),
    ("Madrid", 40.4168, -3.7038, 6.0, 12),
    ("Rome", 41.9028, 12.4964, 4.0, 11),
    ("Amsterdam", 52.3676, 4.9041, 5.0, 9),
    ("Hamburg", 53.5511, 9.9937, 3.0, 10),
    ("Munich", 48.1351, 11.5820, 3.5, 10),
    ("Vienna", 48.2082, 16.3738, 3.0, 9),
    ("Milan", 45.4642, 9.1900, 4.5, 10),
    ("Barcelona", 41.3874, 2.1686, 4.5, 9),
    ("Brussels", 50.8503, 4.3517, 3.0, 8),
    ("Copenhagen", 55.6761, 12.5683, 2.5, 8),
    ("Stockholm", 59.3293, 18.0686, 2.5, 10),
    ("Oslo", 59.9139, 10.7522, 3.0, 9),
    ("Warsaw", 52.2297, 21.0122, 2.5, 10),
    ("Prague", 50.0755, 14.4378, 2.0, 8),
    ("Zurich", 47.3769, 8.5417, 2.0, 7),
    ("Lisbon", 38.7223, -9.1393, 2.0, 8),
    ("Dublin", 53.3498, -6.2603, 1.5, 8),
    ("Lyon", 45.7640, 4.8357, 2.0, 8),
    ("Cologne", 50.9375, 6.9603, 2.5, 8),
    ("Frankfurt", 50.1109, 8.6821, 2.5, 8),
    ("Stuttgart", 48.7758, 9.1829, 2.0, 8),
    ("Rotterdam", 51.9244, 4.4777, 2.0, 7),
    ("Utrecht", 52.0907, 5.1214, 1.5, 6),
    ("Antwerp", 51.2194, 4.4025, 1.5, 6),
    ("Helsinki", 60.1699, 24.9384, 1.5, 8),
    ("Budapest", 47.4979, 19.0402, 1.5, 9),
    ("Athens", 37.9838, 23.7275, 1.5, 9),
    ("Manchester", 53.4808, -2.2426, 2.0, 9),
    ("Birmingham", 52.4862, -1.8904, 2.0, 9),
    ("Marseille", 43.2965, 5.3698, 1.5, 8),
    ("Turin", 45.0703, 7.6869, 1.5, 7),
    ("Valencia", 39.4699, -0.3763, 1.5, 7),
    ("Gothenburg", 57.7089, 11.9746, 1.5, 7),
    ("Dusseldorf", 51.2277, 6.7735, 2.0, 7),
    ("Leipzig", 51.3397, 12.3731, 1.0, 7),
    ("Bergen", 60.3913, 5.3221, 1.0, 6),
    ("Krakow", 50.0647, 19.9450, 1.0, 7),
)
EUROPE = (36.0, -10.0, 70.0, 30.0)  # south, west, north, east
URBAN_SHARE = 0.8
OPERATORS = tuple(
    f"{name} {suffix}"
    for name, suffix in (
        ("Ionity", "GmbH"),
        ("Allego", "B.V."),
        ("Fastned", "B.V."),
        ("EnBW", "AG"),
        ("Shell Recharge", "Ltd"),
        ("Tesla", "Inc"),
        ("Vattenfall", "InCharge"),
        ("Stromnetz Berlin", "GmbH"),
        ("Izivia", "SAS"),
        ("Enel X", "Way"),
        ("Endesa", "X"),
        ("BP Pulse", "Ltd"),
        ("Mer", "AS"),
        ("Recharge", "AS"),
        ("Electra", "SAS"),
        ("Atlante", "Srl"),
        ("Zunder", "SL"),
        ("Wien Energie", "GmbH"),
        ("Virta", "Oy"),
        ("GreenWay", "Sp. z o.o."),
    )
)
UPDATED = datetime(2026, 11, 1, tzinfo=UTC)
_WEEKDAY_HOURS = domain.Hours(
    twentyfourseven=False,
    regular_hours=[
        domain.RegularHours(weekday=d, period_begin="07:00", period_end="22:00")
        for d in range(1, 7)
    ],
)
_ALWAYS = domain.Hours(twentyfourseven=True)


@dataclass(frozen=True, slots=True)
class QueryPoint:
    lat: float
    lon: float


def _city_point(rng: random.Random) -> tuple[float, float]:
    _, lat, lon, _, spread = rng.choices(CITIES, weights=[c[3] for c in CITIES])[0]
    distance_km = abs(rng.gauss(0, spread / 2))
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance_km * math.cos(bearing) / 111.2
    dlon = distance_km * math.sin(bearing) / (111.2 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def _rural_point(rng: random.Random) -> tuple[float, float]:
    south, west, north, east = EUROPE
    return rng.uniform(south, north), rng.uniform(west, east)


def _connector(rng: random.Random, index: int) -> domain.Connector:
    roll = rng.random()
    capabilities = None
    if roll < 0.58:
        standard, power_type, fmt, power = "IEC_62196_T2", "AC_3_PHASE", "SOCKET", 22_000
        power = rng.choice((11_000, 22_000, 22_000))
    elif roll < 0.90:
        standard, power_type, fmt = "IEC_62196_T2_COMBO", "DC", "CABLE"
        power = rng.choice((50_000, 75_000, 150_000, 150_000, 300_000, 350_000))
        if rng.random() < 0.25:
            capabilities = ["ISO_15118_2_PLUG_AND_CHARGE"]
    elif roll < 0.95:
        standard, power_type, fmt, power = "CHADEMO", "DC", "CABLE", 50_000
    else:
        standard, power_type, fmt, power = "DOMESTIC_F", "AC_1_PHASE", "SOCKET", 3_700
    return domain.Connector(
        id=str(index),
        standard=standard,
        format=domain.ConnectorFormat(fmt),
        power_type=domain.PowerType(power_type),
        max_voltage=920 if power_type == "DC" else 230,
        max_amperage=500 if power_type == "DC" else 32,
        max_electric_power=power,
        capabilities=capabilities,
        last_updated=UPDATED,
    )


_STATUSES = (
    (domain.Status.AVAILABLE, 0.6),
    (domain.Status.CHARGING, 0.25),
    (domain.Status.OUTOFORDER, 0.05),
    (domain.Status.UNKNOWN, 0.1),
)


def generate(connector_target: int, seed: int = 15118) -> Iterator[domain.Location]:
    """Yield stations until ``connector_target`` connectors exist (about 3 per station)."""
    rng = random.Random(seed)
    connectors = 0
    index = 0
    statuses = [s for s, _ in _STATUSES]
    weights = [w for _, w in _STATUSES]
    while connectors < connector_target:
        index += 1
        lat, lon = _city_point(rng) if rng.random() < URBAN_SHARE else _rural_point(rng)
        lat = max(-89.9, min(89.9, lat))
        evse_count = rng.choice((1, 2, 2, 2, 2, 4, 4, 6, 8))
        card = rng.random() < 0.2
        evses = []
        for e in range(1, evse_count + 1):
            plugs = [_connector(rng, c) for c in range(1, rng.choice((1, 1, 2, 2, 3)) + 1)]
            connectors += len(plugs)
            evses.append(
                domain.EVSE(
                    uid=f"{index}-{e}",
                    evse_id=f"EU*BEN*E{index}*{e}",
                    status=rng.choices(statuses, weights)[0],
                    capabilities=["CREDIT_CARD_PAYABLE", "RFID_READER"] if card else None,
                    connectors=plugs,
                    last_updated=UPDATED,
                )
            )
        hours_roll = rng.random()
        hours = _ALWAYS if hours_roll < 0.8 else _WEEKDAY_HOURS if hours_roll < 0.9 else None
        yield domain.Location(
            country_code="EU",
            party_id="BEN",
            id=f"BENCH{index:08d}",
            publish=True,
            name=f"Bench station {index}",
            address=f"Benchmark street {index}",
            city="Europe",
            postal_code="00000",
            country="DEU",
            coordinates=domain.GeoLocation(latitude=f"{lat:.6f}", longitude=f"{lon:.6f}"),
            evses=evses,
            operator=domain.BusinessDetails(name=rng.choice(OPERATORS)),
            time_zone="Europe/Berlin",
            opening_times=hours,
            last_updated=UPDATED,
        )


def query_points(count: int, seed: int = 2026) -> list[QueryPoint]:
    """Where drivers search: mostly in cities, some in the countryside."""
    rng = random.Random(seed)
    points = []
    for _ in range(count):
        lat, lon = _city_point(rng) if rng.random() < URBAN_SHARE else _rural_point(rng)
        points.append(QueryPoint(lat, lon))
    return points
