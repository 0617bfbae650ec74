"""OCPP 2.0.1 iso15118CertificateHashData: produce hex, accept hex/base64 and hex/decimal."""

from __future__ import annotations

import base64

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509 import ocsp
from pki_testkit import PINNED_NOW

from pki.clock import FixedClock
from pki.ecosystem import Ecosystem
from pki.emaid import generate_emaid
from pki.errors import ParseError
from pki.profiles import Role
from pki.revocation.hashdata import (
    HashAlgorithm,
    HashDataResolver,
    compute_hash_data,
    parse_hash_data,
)
from pki.revocation.issuers import IssuerIndex
from pki.revocation.registry import CertStatus, InMemoryRevocationRegistry


def test_hash_data_matches_cryptography_ocsp_cert_id(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    cert = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM")).certificate
    sub2 = ecosystem.certificates[Role.MO_SUB2]
    for algorithm, hash_ in (
        (HashAlgorithm.SHA256, hashes.SHA256()),
        (HashAlgorithm.SHA384, hashes.SHA384()),
        (HashAlgorithm.SHA512, hashes.SHA512()),
    ):
        request = ocsp.OCSPRequestBuilder().add_certificate(cert, sub2, hash_).build()
        data = compute_hash_data(cert, sub2, algorithm)
        assert data.issuer_name_hash == request.issuer_name_hash
        assert data.issuer_key_hash == request.issuer_key_hash
        ocpp = data.to_ocpp()
        assert ocpp["hashAlgorithm"] == algorithm.value
        assert ocpp["issuerNameHash"] == request.issuer_name_hash.hex()
        assert ocpp["serialNumber"] == f"{cert.serial_number:x}"
        assert not ocpp["serialNumber"].startswith("0")


def test_every_encoding_resolves_to_the_same_status(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    registry = InMemoryRevocationRegistry()
    cert = ecosystem.contract_issuer(clock, registry).issue(generate_emaid("DE8EM")).certificate
    registry.revoke(
        ecosystem.issuers[Role.MO_SUB2].issuer_id,
        cert.serial_number,
        PINNED_NOW,
        x509.ReasonFlags.cessation_of_operation,
    )
    resolver = HashDataResolver(IssuerIndex(ecosystem.issuers.values()), registry)
    data = compute_hash_data(cert, ecosystem.certificates[Role.MO_SUB2])
    b64 = base64.b64encode
    variants = [
        data.to_ocpp(),
        {
            **data.to_ocpp(),
            "issuerNameHash": data.issuer_name_hash.hex().upper(),
            "serialNumber": f"{cert.serial_number:X}",
        },
        {
            **data.to_ocpp(),
            "issuerNameHash": b64(data.issuer_name_hash).decode(),
            "issuerKeyHash": b64(data.issuer_key_hash).decode(),
        },
        {
            **data.to_ocpp(),
            "issuerKeyHash": base64.urlsafe_b64encode(data.issuer_key_hash).decode().rstrip("="),
            "serialNumber": str(cert.serial_number),
        },
    ]
    for variant in variants:
        matched, answer = resolver.status(variant)
        assert answer.status is CertStatus.REVOKED, variant
        assert matched is not None
        assert matched.to_ocpp() == data.to_ocpp()


def test_unknown_issuer_or_serial_is_unknown(ecosystem: Ecosystem, clock: FixedClock) -> None:
    registry = InMemoryRevocationRegistry()
    resolver = HashDataResolver(IssuerIndex(ecosystem.issuers.values()), registry)
    cert = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM")).certificate
    data = compute_hash_data(cert, ecosystem.certificates[Role.MO_SUB2]).to_ocpp()
    assert resolver.status(data)[1].status is CertStatus.UNKNOWN
    assert resolver.status({**data, "issuerKeyHash": "00" * 32})[1].status is CertStatus.UNKNOWN


@pytest.mark.parametrize(
    "broken",
    [
        {"hashAlgorithm": "MD5"},
        {"issuerNameHash": "zz"},
        {"issuerNameHash": "00" * 31},
        {"issuerKeyHash": ""},
        {"serialNumber": "-12"},
        {"serialNumber": ""},
        {"serialNumber": 12},
    ],
)
def test_malformed_hash_data_raises_parse_error(broken: dict[str, object]) -> None:
    base: dict[str, object] = {
        "hashAlgorithm": "SHA256",
        "issuerNameHash": "00" * 32,
        "issuerKeyHash": "11" * 32,
        "serialNumber": "1f",
    }
    with pytest.raises(ParseError):
        parse_hash_data({**base, **broken})


def test_digits_only_serials_are_read_both_ways() -> None:
    base = {"hashAlgorithm": "SHA256", "issuerNameHash": "00" * 32, "issuerKeyHash": "11" * 32}
    assert [d.serial_number for d in parse_hash_data({**base, "serialNumber": "10"})] == [16, 10]
    assert [d.serial_number for d in parse_hash_data({**base, "serialNumber": "ab"})] == [171]
