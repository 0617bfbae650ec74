"""The ISO 15118-2 contract-key envelope, checked against an implementation we did not write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pki_testkit import run_peer, self_signed_p384

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
)
from pki.errors import (
    EnvelopeError,
    KeyMismatchError,
    SpecificationGapError,
    UnsupportedAlgorithmError,
)
from pki.profiles import Role


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
        issued.private_key, issued.certificate, ecosystem.certificates[Role.OEM_PROVISIONING]
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
    envelope = seal_contract_key(renewed.private_key, renewed.certificate, current.certificate)
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
        seal_contract_key(issued.private_key, issued.certificate, self_signed_p384())


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
        issued.private_key, issued.certificate, ecosystem.certificates[Role.OEM_PROVISIONING]
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
