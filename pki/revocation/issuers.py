"""Index of the CAs the revocation service speaks for, by their RFC 6960 CertID hashes.

OCSP requests and OCPP ``iso15118CertificateHashData`` name the issuer by a hash of its
DER subject and a hash of its public key (RFC 6960 section 4.1.1). The hashes of every CA are
computed once, for every algorithm a client may use, so a look-up is one dict probe.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448

from pki.builder import Issuer
from pki.errors import UnknownIssuerError

CERT_ID_HASHES = ("sha1", "sha256", "sha384", "sha512")


def public_key_bits(certificate: x509.Certificate) -> bytes:
    """The value of subjectPublicKey (the BIT STRING contents, RFC 6960 issuerKeyHash input)."""
    key = certificate.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        return key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    if isinstance(key, ed448.Ed448PublicKey):
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    raise UnknownIssuerError("issuer key type is not an ISO 15118 key type")


@dataclass(frozen=True, slots=True)
class IssuerHashes:
    """issuerNameHash and issuerKeyHash of one CA under one hash algorithm."""

    algorithm: str
    name_hash: bytes
    key_hash: bytes


def issuer_hashes(certificate: x509.Certificate, algorithm: str) -> IssuerHashes:
    """RFC 6960 4.1.1 CertID hashes of ``certificate`` as an issuer."""
    name = certificate.subject.public_bytes()
    bits = public_key_bits(certificate)
    return IssuerHashes(
        algorithm, hashlib.new(algorithm, name).digest(), hashlib.new(algorithm, bits).digest()
    )


class IssuerIndex:
    """Find a CA from (hash algorithm, issuerNameHash, issuerKeyHash)."""

    def __init__(self, issuers: Iterable[Issuer]) -> None:
        self._by_hash: dict[tuple[str, bytes, bytes], Issuer] = {}
        self._issuers: list[Issuer] = []
        for issuer in issuers:
            self._issuers.append(issuer)
            for algorithm in CERT_ID_HASHES:
                hashes = issuer_hashes(issuer.certificate, algorithm)
                self._by_hash[(algorithm, hashes.name_hash, hashes.key_hash)] = issuer

    def find(self, algorithm: str, name_hash: bytes, key_hash: bytes) -> Issuer | None:
        """The CA these hashes name, or ``None`` when we do not serve it."""
        return self._by_hash.get((algorithm.lower(), name_hash, key_hash))

    def by_role_value(self, role_value: str) -> Issuer:
        """The CA with the given profile role value (e.g. ``mo-sub2``)."""
        for issuer in self._issuers:
            if issuer.profile.role.value == role_value:
                return issuer
        raise UnknownIssuerError(f"no CA {role_value!r}")

    def __iter__(self) -> Iterator[Issuer]:
        return iter(self._issuers)
