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

ISO 15118-20 changes the envelope (secp521r1 or X448 ECDH, an authenticated cipher, a
94-byte ``SECP521_EncryptedPrivateKey`` or 84-byte ``X448_EncryptedPrivateKey``). The KDF
inputs and the cipher layout of -20 are not implemented here: :func:`seal_contract_key_20`
raises :class:`~pki.errors.SpecificationGapError` rather than producing bytes a vehicle may
not read. See ``docs/pki.md``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from pki.errors import (
    EnvelopeError,
    KeyMismatchError,
    SpecificationGapError,
    UnsupportedAlgorithmError,
)
from pki.keystore import PrivateKey

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


def seal_contract_key(
    contract_key: PrivateKey,
    contract_certificate: x509.Certificate,
    recipient_certificate: x509.Certificate,
) -> ContractKeyEnvelope:
    """Encrypt the contract private key for the vehicle (ISO 15118-2 [V2G2-818]).

    ``recipient_certificate`` is the OEM provisioning certificate for a
    CertificateInstallationRes, or the contract certificate being replaced for a
    CertificateUpdateRes.
    """
    check_key_matches(contract_key, contract_certificate)
    assert isinstance(contract_key, ec.EllipticCurvePrivateKey)  # noqa: S101 (narrowed above)
    if not isinstance(contract_key.curve, ec.SECP256R1):
        raise UnsupportedAlgorithmError("ISO 15118-2 contract keys are secp256r1")
    recipient = _p256_public(recipient_certificate, "recipient")
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    key = derive_envelope_key(ephemeral.exchange(ec.ECDH(), recipient))
    iv = os.urandom(16)
    scalar = contract_key.private_numbers().private_value.to_bytes(_SCALAR_BYTES, "big")
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(scalar) + encryptor.finalize()
    return ContractKeyEnvelope(_point(ephemeral.public_key()), iv + ciphertext)


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
