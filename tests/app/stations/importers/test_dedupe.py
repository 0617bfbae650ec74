"""Merging OCM and BNetzA records of the same site, and the packaged Berlin seed."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from app.stations import domain, rules
from app.stations.importers import load_berlin_seed, load_berlin_seed_with_reports
from app.stations.importers.dedupe import merge_locations, same_site
from app.stations.importers.report import check_exportable

T0 = datetime(2020, 1, 1, tzinfo=UTC)


def _site(
    loc_id: str, lat: str, lon: str, operator: str, address: str, *, connectors: int = 1
) -> domain.Location:
    plug = domain.Connector(
        id="1",
        standard="IEC_62196_T2",
        format=domain.ConnectorFormat.SOCKET,
        power_type=domain.PowerType.AC_3_PHASE,
        max_voltage=230,
        max_amperage=32,
        last_updated=T0,
    )
    evses = [
        domain.EVSE(uid=f"{loc_id}-{n}", status=domain.Status.UNKNOWN, connectors=[plug],
                    last_updated=T0)
        for n in range(connectors)
    ]  # fmt: skip
    return domain.Location(
        country_code="DE", party_id="TST", id=loc_id, publish=True, address=address,
        city="Berlin", country="DEU",
        coordinates=domain.GeoLocation(latitude=lat, longitude=lon),
        evses=evses, operator=domain.BusinessDetails(name=operator),
        time_zone="Europe/Berlin", last_updated=T0,
    )  # fmt: skip


def test_close_sites_with_the_same_operator_are_one_site() -> None:
    # ~22 m apart, "Allego GmbH" ~ "Allego BV", different address spelling
    a = _site("OCM-1", "52.500000", "13.400000", "Allego BV", "Am Markt")
    b = _site("BNA-1", "52.500200", "13.400000", "Allego GmbH", "Marktplatz 3")
    assert same_site(a, b)


def test_close_sites_with_the_same_address_are_one_site_despite_other_operator() -> None:
    a = _site("OCM-1", "52.500000", "13.400000", "be emobil", "Dahlmannstraße 1A")
    b = _site("BNA-1", "52.500150", "13.400000", "Allego GmbH", "Dahlmannstr. 1a")
    assert same_site(a, b)


def test_close_sites_with_other_operator_and_address_stay_apart() -> None:
    a = _site("OCM-1", "52.500000", "13.400000", "Vattenfall", "Hauptstraße 1")
    b = _site("BNA-1", "52.500100", "13.400000", "Allego GmbH", "Nebenweg 7")
    assert not same_site(a, b)


def test_same_operator_too_far_away_stays_apart() -> None:
    a = _site("OCM-1", "52.500000", "13.400000", "Allego BV", "Hauptstraße 1")
    b = _site("BNA-1", "52.501000", "13.400000", "Allego GmbH", "Hauptstraße 1")  # ~111 m
    assert not same_site(a, b)


def test_richer_record_is_kept_and_the_other_id_recorded() -> None:
    poor = _site("OCM-1", "52.500000", "13.400000", "Allego BV", "Am Markt 1", connectors=1)
    rich = _site("BNA-1", "52.500100", "13.400000", "Allego GmbH", "Am Markt 1", connectors=2)
    poor = msgspec.structs.replace(poor, postal_code="10115")
    result = merge_locations([poor], [rich])
    (merged,) = result.locations
    assert merged.id == "BNA-1"
    assert merged.postal_code == "10115"  # gap filled from the other record
    assert result.merged_ids == {"BNA-1": ["OCM-1"]}


def test_each_record_is_merged_at_most_once_closest_first() -> None:
    ocm = _site("OCM-1", "52.500000", "13.400000", "Allego BV", "Am Markt 1")
    near = _site("BNA-near", "52.500050", "13.400000", "Allego GmbH", "Am Markt 1")
    far = _site("BNA-far", "52.500300", "13.400000", "Allego GmbH", "Am Markt 1")
    result = merge_locations([ocm], [far, near])
    assert result.merged_ids == {"OCM-1": ["BNA-near"]}
    assert [loc.id for loc in result.locations] == ["BNA-far", "OCM-1"]


def test_merge_output_does_not_depend_on_input_order() -> None:
    first = [
        _site("OCM-2", "52.510000", "13.410000", "Allego BV", "B-Str. 2"),
        _site("OCM-1", "52.500000", "13.400000", "Allego BV", "A-Str. 1"),
    ]
    second = [
        _site("BNA-1", "52.500100", "13.400000", "Allego GmbH", "A-Str. 1"),
        _site("BNA-3", "52.600000", "13.400000", "Allego GmbH", "C-Str. 3"),
    ]
    one = merge_locations(first, second)
    two = merge_locations(first[::-1], second[::-1])
    assert one == two


def test_berlin_seed_counts() -> None:
    seed = load_berlin_seed_with_reports()
    locations = seed.locations
    assert len(locations) == 588
    assert sum(len(loc.evses or []) for loc in locations) == 1314
    assert sum(rules.connector_count(loc) for loc in locations) == 1319
    assert len(seed.merged_ids) == 223
    assert [r.locations_imported for r in seed.reports] == [481, 330]


def test_berlin_seed_is_sorted_unique_and_ocpi_valid() -> None:
    locations = load_berlin_seed()
    keys = [(loc.country_code, loc.party_id, loc.id) for loc in locations]
    assert keys == sorted(keys)
    assert len({loc.id for loc in locations}) == len(locations)
    for location in locations:
        check_exportable(location)
