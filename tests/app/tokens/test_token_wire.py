"""OCPI 2.2.1 and 2.3.0 Token wire types and mapping, driven by the specification's examples.

Every Token example decodes, goes through the canonical token and back, and re-encodes to
the same JSON object (all examples use the ``...Z`` DateTime form we emit).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import pytest

from app.ocpi.v2_2_1 import mapping as mapping_2_2_1
from app.ocpi.v2_2_1 import tokens as tokens_2_2_1
from app.ocpi.v2_3_0 import mapping as mapping_2_3_0
from app.ocpi.v2_3_0 import tokens as tokens_2_3_0
from app.tokens import domain

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ocpi"
VERSIONS = {
    "2.2.1": (tokens_2_2_1, mapping_2_2_1),
    "2.3.0": (tokens_2_3_0, mapping_2_3_0),
}
TOKEN_EXAMPLES = [
    "token_example_1_app_user.json",
    "token_example_2_full_rfid.json",
    "token_put_example.json",
]
CASES = [(v, name) for v in VERSIONS for name in TOKEN_EXAMPLES]


def _raw(version: str, name: str) -> bytes:
    return (FIXTURES / version / name).read_bytes()


def _modules(version: str) -> tuple[ModuleType, ModuleType]:
    return VERSIONS[version]


def _examples_of(version: str, name: str) -> list[Any]:
    """The Token objects of a response example (``data``: one object or a list)."""
    data = json.loads(_raw(version, name))["data"]
    return data if isinstance(data, list) else [data]


@pytest.mark.parametrize(("version", "name"), CASES)
def test_token_example_round_trips_through_the_domain(version: str, name: str) -> None:
    wire, mapping = _modules(version)
    token = msgspec.json.decode(_raw(version, name), type=wire.Token)
    exported = mapping.token_from_domain(mapping.token_to_domain(token))
    assert exported == token
    assert json.loads(msgspec.json.encode(exported)) == json.loads(_raw(version, name))


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "name",
    [
        "transport_and_format_get_token_example.json",
        "transport_and_format_get_token_list_example.json",
    ],
)
def test_tokens_of_response_examples_round_trip(version: str, name: str) -> None:
    wire, mapping = _modules(version)
    for original in _examples_of(version, name):
        token = msgspec.convert(original, wire.Token, strict=False)
        exported = mapping.token_from_domain(mapping.token_to_domain(token))
        assert json.loads(msgspec.json.encode(exported)) == original


@pytest.mark.parametrize("version", VERSIONS)
def test_full_rfid_example_decodes_every_field(version: str) -> None:
    wire, _ = _modules(version)
    token = msgspec.json.decode(_raw(version, "token_example_2_full_rfid.json"), type=wire.Token)
    assert token.type == "RFID"
    assert token.whitelist is wire.WhitelistType.ALLOWED
    assert token.default_profile_type is wire.ProfileType.GREEN
    assert token.energy_contract == wire.EnergyContract(
        supplier_name="Greenpeace Energy eG", contract_id="0123456789"
    )
    assert token.last_updated == datetime(2018, 12, 10, 17, 25, 10, tzinfo=UTC)


@pytest.mark.parametrize("version", VERSIONS)
def test_patch_example_is_a_patch_not_a_token(version: str) -> None:
    wire, _ = _modules(version)
    body = _raw(version, "token_patch_example.json")
    patch = wire.decode_token_patch(body)
    assert patch.valid is False
    assert patch.last_updated == datetime(2019, 6, 19, 2, 11, 11, tzinfo=UTC)
    assert json.loads(msgspec.json.encode(patch)) == json.loads(body)
    with pytest.raises(msgspec.ValidationError, match="missing required field"):
        msgspec.json.decode(body, type=wire.Token)


@pytest.mark.parametrize("version", VERSIONS)
def test_patch_without_last_updated_or_with_a_misspelt_field_is_rejected(version: str) -> None:
    wire, _ = _modules(version)
    with pytest.raises(msgspec.ValidationError, match="last_updated"):
        wire.decode_token_patch(b'{"valid": false}')
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        wire.decode_token_patch(b'{"vaild": false, "last_updated": "2019-06-19T02:11:11Z"}')


@pytest.mark.parametrize("version", VERSIONS)
def test_closed_enums_are_validated(version: str) -> None:
    wire, _ = _modules(version)
    raw = json.loads(_raw(version, "token_example_1_app_user.json"))
    with pytest.raises(msgspec.ValidationError, match="whitelist"):
        msgspec.convert({**raw, "whitelist": "SOMETIMES"}, wire.Token, strict=False)


def test_emaid_tokens_exist_in_2_3_0_only() -> None:
    raw = json.loads(_raw("2.3.0", "token_example_1_app_user.json"))
    emaid = msgspec.convert(
        {**raw, "type": "EMAID", "uid": "DEEMSC00000001F"}, tokens_2_3_0.Token, strict=False
    )
    canonical = mapping_2_3_0.token_to_domain(emaid)
    assert canonical.type == domain.TokenType.EMAID
    assert mapping_2_3_0.token_from_domain(canonical) == emaid
    with pytest.raises(mapping_2_2_1.TokenNotRepresentableError):
        mapping_2_2_1.token_from_domain(canonical)
    assert tokens_2_3_0.TokenType.EMAID == "EMAID"
    assert not hasattr(tokens_2_2_1.TokenType, "EMAID")


def test_a_datetime_without_designator_is_utc() -> None:
    raw = json.loads(_raw("2.2.1", "token_example_1_app_user.json"))
    token = msgspec.convert(
        {**raw, "last_updated": "2018-12-10T17:16:15"}, tokens_2_2_1.Token, strict=False
    )
    assert token.last_updated == datetime(2018, 12, 10, 17, 16, 15, tzinfo=UTC)
    assert json.loads(msgspec.json.encode(token))["last_updated"] == "2018-12-10T17:16:15Z"


def test_authorization_info_carries_a_token() -> None:
    raw = json.loads(_raw("2.2.1", "token_example_2_full_rfid.json"))
    info = msgspec.convert(
        {
            "allowed": "BLOCKED",
            "token": raw,
            "location": {"location_id": "LOC1", "evse_uids": ["BE-BEC-E041503001"]},
            "info": {"language": "en", "text": "Card blocked"},
        },
        tokens_2_2_1.AuthorizationInfo,
        strict=False,
    )
    assert info.allowed is tokens_2_2_1.AllowedType.BLOCKED
    assert info.token.uid == "12345678905880"
