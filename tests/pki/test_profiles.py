"""Profiles as data, and certificates built from them (ISO 15118-2 Annex F)."""

from __future__ import annotations

import dataclasses

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pki.clock import FixedClock
from pki.ecosystem import Ecosystem
from pki.emaid import generate_emaid
from pki.profiles import (
    CONTRACT_CERT_MAX_DER_BYTES,
    ISO15118_2_PROFILES,
    ISO15118_20_PROFILES,
    KeyType,
    Role,
)


def test_every_role_has_a_profile_in_both_standards() -> None:
    assert set(ISO15118_2_PROFILES) == set(Role)
    assert set(ISO15118_20_PROFILES) == set(Role)


def test_profiles_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ISO15118_2_PROFILES[Role.CONTRACT].is_ca = True  # type: ignore[misc]


def test_iso15118_2_uses_p256_and_iso15118_20_p521_or_ed448() -> None:
    assert all(p.key_types == (KeyType.SECP256R1,) for p in ISO15118_2_PROFILES.values())
    assert all(
        p.key_types == (KeyType.SECP521R1, KeyType.ED448) for p in ISO15118_20_PROFILES.values()
    )


@pytest.mark.parametrize(
    ("role", "path_length"),
    [
        (Role.MO_SUB1, 1),
        (Role.MO_SUB2, 0),
        (Role.CPO_SUB1, 1),
        (Role.OEM_SUB2, 0),
        (Role.CPS_SUB2, 0),
    ],
)
def test_sub_ca_path_lengths(role: Role, path_length: int) -> None:
    profile = ISO15118_2_PROFILES[role]
    assert profile.is_ca
    assert profile.path_length == path_length


def test_contract_chain_fits_the_800_byte_limit(ecosystem: Ecosystem, clock: FixedClock) -> None:
    """ISO 15118-2: every certificate of the contract chain is at most 800 bytes of DER.

    Serials are random and DER integers vary in length, so several issuances are measured.
    """
    issuer = ecosystem.contract_issuer(clock)
    root = ecosystem.certificates[Role.MO_ROOT].public_bytes(serialization.Encoding.DER)
    for _ in range(25):
        result = issuer.issue(generate_emaid("DE8EM"))
        sizes = [len(der) for der in (*result.chain_der(), root)]
        assert all(size <= CONTRACT_CERT_MAX_DER_BYTES for size in sizes), sizes


def test_built_certificates_follow_their_profile(ecosystem: Ecosystem) -> None:
    for role, cert in ecosystem.certificates.items():
        profile = ISO15118_2_PROFILES[role]
        bc = cert.extensions.get_extension_for_class(x509.BasicConstraints)
        assert bc.critical
        assert bc.value.ca is profile.is_ca
        assert bc.value.path_length == profile.path_length
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
        assert ku.critical
        assert ku.value.key_cert_sign is profile.is_ca
        assert cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        key = cert.public_key()
        assert isinstance(key, ec.EllipticCurvePublicKey)
        assert isinstance(key.curve, ec.SECP256R1)
        dc = cert.subject.get_attributes_for_oid(NameOID.DOMAIN_COMPONENT)[0].value
        assert dc == profile.domain_component
        if not profile.self_signed:
            assert cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
            aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
            assert aia.value[0].access_location.value == "http://pki.emsp.test/ocsp"
            assert cert.extensions.get_extension_for_class(x509.CRLDistributionPoints)
        assert cert.not_valid_after_utc - cert.not_valid_before_utc <= profile.max_validity


def test_oem_provisioning_certificate_cn_is_the_pcid(ecosystem: Ecosystem) -> None:
    cert = ecosystem.certificates[Role.OEM_PROVISIONING]
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "EMSPTESTVEHICLE01"
