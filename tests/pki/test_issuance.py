"""Contract certificate issuance under MO sub-CA 2."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pki.clock import FixedClock
from pki.ecosystem import Ecosystem
from pki.emaid import generate_emaid
from pki.errors import IssuanceError, ProfileError
from pki.profiles import Role
from pki.revocation.registry import CertStatus, InMemoryRevocationRegistry


def test_issue_for_a_new_key_returns_key_certificate_and_chain(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    registry = InMemoryRevocationRegistry()
    issuer = ecosystem.contract_issuer(clock, registry)
    emaid = generate_emaid("DE8EM")
    result = issuer.issue(emaid)
    cert = result.certificate
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == emaid.normalised
    assert cert.subject.get_attributes_for_oid(NameOID.DOMAIN_COMPONENT)[0].value == "MO"
    assert result.chain == (
        cert,
        ecosystem.certificates[Role.MO_SUB2],
        ecosystem.certificates[Role.MO_SUB1],
    )
    cert.verify_directly_issued_by(ecosystem.certificates[Role.MO_SUB2])
    assert isinstance(result.private_key, ec.EllipticCurvePrivateKey)
    assert result.private_key.public_key().public_numbers() == cert.public_key().public_numbers()  # type: ignore[union-attr]
    status = registry.status(ecosystem.issuers[Role.MO_SUB2].issuer_id, cert.serial_number)
    assert status.status is CertStatus.GOOD
    assert cert.not_valid_before_utc <= clock.now() < cert.not_valid_after_utc


def test_issue_for_a_supplied_key_returns_no_private_key(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    result = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM"), key.public_key())
    assert result.private_key is None
    assert result.certificate.public_key().public_numbers() == key.public_key().public_numbers()  # type: ignore[union-attr]


def test_serials_are_random_and_distinct(ecosystem: Ecosystem, clock: FixedClock) -> None:
    issuer = ecosystem.contract_issuer(clock)
    serials = {issuer.issue(generate_emaid("DE8EM")).certificate.serial_number for _ in range(20)}
    assert len(serials) == 20
    assert all(s.bit_length() > 64 for s in serials)


def test_emaid_without_valid_check_digit_is_not_issued(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    with pytest.raises(IssuanceError):
        ecosystem.contract_issuer(clock).issue("DE83DUIEN83QGZX")
    with pytest.raises(IssuanceError):
        ecosystem.contract_issuer(clock).issue("DE83DUIEN83QGZ")


def test_wrong_curve_key_is_refused(ecosystem: Ecosystem, clock: FixedClock) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(ProfileError):
        ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM"), key.public_key())  # type: ignore[arg-type]


def test_contract_never_outlives_sub_ca(ecosystem: Ecosystem) -> None:
    late = FixedClock(
        ecosystem.certificates[Role.MO_SUB2].not_valid_after_utc - dt.timedelta(days=30)
    )
    cert = ecosystem.contract_issuer(late).issue(generate_emaid("DE8EM")).certificate
    assert cert.not_valid_after_utc == ecosystem.certificates[Role.MO_SUB2].not_valid_after_utc
    expired = FixedClock(
        ecosystem.certificates[Role.MO_SUB2].not_valid_after_utc + dt.timedelta(days=1)
    )
    with pytest.raises(IssuanceError):
        ecosystem.contract_issuer(expired).issue(generate_emaid("DE8EM"))


def test_contract_extensions_point_to_our_ocsp_and_crl(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    cert = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM")).certificate
    crl = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert crl[0].full_name[0].value == "http://pki.emsp.test/crl/mo-sub2.crl"  # type: ignore[index]
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature
    assert ku.key_agreement
    assert not ku.key_cert_sign


def test_a_failing_envelope_step_leaves_no_serial_in_the_registry(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    """issue-contract used to record the serial before sealing; a refused recipient left it."""
    from pki.envelope import seal_contract_key
    from pki.errors import RecipientCertificateError
    from pki.issuance import ContractIssuance

    registry = InMemoryRevocationRegistry()
    issuer = ecosystem.contract_issuer(clock, registry)
    issuer_id = ecosystem.issuers[Role.MO_SUB2].issuer_id
    oem = ecosystem.certificates[Role.OEM_PROVISIONING]
    attempted: list[int] = []

    def seal_expired(contract: ContractIssuance) -> object:
        attempted.append(contract.certificate.serial_number)
        assert contract.private_key is not None
        late = oem.not_valid_after_utc + dt.timedelta(days=1)  # the recipient has expired
        return seal_contract_key(contract.private_key, contract.certificate, oem, at=late)

    with pytest.raises(RecipientCertificateError):
        issuer.issue_and_seal(generate_emaid("DE8EM"), seal_expired)
    assert len(attempted) == 1
    assert registry.status(issuer_id, attempted[0]).status is CertStatus.UNKNOWN

    def seal_now(contract: ContractIssuance) -> object:
        assert contract.private_key is not None
        # Until seal returns, the serial is not in the registry.
        assert registry.status(issuer_id, contract.certificate.serial_number).status is (
            CertStatus.UNKNOWN
        )
        return seal_contract_key(contract.private_key, contract.certificate, oem, at=clock.now())

    issued, envelope = issuer.issue_and_seal(generate_emaid("DE8EM"), seal_now)
    assert envelope is not None
    status = registry.status(issuer_id, issued.certificate.serial_number)
    assert status.status is CertStatus.GOOD
