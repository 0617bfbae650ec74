"""Property tests: every parser turns arbitrary input into a result or a typed PKIError."""

from __future__ import annotations

import contextlib
import string

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pki.emaid import (
    CheckDigitStatus,
    compute_check_digit,
    generate_emaid,
    parse_emaid,
    validate_pcid,
)
from pki.envelope import ContractKeyEnvelope, open_contract_key
from pki.errors import PKIError
from pki.keystore import PrivateKey
from pki.revocation.hashdata import parse_hash_data
from pki.revocation.ocsp import OcspResponder, parse_ocsp_request
from pki.validation import load_certificate

FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ALNUM = string.ascii_uppercase + string.digits


@FAST
@given(st.text(max_size=80))
def test_parse_emaid_never_crashes(text: str) -> None:
    with contextlib.suppress(PKIError):
        parse_emaid(text)


@FAST
@given(st.text(alphabet=ALNUM, min_size=9, max_size=9))
def test_generated_emaids_always_validate(instance: str) -> None:
    emaid = generate_emaid("DE8EM", instance=instance)
    assert parse_emaid(emaid.hyphenated).check_digit_status is CheckDigitStatus.VALID


@FAST
@given(
    st.text(alphabet=ALNUM, min_size=14, max_size=14), st.integers(0, 13), st.sampled_from(ALNUM)
)
def test_any_single_character_error_is_detected(body: str, position: int, replacement: str) -> None:
    changed = body[:position] + replacement + body[position + 1 :]
    if changed != body:
        assert compute_check_digit(changed) != compute_check_digit(body)


@FAST
@given(st.text(max_size=40))
def test_validate_pcid_never_crashes(text: str) -> None:
    with contextlib.suppress(PKIError):
        validate_pcid(text)


@FAST
@given(st.binary(max_size=600))
def test_load_certificate_never_crashes(data: bytes) -> None:
    with contextlib.suppress(PKIError):
        load_certificate(data)


@FAST
@given(st.binary(max_size=300))
def test_ocsp_request_parser_never_crashes(data: bytes) -> None:
    with contextlib.suppress(PKIError):
        parse_ocsp_request(data)


@FAST
@given(st.binary(max_size=300))
def test_ocsp_responder_answers_any_bytes(ecosystem: object, clock: object, data: bytes) -> None:
    from pki.revocation.registry import InMemoryRevocationRegistry

    responder = OcspResponder(ecosystem.issuers.values(), InMemoryRevocationRegistry(), clock)  # type: ignore[attr-defined, arg-type]
    assert responder.respond(data)[:1] == b"\x30"


@FAST
@given(
    st.dictionaries(
        st.sampled_from(["hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber", "x"]),
        st.one_of(st.text(max_size=140), st.integers(), st.none(), st.binary(max_size=10)),
    )
)
def test_hash_data_parser_never_crashes(data: dict[str, object]) -> None:
    with contextlib.suppress(PKIError):
        parse_hash_data(data)


@FAST
@given(st.binary(min_size=0, max_size=70), st.binary(min_size=0, max_size=60))
def test_envelope_opener_never_crashes(ecosystem: object, dh: bytes, encrypted: bytes) -> None:
    key: PrivateKey = ecosystem.oem_provisioning_key  # type: ignore[attr-defined]
    with contextlib.suppress(PKIError):
        open_contract_key(ContractKeyEnvelope(dh, encrypted), key)


_POINTS = st.integers(1, 2**64).map(
    lambda k: (
        ec.derive_private_key(k, ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
)


@FAST
@given(_POINTS, st.binary(min_size=48, max_size=48))
def test_envelope_opener_with_valid_points_never_crashes(
    ecosystem: object, dh: bytes, encrypted: bytes
) -> None:
    """The test above almost never passes the size check; this one reaches ECDH, AES and the
    scalar range check (0 and values >= n must be EnvelopeError, not ValueError)."""
    key: PrivateKey = ecosystem.oem_provisioning_key  # type: ignore[attr-defined]
    with contextlib.suppress(PKIError):
        opened = open_contract_key(ContractKeyEnvelope(dh, encrypted), key)
        assert isinstance(opened, ec.EllipticCurvePrivateKey)
