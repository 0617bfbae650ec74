"""OCPI 2.3.0 Locations wire types and mapping, driven by the specification's examples.

Two 2.3.0 examples write ``EVSE.parking`` as bare ids although the field table specifies
EVSEParking objects; we read both and emit objects, so ``_parking_as_objects`` rewrites the
original the same way before comparing.

Round-trip equality is checked on parsed JSON with OCPI DateTime strings replaced by aware
UTC datetimes (``_normalised``): the spec allows "2015-06-29T20:39:09" and
"2015-06-29T20:39:09Z" for the same instant, and we always emit the ``Z`` form.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest

from app.ocpi.v2_3_0 import locations as wire
from app.ocpi.v2_3_0 import mapping
from app.ocpi.v2_3_0.types import EnergyMix, Hours
from app.stations import domain, rules

FIXTURES = Path(__file__).parents[3] / "fixtures" / "ocpi" / "2.3.0"
FULL_LOCATIONS = sorted(p.name for p in FIXTURES.glob("location_example*.json"))
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$")


def _normalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    if isinstance(value, str) and _DATETIME.match(value):
        parsed = datetime.fromisoformat(value.removesuffix("Z"))
        return parsed.replace(tzinfo=UTC)
    return value


def _parking_as_objects(original: bytes) -> bytes:
    data = json.loads(original)
    for evse in data.get("evses", []):
        if "parking" in evse:
            evse["parking"] = [
                {"parking_id": p} if isinstance(p, str) else p for p in evse["parking"]
            ]
    return json.dumps(data).encode()


def _raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _same_json(encoded: bytes, original: bytes) -> bool:
    return bool(_normalised(json.loads(encoded)) == _normalised(json.loads(original)))


def test_fixture_set_has_all_six_full_location_examples() -> None:
    assert len(FULL_LOCATIONS) == 6


@pytest.mark.parametrize("name", FULL_LOCATIONS)
def test_location_example_round_trips_through_the_domain(name: str) -> None:
    location = msgspec.json.decode(_raw(name), type=wire.Location)
    canonical = mapping.location_to_domain(location)
    exported = mapping.location_from_domain(canonical)
    assert _same_json(msgspec.json.encode(exported), _parking_as_objects(_raw(name)))


@pytest.mark.parametrize("name", FULL_LOCATIONS)
def test_location_example_re_encodes_byte_identical_json_values(name: str) -> None:
    # All examples use the "...Z" DateTime form, so even without normalisation they match.
    location = msgspec.json.decode(_raw(name), type=wire.Location)
    assert json.loads(msgspec.json.encode(location)) == json.loads(_raw(name))


@pytest.mark.parametrize(
    "name",
    [
        "location_hours_247_open_exception_closing.json",
        "location_hours_opening_hours_with_exceptional_closing.json",
        "location_hours_opening_hours_with_exceptional_opening.json",
    ],
)
def test_hours_example_round_trips(name: str) -> None:
    hours = msgspec.json.decode(_raw(name), type=Hours)
    assert _same_json(msgspec.json.encode(hours), _raw(name))


def test_regular_hours_example_is_a_location_fragment_with_opening_times() -> None:
    inner = json.dumps(json.loads(_raw("location_regularhours_example.json"))["opening_times"])
    hours = msgspec.json.decode(inner, type=Hours)
    assert [h.weekday for h in hours.regular_hours or []] == [1, 2, 3, 4, 5]
    assert _same_json(msgspec.json.encode(hours), inner.encode())


def test_regular_hours_example_is_not_a_complete_patch_without_last_updated() -> None:
    # The example is a fragment for illustration; as a PATCH it lacks last_updated.
    with pytest.raises(msgspec.ValidationError, match="last_updated"):
        wire.decode_patch(_raw("location_regularhours_example.json"), wire.Location)


@pytest.mark.parametrize(
    "name",
    [
        "location_energymix_example_simple.json",
        "location_energymix_example_energy_provider.json",
        "location_energymix_example_complete.json",
    ],
)
def test_energy_mix_example_round_trips(name: str) -> None:
    inner = json.dumps(json.loads(_raw(name))["energy_mix"]).encode()
    mix = msgspec.json.decode(inner, type=EnergyMix)
    assert json.loads(msgspec.json.encode(mix)) == json.loads(inner)


@pytest.mark.parametrize(
    ("name", "target", "field"),
    [
        ("location_patch_example_location.json", wire.Location, "name"),
        ("location_patch_example_status.json", wire.EVSE, "status"),
        ("location_patch_example_remove_evse.json", wire.EVSE, "status"),
        ("location_patch_example_tariff.json", wire.Connector, "tariff_ids"),
    ],
)
def test_patch_example_validates_against_its_target_object(
    name: str, target: type[wire.Location | wire.EVSE | wire.Connector], field: str
) -> None:
    fields = wire.decode_patch(_raw(name), target)
    assert set(fields) == {field, "last_updated"}
    assert fields["last_updated"] == datetime(2019, 6, 24, 12, 39, 9, tzinfo=UTC)


def test_put_add_evse_example_is_rejected_because_it_breaks_the_evse_table() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"power_type.*\$\.connectors\[0\]"):
        msgspec.json.decode(_raw("location_put_example_add_evse.json"), type=wire.EVSE)


def test_status_patch_applied_to_a_domain_evse_changes_only_the_status() -> None:
    location = msgspec.json.decode(_raw("location_example.json"), type=wire.Location)
    evse = mapping.location_to_domain(location).evses[0]  # type: ignore[index]
    patched = mapping.apply_evse_patch(evse, _raw("location_patch_example_status.json"))
    assert patched.status is domain.Status.CHARGING
    assert patched.connectors == evse.connectors
    assert patched.last_updated == datetime(2019, 6, 24, 12, 39, 9, tzinfo=UTC)


def test_patch_with_a_misspelt_field_is_rejected() -> None:
    body = b'{"stauts": "CHARGING", "last_updated": "2019-06-24T12:39:09Z"}'
    with pytest.raises(msgspec.ValidationError, match="stauts"):
        wire.decode_patch(body, wire.EVSE)


def _example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_raw("location_example.json"))
    return data


def test_latitude_with_too_few_decimals_is_rejected_with_its_path() -> None:
    data = _example()
    data["coordinates"]["latitude"] = "51.04"
    with pytest.raises(msgspec.ValidationError, match=r"\$\.coordinates\.latitude"):
        msgspec.json.decode(json.dumps(data), type=wire.Location)


def test_unknown_evse_status_is_rejected_because_status_is_a_closed_enum() -> None:
    data = _example()
    data["evses"][1]["status"] = "BROKEN"
    with pytest.raises(msgspec.ValidationError, match=r"\$\.evses\[1\]\.status"):
        msgspec.json.decode(json.dumps(data), type=wire.Location)


def test_unknown_power_type_is_rejected_with_its_path() -> None:
    data = _example()
    data["evses"][0]["connectors"][1]["power_type"] = "AC_4_PHASE"
    with pytest.raises(msgspec.ValidationError, match=r"\$\.evses\[0\]\.connectors\[1\]"):
        msgspec.json.decode(json.dumps(data), type=wire.Location)


def test_missing_address_is_rejected_as_a_missing_required_field() -> None:
    data = _example()
    del data["address"]
    with pytest.raises(msgspec.ValidationError, match="missing required field `address`"):
        msgspec.json.decode(json.dumps(data), type=wire.Location)


def test_unknown_values_of_open_enums_are_accepted_and_kept() -> None:
    data = _example()
    data["evses"][0]["connectors"][0]["standard"] = "MCS"
    data["facilities"] = ["CHARGING_HUB"]
    data["parking_type"] = "ON_ROOFTOP"
    location = msgspec.json.decode(json.dumps(data), type=wire.Location)
    assert json.loads(msgspec.json.encode(location)) == data


def test_country_code_longer_than_two_characters_is_rejected() -> None:
    data = _example()
    data["country_code"] = "BEL"
    with pytest.raises(msgspec.ValidationError, match=r"\$\.country_code"):
        msgspec.json.decode(json.dumps(data), type=wire.Location)


def test_publish_token_with_uid_but_no_type_is_rejected() -> None:
    data = _example()
    data["publish"] = False
    data["publish_allowed_to"] = [{"uid": "12345678905880"}]
    with pytest.raises(msgspec.ValidationError, match="type must be set"):
        msgspec.json.decode(json.dumps(data), type=wire.Location)


def test_datetime_without_designator_is_read_as_utc() -> None:
    data = _example()
    data["last_updated"] = "2015-06-29T20:39:09"
    location = msgspec.json.decode(json.dumps(data), type=wire.Location)
    assert location.last_updated == datetime(2015, 6, 29, 20, 39, 9, tzinfo=UTC)
    assert b'"last_updated":"2015-06-29T20:39:09Z"' in msgspec.json.encode(location)


def test_plug_and_charge_parking_and_help_phone_survive_the_domain() -> None:
    data = _example()
    data["help_phone"] = "+3212345678"
    data["evses"][0]["connectors"][0]["capabilities"] = ["ISO_15118_20_PLUG_AND_CHARGE"]
    data["evses"][0]["parking"] = [{"parking_id": "1", "evse_position": "LEFT"}]
    data["evses"][0]["accepted_service_providers"] = ["Some eMSP"]
    location = mapping.location_to_domain(msgspec.json.decode(json.dumps(data), type=wire.Location))
    assert rules.supports_plug_and_charge(location)
    exported = json.loads(msgspec.json.encode(mapping.location_from_domain(location)))
    assert _normalised(exported) == _normalised(
        json.loads(_parking_as_objects(json.dumps(data).encode()))
    )


def test_parking_with_an_unknown_direction_is_rejected() -> None:
    data = _example()
    data["parking_places"][0]["direction"] = "DIAGONAL"
    with pytest.raises(msgspec.ValidationError, match=r"\$\.parking_places\[0\]\.direction"):
        msgspec.json.decode(json.dumps(data), type=wire.Location)


def test_parking_without_vehicle_types_is_rejected() -> None:
    data = _example()
    del data["parking_places"][1]["vehicle_types"]
    with pytest.raises(msgspec.ValidationError, match="vehicle_types"):
        msgspec.json.decode(json.dumps(data), type=wire.Location)


def test_export_of_an_invalid_domain_location_raises_with_the_field_path() -> None:
    location = mapping.location_to_domain(
        msgspec.json.decode(_raw("location_example.json"), type=wire.Location)
    )
    too_long = msgspec.structs.replace(location, address="x" * 46)
    with pytest.raises(msgspec.ValidationError, match=r"\$\.address"):
        mapping.location_from_domain(too_long)


def test_connector_maps_to_domain_and_back() -> None:
    location = msgspec.json.decode(_raw("location_example.json"), type=wire.Location)
    assert location.evses is not None
    connector = location.evses[0].connectors[0]
    assert mapping.connector_from_domain(mapping.connector_to_domain(connector)) == connector
    evse = location.evses[1]
    exported = msgspec.json.encode(mapping.evse_from_domain(mapping.evse_to_domain(evse)))
    assert json.loads(exported)["parking"] == [{"parking_id": "2"}, {"parking_id": "3"}]
