"""The ISO 15118-2 contract-key envelope, checked against an implementation we did not write."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448
from pki_testkit import run_peer, self_signed_p384

from pki.builder import subject_name
from pki.clock import FixedClock
from pki.ecosystem import Ecosystem
from pki.emaid import generate_emaid
from pki.envelope import (
    DH_PUBLIC_KEY_BYTES,
    ENCRYPTED_KEY_BYTES,
    ContractKeyEnvelope,
    derive_envelope_key,
    open_contract_key,
    seal_contract_key,
    seal_contract_key_20,
    seal_for_validated_recipient,
)
from pki.errors import (
    EnvelopeError,
    KeyMismatchError,
    RecipientCertificateError,
    SpecificationGapError,
    UnsupportedAlgorithmError,
)
from pki.profiles import Role
from pki.validation import ChainValidator


def _pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def test_kdf_is_sha256_of_counter_secret_and_other_info() -> None:
    """[V2G2-818]: SHA-256(00000001 || Z || 01 55 56), first 16 bytes (checked by hand)."""
    import hashlib

    z = bytes(range(32))
    assert (
        derive_envelope_key(z) == hashlib.sha256(b"\x00\x00\x00\x01" + z + b"\x01UV").digest()[:16]
    )


def test_installation_envelope_round_trips(ecosystem: Ecosystem, clock: FixedClock) -> None:
    issued = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM"))
    assert issued.private_key is not None
    envelope = seal_contract_key(
        issued.private_key,
        issued.certificate,
        ecosystem.certificates[Role.OEM_PROVISIONING],
        at=clock.now(),
    )
    assert len(envelope.dh_public_key) == DH_PUBLIC_KEY_BYTES
    assert envelope.dh_public_key[0] == 4
    assert len(envelope.encrypted_private_key) == ENCRYPTED_KEY_BYTES
    opened = open_contract_key(envelope, ecosystem.oem_provisioning_key)
    assert opened.private_numbers() == issued.private_key.private_numbers()  # type: ignore[union-attr]


def test_update_envelope_is_encrypted_to_the_current_contract_certificate(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    issuer = ecosystem.contract_issuer(clock)
    current = issuer.issue(generate_emaid("DE8EM"))
    renewed = issuer.issue(current.emaid)
    assert renewed.private_key is not None
    assert current.private_key is not None
    envelope = seal_contract_key(
        renewed.private_key, renewed.certificate, current.certificate, at=clock.now()
    )
    opened = open_contract_key(envelope, current.private_key)
    assert opened.private_numbers() == renewed.private_key.private_numbers()  # type: ignore[union-attr]


def test_a_key_that_does_not_match_the_certificate_is_never_sealed(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    issued = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM"))
    other = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(KeyMismatchError):
        seal_contract_key(other, issued.certificate, ecosystem.certificates[Role.OEM_PROVISIONING])


def test_recipient_on_a_wrong_curve_is_refused(ecosystem: Ecosystem, clock: FixedClock) -> None:
    issued = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM"))
    assert issued.private_key is not None
    with pytest.raises(UnsupportedAlgorithmError):
        seal_contract_key(
            issued.private_key, issued.certificate, self_signed_p384(), at=clock.now()
        )


def test_a_recipient_outside_its_validity_at_the_given_time_is_refused(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    issued = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM"))
    assert issued.private_key is not None
    oem = ecosystem.certificates[Role.OEM_PROVISIONING]
    second = dt.timedelta(seconds=1)
    with pytest.raises(RecipientCertificateError, match="expired"):
        seal_contract_key(
            issued.private_key, issued.certificate, oem, at=oem.not_valid_after_utc + second
        )
    with pytest.raises(RecipientCertificateError, match="not valid before"):
        seal_contract_key(
            issued.private_key, issued.certificate, oem, at=oem.not_valid_before_utc - second
        )
    # Inclusive at both ends, like chain validation (RFC 5280 4.1.2.5).
    for edge in (oem.not_valid_before_utc, oem.not_valid_after_utc):
        seal_contract_key(issued.private_key, issued.certificate, oem, at=edge)


def test_an_ed448_recipient_is_refused(ecosystem: Ecosystem, clock: FixedClock) -> None:
    issued = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM"))
    assert issued.private_key is not None
    key = ed448.Ed448PrivateKey.generate()
    name = subject_name("EMSPTESTVEHICLE09", "Elsewhere", "DE", "OEM")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(clock.now() - dt.timedelta(days=1))
        .not_valid_after(clock.now() + dt.timedelta(days=1))
        .sign(key, None)
    )
    with pytest.raises(UnsupportedAlgorithmError, match="secp256r1"):
        seal_contract_key(issued.private_key, issued.certificate, cert, at=clock.now())


def _oem_validator(ecosystem: Ecosystem) -> ChainValidator:
    return ChainValidator([ecosystem.certificates[Role.OEM_ROOT]])


def test_sealing_for_a_validated_oem_chain_and_for_the_current_contract(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    issuer = ecosystem.contract_issuer(clock)
    issued = issuer.issue(generate_emaid("DE8EM"))
    assert issued.private_key is not None
    oem_chain = ecosystem.chain(Role.OEM_PROVISIONING)
    envelope = seal_for_validated_recipient(
        issued.private_key,
        issued.certificate,
        [c.public_bytes(serialization.Encoding.DER) for c in oem_chain],
        validator=_oem_validator(ecosystem),
        recipient_role=Role.OEM_PROVISIONING,
        at=clock.now(),
    )
    opened = open_contract_key(envelope, ecosystem.oem_provisioning_key)
    assert opened.private_numbers() == issued.private_key.private_numbers()  # type: ignore[union-attr]
    renewed = issuer.issue(issued.emaid)
    assert renewed.private_key is not None
    roots = [ecosystem.certificates[Role.V2G_ROOT], ecosystem.certificates[Role.MO_ROOT]]
    update = seal_for_validated_recipient(
        renewed.private_key,
        renewed.certificate,
        issued.chain,
        validator=ChainValidator(roots),
        recipient_role=Role.CONTRACT,
        at=clock.now(),
    )
    reopened = open_contract_key(update, issued.private_key)
    assert reopened.private_numbers() == renewed.private_key.private_numbers()  # type: ignore[union-attr]


def test_an_unvalidated_recipient_chain_is_refused(ecosystem: Ecosystem, clock: FixedClock) -> None:
    issued = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM"))
    assert issued.private_key is not None
    oem_chain = ecosystem.chain(Role.OEM_PROVISIONING)
    rogue_key = ec.generate_private_key(ec.SECP256R1())
    name = subject_name("EMSPTESTVEHICLE01", "Rogue", "DE", "OEM")
    rogue = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(rogue_key.public_key())
        .serial_number(1)
        .not_valid_before(clock.now() - dt.timedelta(days=1))
        .not_valid_after(clock.now() + dt.timedelta(days=1))
        .sign(rogue_key, hashes.SHA256())
    )
    late = oem_chain[0].not_valid_after_utc + dt.timedelta(days=1)
    cases = [
        # a P-256 certificate that chains to nothing we trust
        ([rogue], _oem_validator(ecosystem), Role.OEM_PROVISIONING, clock.now(), "no-trust-anchor"),
        # the right chain under the wrong anchors (an OEM chain is no contract chain)
        (
            oem_chain,
            ChainValidator([ecosystem.certificates[Role.MO_ROOT]]),
            Role.OEM_PROVISIONING,
            clock.now(),
            "no-trust-anchor",
        ),
        # the right chain, expired at the time given
        (oem_chain, _oem_validator(ecosystem), Role.OEM_PROVISIONING, late, "expired"),
        # a leaf without its sub-CAs cannot be chained to the root
        (oem_chain[:1], _oem_validator(ecosystem), Role.OEM_PROVISIONING, clock.now(), "anchor"),
        # an SECC certificate is no recipient of a contract key
        (ecosystem.chain(Role.SECC), _oem_validator(ecosystem), Role.SECC, clock.now(), "secc"),
        ([], _oem_validator(ecosystem), Role.OEM_PROVISIONING, clock.now(), "no recipient"),
    ]
    for chain, validator, role, at, message in cases:
        with pytest.raises(RecipientCertificateError, match=message):
            seal_for_validated_recipient(
                issued.private_key,
                issued.certificate,
                chain,
                validator=validator,
                recipient_role=role,
                at=at,
            )


@pytest.mark.parametrize(
    "envelope",
    [
        ContractKeyEnvelope(b"\x04" + bytes(64), bytes(48)),
        ContractKeyEnvelope(b"\x04" + bytes(63), bytes(48)),
        ContractKeyEnvelope(b"\x04" + bytes(64), bytes(47)),
    ],
)
def test_malformed_envelopes_raise_typed_errors(
    envelope: ContractKeyEnvelope, ecosystem: Ecosystem
) -> None:
    with pytest.raises(EnvelopeError):
        open_contract_key(envelope, ecosystem.oem_provisioning_key)


def test_iso15118_20_envelope_says_plainly_it_is_not_implemented(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    issued = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM"))
    assert issued.private_key is not None
    with pytest.raises(SpecificationGapError, match="not implemented"):
        seal_contract_key_20(
            issued.private_key, issued.certificate, ecosystem.certificates[Role.OEM_PROVISIONING]
        )


def test_the_iso15118_package_decrypts_our_envelope(
    ecosystem: Ecosystem, clock: FixedClock, peer_python: Path
) -> None:
    """Independent proof: the EV side of EcoG-io's iso15118 recovers the key we sealed."""
    issued = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM"))
    assert isinstance(issued.private_key, ec.EllipticCurvePrivateKey)
    envelope = seal_contract_key(
        issued.private_key,
        issued.certificate,
        ecosystem.certificates[Role.OEM_PROVISIONING],
        at=clock.now(),
    )
    vehicle_key = ecosystem.oem_provisioning_key
    assert isinstance(vehicle_key, ec.EllipticCurvePrivateKey)
    payload = json.dumps(
        {
            "recipient_key_pem": _pem(vehicle_key),
            "dh_public_key": envelope.dh_public_key.hex(),
            "encrypted": envelope.encrypted_private_key.hex(),
        }
    )
    answer = json.loads(run_peer(peer_python, "decrypt", payload))
    assert int(answer["private_value"], 16) == issued.private_key.private_numbers().private_value


def test_we_decrypt_an_envelope_the_iso15118_package_made(
    ecosystem: Ecosystem, clock: FixedClock, peer_python: Path
) -> None:
    """Independent proof the other way: their encrypt_priv_key, our open_contract_key."""
    issued = ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM"))
    assert isinstance(issued.private_key, ec.EllipticCurvePrivateKey)
    oem_der = ecosystem.certificates[Role.OEM_PROVISIONING].public_bytes(serialization.Encoding.DER)
    payload = json.dumps(
        {"recipient_cert_der": oem_der.hex(), "contract_key_pem": _pem(issued.private_key)}
    )
    answer = json.loads(run_peer(peer_python, "encrypt", payload))
    envelope = ContractKeyEnvelope(
        bytes.fromhex(answer["dh_public_key"]), bytes.fromhex(answer["encrypted"])
    )
    opened = open_contract_key(envelope, ecosystem.oem_provisioning_key)
    assert opened.private_numbers() == issued.private_key.private_numbers()
