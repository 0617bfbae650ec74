"""The contract-key envelope sent to the vehicle.

ISO 15118-2 CertificateInstallationRes and CertificateUpdateRes carry the contract private
key encrypted for the vehicle [V2G2-818]:

* ECDH on secp256r1 between a fresh ephemeral key and the recipient's static key: the OEM
  provisioning certificate (installation) or the current contract certificate (update);
* key = first 16 bytes of SHA-256(00000001 || Z || OtherInfo), the NIST SP 800-56A
  concatenation KDF with OtherInfo = AlgorithmID 0x01, PartyUInfo 'U' (0x55), PartyVInfo
  'V' (0x56);
* AES-128-CBC over the 32-byte private scalar, no padding, with a random 16-byte IV
  prepended: ``ContractSignatureEncryptedPrivateKey`` is 48 bytes;
* ``DHpublickey`` is the 65-byte uncompressed ephemeral point.

CBC gives no integrity, so :func:`seal_contract_key` checks that the private key belongs to
the contract certificate before anything leaves the backend.

Who the recipient is matters as much: a key sealed for a forged "OEM provisioning"
certificate goes to whoever forged it. :func:`seal_contract_key` checks what it can on the
certificate alone (secp256r1 key, validity at the given time); validating the recipient's
chain against the OEM or V2G/MO trust anchors is the caller's job, done in one call by
:func:`seal_for_validated_recipient`.

ISO 15118-20 changes the envelope (secp521r1 or X448 ECDH, an authenticated cipher, a
94-byte ``SECP521_EncryptedPrivateKey`` or 84-byte ``X448_EncryptedPrivateKey``). The KDF
inputs and the cipher layout of -20 are not implemented here: :func:`seal_contract_key_20`
raises :class:`~pki.errors.SpecificationGapError` rather than producing bytes a vehicle may
not read. See ``docs/pki.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from pki.clock import to_utc
from pki.errors import (
    EnvelopeError,
    KeyMismatchError,
    RecipientCertificateError,
    SpecificationGapError,
    UnsupportedAlgorithmError,
)
from pki.findings import Mode
from pki.keystore import PrivateKey
from pki.profiles import Role
from pki.validation import ChainValidator

ENCRYPTED_KEY_BYTES = 48
"""IV (16) + AES-128-CBC of the 32-byte scalar: -2 ContractSignatureEncryptedPrivateKey."""
DH_PUBLIC_KEY_BYTES = 65
"""Uncompressed secp256r1 point (ISO 15118-2 DHpublickey)."""
ISO15118_20_SECP521_ENCRYPTED_KEY_BYTES = 94
"""Size of SECP521_EncryptedPrivateKey in the ISO 15118-20 schema."""
ISO15118_20_X448_ENCRYPTED_KEY_BYTES = 84
"""Size of X448_EncryptedPrivateKey in the ISO 15118-20 schema."""

_OTHER_INFO = b"\x01\x55\x56"
_COUNTER = b"\x00\x00\x00\x01"
_SCALAR_BYTES = 32


@dataclass(frozen=True, slots=True)
class ContractKeyEnvelope:
    """What goes into CertificateInstallationRes / CertificateUpdateRes besides the chain."""

    dh_public_key: bytes
    encrypted_private_key: bytes

    def __repr__(self) -> str:
        # The ciphertext is not secret on the wire, but repr ends up in logs; keep it short.
        head = self.dh_public_key[:4].hex()
        return f"ContractKeyEnvelope(dh_public_key={head}..., encrypted_private_key=48 bytes)"


def derive_envelope_key(shared_secret: bytes) -> bytes:
    """ISO 15118-2 [V2G2-818] concatenation KDF: SHA-256(counter || Z || OtherInfo)[:16].

    One hash block is enough for a 16-byte key, so the counter is always 1.
    """
    return hashlib.sha256(_COUNTER + shared_secret + _OTHER_INFO).digest()[:16]


def _p256_public(certificate: x509.Certificate, what: str) -> ec.EllipticCurvePublicKey:
    key = certificate.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise UnsupportedAlgorithmError(
            f"the {what} certificate must carry a secp256r1 key (ISO 15118-2)"
        )
    return key


def _point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def check_key_matches(private_key: PrivateKey, certificate: x509.Certificate) -> None:
    """Refuse to proceed when ``private_key`` is not the key of ``certificate``.

    The envelope has no integrity protection (AES-CBC), so a vehicle would install a
    mismatching key without noticing; this check is the only guard.
    """
    # Key objects compare by value; the SPKI comparison covers types that do not.
    public = private_key.public_key()
    if public == certificate.public_key():
        return
    if _spki(public) != _spki(certificate.public_key()):
        raise KeyMismatchError("the contract private key does not match the contract certificate")


def _spki(key: object) -> bytes:
    try:
        return key.public_bytes(  # type: ignore[attr-defined, no-any-return]
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except (AttributeError, ValueError, TypeError):
        raise KeyMismatchError("unsupported key type in contract certificate") from None


def _check_recipient_validity(certificate: x509.Certificate, at: dt.datetime) -> None:
    # Inclusive at both ends, as in chain validation (RFC 5280 4.1.2.5).
    if at > certificate.not_valid_after_utc:
        raise RecipientCertificateError(
            f"the recipient certificate expired {certificate.not_valid_after_utc.isoformat()}"
        )
    if at < certificate.not_valid_before_utc:
        raise RecipientCertificateError(
            "the recipient certificate is not valid before "
            f"{certificate.not_valid_before_utc.isoformat()}"
        )


def seal_contract_key(
    contract_key: PrivateKey,
    contract_certificate: x509.Certificate,
    recipient_certificate: x509.Certificate,
    *,
    at: dt.datetime | None = None,
) -> ContractKeyEnvelope:
    """Encrypt the contract private key for the vehicle (ISO 15118-2 [V2G2-818]).

    ``recipient_certificate`` is the OEM provisioning certificate for a
    CertificateInstallationRes, or the contract certificate being replaced for a
    CertificateUpdateRes. It must carry a secp256r1 key (else
    :class:`~pki.errors.UnsupportedAlgorithmError`) and be inside its validity period at
    ``at`` (default: the current UTC time; callers with an injected clock pass
    ``clock.now()``), else :class:`~pki.errors.RecipientCertificateError`.

    This function does **not** validate the recipient's certificate chain: the caller
    must have validated it against the ecosystem's trust anchors (OEM root for provisioning
    certificates, V2G/MO root for contract certificates), or use
    :func:`seal_for_validated_recipient`, which does both.
    """
    check_key_matches(contract_key, contract_certificate)
    if not isinstance(contract_key, ec.EllipticCurvePrivateKey) or not isinstance(
        contract_key.curve, ec.SECP256R1
    ):
        raise UnsupportedAlgorithmError("ISO 15118-2 contract keys are secp256r1")
    recipient = _p256_public(recipient_certificate, "recipient")
    _check_recipient_validity(
        recipient_certificate, dt.datetime.now(dt.UTC) if at is None else to_utc(at)
    )
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    key = derive_envelope_key(ephemeral.exchange(ec.ECDH(), recipient))
    iv = os.urandom(16)
    scalar = contract_key.private_numbers().private_value.to_bytes(_SCALAR_BYTES, "big")
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(scalar) + encryptor.finalize()
    return ContractKeyEnvelope(_point(ephemeral.public_key()), iv + ciphertext)


RECIPIENT_ROLES = (Role.OEM_PROVISIONING, Role.CONTRACT)
"""Installation encrypts for the OEM provisioning certificate, update for the contract one."""


def seal_for_validated_recipient(
    contract_key: PrivateKey,
    contract_certificate: x509.Certificate,
    recipient_chain: Sequence[x509.Certificate | bytes],
    *,
    validator: ChainValidator,
    recipient_role: Role,
    at: dt.datetime,
    mode: Mode = Mode.LENIENT,
) -> ContractKeyEnvelope:
    """Validate the recipient's chain, then :func:`seal_contract_key` for its leaf.

    ``recipient_chain`` is leaf first (the OEM provisioning certificate with its OEM
    sub-CAs, or the current contract certificate with its MO sub-CAs); ``validator`` holds
    the trust anchors of that hierarchy (OEM root, or V2G/MO roots). ``mode`` defaults to
    ``LENIENT`` because recipients are usually foreign (OEM) chains: RFC 5280 path rules,
    validity, signatures, the trust anchor and the ISO 15118 key types are errors in both
    modes. Any error raises :class:`~pki.errors.RecipientCertificateError` naming the
    finding codes. Revocation of the recipient is not checked here.
    """
    if recipient_role not in RECIPIENT_ROLES:
        raise RecipientCertificateError(
            f"a contract key is sealed for an OEM provisioning or contract certificate, "
            f"not {recipient_role.value}"
        )
    if not recipient_chain:
        raise RecipientCertificateError("no recipient certificate")
    result = validator.validate(recipient_chain, at, leaf_role=recipient_role, mode=mode)
    if not result.ok:
        codes = ", ".join(sorted({f.code.value for f in result.errors}))
        raise RecipientCertificateError(
            f"the recipient {recipient_role.value} certificate chain is not valid: {codes}"
        )
    leaf = recipient_chain[0]
    if not isinstance(leaf, x509.Certificate):
        leaf = x509.load_der_x509_certificate(bytes(leaf))  # parsed fine by the validator
    return seal_contract_key(contract_key, contract_certificate, leaf, at=at)


def open_contract_key(
    envelope: ContractKeyEnvelope, recipient_key: PrivateKey
) -> ec.EllipticCurvePrivateKey:
    """Decrypt an envelope with the vehicle's static key (the EV side of [V2G2-818]).

    Used when we hold the recipient key: tests, and checking envelopes made by others.
    """
    if not isinstance(recipient_key, ec.EllipticCurvePrivateKey) or not isinstance(
        recipient_key.curve, ec.SECP256R1
    ):
        raise UnsupportedAlgorithmError("the recipient key must be secp256r1")
    if (
        len(envelope.dh_public_key) != DH_PUBLIC_KEY_BYTES
        or len(envelope.encrypted_private_key) != ENCRYPTED_KEY_BYTES
    ):
        raise EnvelopeError("an ISO 15118-2 envelope has a 65-byte DH key and 48 encrypted bytes")
    try:
        peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), envelope.dh_public_key)
    except ValueError:
        raise EnvelopeError("DHpublickey is not a point on secp256r1") from None
    key = derive_envelope_key(recipient_key.exchange(ec.ECDH(), peer))
    iv, ciphertext = envelope.encrypted_private_key[:16], envelope.encrypted_private_key[16:]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    scalar = int.from_bytes(decryptor.update(ciphertext) + decryptor.finalize(), "big")
    try:
        return ec.derive_private_key(scalar, ec.SECP256R1())
    except ValueError:
        # A wrong recipient key yields a random scalar, usually still in range; callers
        # detect that with check_key_matches against the contract certificate.
        raise EnvelopeError("the decrypted value is not a secp256r1 private key") from None


def seal_contract_key_20(
    contract_key: PrivateKey,
    contract_certificate: x509.Certificate,
    recipient_certificate: x509.Certificate,
) -> ContractKeyEnvelope:
    """ISO 15118-20 envelope: not implemented, deliberately.

    What -20 fixes and we rely on elsewhere: the ECDH curves (secp521r1, X448) and the
    field sizes (94 and 84 bytes). What we do not implement: the KDF OtherInfo and the
    authenticated-cipher nonce/tag layout that produce those bytes. Rather than guess, this
    raises :class:`~pki.errors.SpecificationGapError` after the checks we can make.
    """
    check_key_matches(contract_key, contract_certificate)
    del recipient_certificate
    raise SpecificationGapError(
        "the ISO 15118-20 contract-key envelope (KDF inputs and AEAD layout) is not implemented; "
        "see docs/pki.md"
    )
