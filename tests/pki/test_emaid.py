"""EMAID parsing, normalisation and the ISO 15118-2 Annex H check digit."""

from __future__ import annotations

import pytest

from pki.emaid import (
    CheckDigitStatus,
    compute_check_digit,
    generate_emaid,
    parse_emaid,
    validate_pcid,
)
from pki.errors import EmaidError, PcidError, PKIError

# The first eight pairs are the examples of the eMI3 check-digit paper that Annex H takes
# over; independent implementations in several languages test against the same list. The
# NLTNM pairs are test vectors of The New Motion's open-source EMAID library.
PUBLISHED = [
    ("NN123ABCDEFGHI", "T"),
    ("FRXYZ123456789", "2"),
    ("ITA1B2C3E4F5G6", "4"),
    ("ESZU8WOX834H1D", "R"),
    ("PT73902837ABCZ", "Z"),
    ("DE83DUIEN83QGZ", "D"),
    ("DE83DUIEN83ZGQ", "M"),
    ("DE8AA001234567", "0"),
    ("NLTNM000122045", "U"),
    ("NLTNM000722345", "X"),
    ("NLTNMC00122045", "K"),
]


@pytest.mark.parametrize(("body", "check"), PUBLISHED)
def test_check_digit_matches_published_examples(body: str, check: str) -> None:
    assert compute_check_digit(body) == check


def test_hyphenated_lower_case_is_normalised() -> None:
    emaid = parse_emaid(" de-83d-uien83qgz-d ")
    assert emaid.normalised == "DE83DUIEN83QGZD"
    assert emaid.hyphenated == "DE-83D-UIEN83QGZ-D"
    assert emaid.check_digit_status is CheckDigitStatus.VALID
    assert (emaid.country, emaid.provider, emaid.instance) == ("DE", "83D", "UIEN83QGZ")
    assert emaid.provider_id == "DE83D"


def test_foreign_emaid_with_wrong_check_digit_is_accepted_and_flagged() -> None:
    emaid = parse_emaid("DE83DUIEN83QGZX")
    assert emaid.check_digit_status is CheckDigitStatus.INVALID
    assert emaid.normalised == "DE83DUIEN83QGZX"


def test_emaid_without_check_digit_is_flagged_absent() -> None:
    assert parse_emaid("DE83DUIEN83QGZ").check_digit_status is CheckDigitStatus.ABSENT


@pytest.mark.parametrize(
    "text",
    [
        "",
        "DE83DUIEN83QG",
        "D183DUIEN83QGZD",
        "DE83DUIEN83QGZDD",
        "DE_83D_UIEN83QGZ",
        "DE-83DUIEN83QGZ",
        "DÉ83DUIEN83QGZ",
        "x" * 100,
    ],
)
def test_malformed_emaids_raise_a_typed_error(text: str) -> None:
    with pytest.raises(EmaidError):
        parse_emaid(text)
    assert issubclass(EmaidError, PKIError)


def test_generated_emaids_carry_a_valid_check_digit() -> None:
    seen = set()
    for _ in range(50):
        emaid = generate_emaid("DE-8EM")
        assert emaid.provider_id == "DE8EM"
        assert parse_emaid(emaid.normalised).check_digit_status is CheckDigitStatus.VALID
        seen.add(emaid.instance)
    assert len(seen) == 50


def test_generate_with_fixed_instance_reproduces_published_example() -> None:
    assert generate_emaid("DE83D", instance="UIEN83QGZ").normalised == "DE83DUIEN83QGZD"


def test_bad_provider_id_is_refused() -> None:
    with pytest.raises(EmaidError):
        generate_emaid("D8EM")


@pytest.mark.parametrize(
    "pcid", ["EMSPTESTVEHICLE01", "hubUsEaTest000003", "huboemprovcqa0615", "WMIVDS12345678901X"]
)
def test_valid_pcids(pcid: str) -> None:
    assert validate_pcid(pcid) == pcid


@pytest.mark.parametrize(
    "pcid", ["", "SHORT", "EMSPTESTVEHICLE0", "EMSPTESTVEHICLE0123", "EMSP-TESTVEHICLE1"]
)
def test_invalid_pcids(pcid: str) -> None:
    with pytest.raises(PcidError):
        validate_pcid(pcid)
