"""Bundesnetzagentur register import against the packaged Berlin file."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources

from app.stations import domain, rules
from app.stations.importers.bnetza import (
    import_bnetza,
    parse_commissioning_date,
    parse_decimal,
)
from app.stations.importers.report import check_exportable

RAW = resources.files("app.stations.seed_data").joinpath("berlin-bnetza.csv").read_bytes()
HEADER = RAW.decode().splitlines()[0]


def _one(row: str) -> list[domain.Location]:
    return import_bnetza(f"{HEADER}\n{row}\n").locations


def test_berlin_file_imports_every_row() -> None:
    result = import_bnetza(RAW)
    assert result.report.records_read == 330
    assert result.report.skipped == []
    assert len(result.locations) == 330


def test_every_imported_location_is_a_valid_ocpi_2_2_1_location() -> None:
    for location in import_bnetza(RAW).locations:
        check_exportable(location)


def test_ids_are_deterministic_and_unique() -> None:
    first = [loc.id for loc in import_bnetza(RAW).locations]
    assert first == [loc.id for loc in import_bnetza(RAW).locations]
    assert len(set(first)) == len(first)
    assert all(i.startswith("BNA-") and len(i) <= 36 for i in first)


def test_decimal_commas_and_us_style_dates_are_parsed() -> None:
    assert parse_decimal("3,7") == 3.7
    assert parse_decimal("52,535955") == 52.535955
    assert parse_commissioning_date("7/14/09") == datetime(2009, 7, 14, tzinfo=UTC)


def test_two_type_2_sockets_become_two_three_phase_evses() -> None:
    (location,) = _one(
        'innogy SE,Boyenstr. 23,10115 Berlin,"13,368842","52,535955",7/14/09,44,'
        "Normalladeeinrichtung,2,AC Steckdose Typ 2,22,AC Steckdose Typ 2,22,,,,,"
    )
    assert (location.address, location.postal_code, location.city) == (
        "Boyenstr. 23",
        "10115",
        "Berlin",
    )
    assert location.coordinates == domain.GeoLocation(latitude="52.535955", longitude="13.368842")
    assert location.operator == domain.BusinessDetails(name="innogy SE")
    assert location.party_id == "INN"
    assert location.last_updated == datetime(2009, 7, 14, tzinfo=UTC)
    assert location.evses is not None and len(location.evses) == 2
    connector = location.evses[0].connectors[0]
    assert (connector.standard, connector.format, connector.power_type) == (
        "IEC_62196_T2",
        "SOCKET",
        "AC_3_PHASE",
    )
    assert (connector.max_voltage, connector.max_amperage) == (230, 32)
    assert connector.max_electric_power == 22_000


def test_fast_charger_with_combo_and_chademo_is_one_evse_with_two_dc_cables() -> None:
    (location,) = _one(
        'Allego GmbH,Teststr. 1,10115 Berlin,"13,400000","52,500000",1/26/17,50,'
        'Schnellladeeinrichtung,1,"DC Kupplung Combo, DC CHAdeMO",50,,,,,,,'
    )
    assert location.evses is not None
    (evse,) = location.evses
    assert [(c.standard, c.format, c.power_type) for c in evse.connectors] == [
        ("IEC_62196_T2_COMBO", "CABLE", "DC"),
        ("CHADEMO", "CABLE", "DC"),
    ]
    assert {rules.max_power_w(c) for c in evse.connectors} == {50_000}


def test_schuko_next_to_type_2_is_capped_at_household_power() -> None:
    (location,) = _one(
        'Allego GmbH,Teststr. 1,10115 Berlin,"13,400000","52,500000",1/26/17,22,'
        'Normalladeeinrichtung,1,"AC Steckdose Typ 2, AC Schuko",22,,,,,,,'
    )
    assert location.evses is not None
    schuko = location.evses[0].connectors[1]
    assert (schuko.standard, schuko.power_type, schuko.max_electric_power) == (
        "DOMESTIC_F",
        "AC_1_PHASE",
        3_680,
    )


def test_bad_rows_are_skipped_with_reasons() -> None:
    rows = "\n".join(
        [
            HEADER,
            'X GmbH,Weg 1,10115 Berlin,"13,4","52,5",13/45/17,22,Normalladeeinrichtung,1,'
            "AC Steckdose Typ 2,22,,,,,,,",
            'X GmbH,Weg 2,10115 Berlin,"13,4","52,5",1/1/17,22,Normalladeeinrichtung,1,'
            "Wireless,22,,,,,,,",
            'X GmbH,Weg 3,10115 Berlin,"13,4","52,5",1/1/17,22,Normalladeeinrichtung,1,'
            "AC Steckdose Typ 2,22,,,,,,,",
        ]
    )
    result = import_bnetza(rows)
    assert [loc.address for loc in result.locations] == ["Weg 3"]
    assert len(result.report.skipped) == 2
    assert "Wireless" in result.report.dropped_parts[0].reason
