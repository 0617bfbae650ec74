"""Loading OCPI Location JSON: single object, list, response envelope, bad items."""

from __future__ import annotations

import json
from pathlib import Path

from app.stations.importers.ocpi_json import load_locations

FIXTURES = Path(__file__).parents[3] / "fixtures" / "ocpi"
EXAMPLE_2_2_1 = FIXTURES / "2.2.1" / "location_example.json"
EXAMPLE_2_3_0 = FIXTURES / "2.3.0" / "location_example.json"


def test_single_location_file_loads() -> None:
    result = load_locations(EXAMPLE_2_2_1, "2.2.1")
    assert [loc.id for loc in result.locations] == ["LOC1"]
    assert result.report.skipped == []


def test_2_3_0_location_keeps_its_parking_places() -> None:
    (location,) = load_locations(EXAMPLE_2_3_0, "2.3.0").locations
    assert location.parking_places is not None and len(location.parking_places) == 3


def test_response_envelope_with_one_bad_item_keeps_the_good_ones() -> None:
    good = json.loads(EXAMPLE_2_2_1.read_bytes())
    bad = dict(good, id="BAD", coordinates={"latitude": "51.0", "longitude": "3.729944"})
    envelope = {
        "data": [good, bad],
        "status_code": 1000,
        "timestamp": "2015-06-30T21:59:59Z",
    }
    result = load_locations(json.dumps(envelope).encode(), "2.2.1")
    assert [loc.id for loc in result.locations] == ["LOC1"]
    (skipped,) = result.report.skipped
    assert skipped.source_id == "[1] BAD"
    assert "$.coordinates.latitude" in skipped.reason


def test_plain_list_loads_every_item() -> None:
    files = sorted((FIXTURES / "2.2.1").glob("location_example*.json"))
    document = [json.loads(f.read_bytes()) for f in files]
    result = load_locations(json.dumps(document).encode(), "2.2.1")
    assert result.report.locations_imported == len(files) == 6


def test_non_json_input_is_reported_not_raised() -> None:
    result = load_locations(b"<html>", "2.3.0")
    assert result.locations == []
    assert result.report.skipped[0].source_id == "document"
