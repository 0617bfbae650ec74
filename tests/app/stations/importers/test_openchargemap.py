"""Open Charge Map import against the packaged Berlin file and hand-made records."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from app.stations import domain
from app.stations.importers.openchargemap import import_openchargemap
from app.stations.importers.report import check_exportable

RAW = resources.files("app.stations.seed_data").joinpath("berlin-openchargemap.json").read_bytes()


def _records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(RAW)
    return records


def _by_id(ocm_id: int) -> dict[str, Any]:
    return next(r for r in _records() if r["ID"] == ocm_id)


def test_berlin_file_imports_all_open_records_but_one_without_known_connectors() -> None:
    result = import_openchargemap(RAW)
    report = result.report
    assert report.records_read == 486
    reasons = [s.reason for s in report.skipped]
    assert reasons.count("licence is not open (NonCommercial)") == 4
    assert report.locations_imported == len(result.locations) == 481


def test_non_open_records_are_imported_when_asked() -> None:
    result = import_openchargemap(RAW, include_non_open=True)
    assert result.report.locations_imported == 485


def test_every_imported_location_is_a_valid_ocpi_2_2_1_location() -> None:
    for location in import_openchargemap(RAW).locations:
        check_exportable(location)


def test_record_maps_operator_address_coordinates_and_connectors() -> None:
    location = import_openchargemap(json.dumps([_by_id(65825)]).encode()).locations[0]
    assert location.id == "OCM-65825"
    assert (location.country_code, location.party_id, location.country) == ("DE", "BEE", "DEU")
    assert location.address == "Spandauer Straße"
    assert location.postal_code == "10178"
    assert location.coordinates == domain.GeoLocation(latitude="52.520846", longitude="13.403938")
    assert location.operator == domain.BusinessDetails(
        name="be emobil", website="http://www.be-emobil.de/"
    )
    assert location.time_zone == "Europe/Berlin"
    # Quantity 2 -> two EVSEs; 400 V three-phase line-to-line -> 230 V line-to-neutral.
    assert location.evses is not None and len(location.evses) == 2
    connector = location.evses[0].connectors[0]
    assert (connector.standard, connector.format) == ("IEC_62196_T2", "SOCKET")
    assert connector.power_type is domain.PowerType.AC_3_PHASE
    assert (connector.max_voltage, connector.max_amperage) == (230, 16)
    assert connector.max_electric_power == 11_000
    assert location.evses[0].capabilities == ["RFID_READER"]  # membership required


def test_only_a_trivial_24_7_access_comment_becomes_opening_hours() -> None:
    record = _by_id(65825)
    assert import_openchargemap(json.dumps([record]).encode()).locations[0].opening_times is None
    record["AddressInfo"]["AccessComments"] = "24/7 nutzbar."
    location = import_openchargemap(json.dumps([record]).encode()).locations[0]
    assert location.opening_times == domain.Hours(twentyfourseven=True)


@pytest.mark.parametrize(
    ("status_type_id", "status"),
    [(50, "AVAILABLE"), (0, "UNKNOWN"), (100, "OUTOFORDER"), (150, "PLANNED"), (200, "REMOVED")],
)
def test_status_type_maps_to_evse_status(status_type_id: int, status: str) -> None:
    record = _by_id(65825)
    record["StatusTypeID"] = status_type_id
    for conn in record["Connections"]:
        conn["StatusTypeID"] = None
    location = import_openchargemap(json.dumps([record]).encode()).locations[0]
    assert location.evses is not None
    assert {e.status for e in location.evses} == {status}


def test_private_usage_type_is_not_published() -> None:
    record = _by_id(65825)
    record["UsageTypeID"] = 2
    assert import_openchargemap(json.dumps([record]).encode()).locations[0].publish is False


def test_broken_record_is_skipped_with_a_reason_not_raised() -> None:
    good = _by_id(65825)
    broken = dict(good, ID=1, AddressInfo=None)
    bad_lat = json.loads(json.dumps(good))
    bad_lat["ID"] = 2
    bad_lat["AddressInfo"]["Latitude"] = 123.0
    result = import_openchargemap(json.dumps([broken, bad_lat, good, "junk"]).encode())
    assert [loc.id for loc in result.locations] == ["OCM-65825"]
    skipped = {s.source_id: s.reason for s in result.report.skipped}
    assert set(skipped) == {"OCM-1", "OCM-2", "OCM-?"}
    assert "latitude" in skipped["OCM-2"]


def test_connection_of_unknown_type_is_dropped_and_reported() -> None:
    record = _by_id(65825)
    record["Connections"].append(dict(record["Connections"][0], ID=7, ConnectionTypeID=0))
    result = import_openchargemap(json.dumps([record]).encode())
    assert result.report.dropped_parts[0].source_id == "OCM-65825"
    assert result.locations[0].evses is not None and len(result.locations[0].evses) == 2
