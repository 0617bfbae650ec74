"""OCPP 2.0.1 ``iso15118CertificateHashData`` (OCSPRequestDataType / CertificateHashDataType).

A charger asks about a contract certificate by hashAlgorithm, issuerNameHash, issuerKeyHash
and serialNumber, the RFC 6960 CertID fields. Chargers disagree on the encoding: OCPP 2.0.1
says hex, some send base64 hashes and decimal serials. We *produce* hex (lower case, serial
without leading zeros) and *accept* hex or base64 hashes and hex or decimal serials. A serial
made only of digits is ambiguous; both readings are tried, hex first, as OCPP specifies.
"""

from __future__ import annotations

import base64
import binascii
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography import x509

from pki.errors import ParseError
from pki.revocation.issuers import IssuerIndex, issuer_hashes
from pki.revocation.registry import UNKNOWN, CertStatus, RevocationRegistry, StatusAnswer

_MAX_FIELD = 256
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_DIGITS = re.compile(r"^[0-9]+$")


class HashAlgorithm(enum.Enum):
    """OCPP 2.0.1 HashAlgorithmEnumType."""

    SHA256 = "SHA256"
    SHA384 = "SHA384"
    SHA512 = "SHA512"

    @property
    def digest_size(self) -> int:
        """Bytes of a digest of this algorithm."""
        return {"SHA256": 32, "SHA384": 48, "SHA512": 64}[self.value]

    @property
    def hashlib_name(self) -> str:
        """Name understood by :mod:`hashlib`."""
        return self.value.lower()


@dataclass(frozen=True, slots=True)
class CertificateHashData:
    """The CertID of one certificate, decoded."""

    hash_algorithm: HashAlgorithm
    issuer_name_hash: bytes
    issuer_key_hash: bytes
    serial_number: int

    def to_ocpp(self) -> dict[str, str]:
        """The OCPP 2.0.1 JSON form: hex hashes, hex serial without leading zeros."""
        return {
            "hashAlgorithm": self.hash_algorithm.value,
            "issuerNameHash": self.issuer_name_hash.hex(),
            "issuerKeyHash": self.issuer_key_hash.hex(),
            "serialNumber": f"{self.serial_number:x}",
        }


def compute_hash_data(
    certificate: x509.Certificate,
    issuer: x509.Certificate,
    algorithm: HashAlgorithm = HashAlgorithm.SHA256,
) -> CertificateHashData:
    """CertificateHashData of ``certificate`` (OCPP 2.0.1 2.6, RFC 6960 4.1.1 CertID)."""
    hashes = issuer_hashes(issuer, algorithm.hashlib_name)
    return CertificateHashData(
        algorithm, hashes.name_hash, hashes.key_hash, certificate.serial_number
    )


def _decode_hash(value: object, algorithm: HashAlgorithm, field: str) -> bytes:
    if not isinstance(value, str) or not value or len(value) > _MAX_FIELD:
        raise ParseError(f"{field} must be a non-empty string")
    text = value.strip()
    if len(text) == 2 * algorithm.digest_size and _HEX.match(text):
        return bytes.fromhex(text)
    try:
        padded = text + "=" * (-len(text) % 4)
        altchars = b"-_" if ("-" in text or "_" in text) else None
        raw = base64.b64decode(padded, altchars=altchars, validate=True)
    except (binascii.Error, ValueError):
        raise ParseError(f"{field} is neither hex nor base64") from None
    if len(raw) != algorithm.digest_size:
        raise ParseError(f"{field} is not a {algorithm.value} digest")
    return raw


def _serial_candidates(value: object) -> list[int]:
    if not isinstance(value, str) or not value or len(value) > 64:
        raise ParseError("serialNumber must be a non-empty string")
    text = value.strip().removeprefix("0x").removeprefix("0X")
    if not _HEX.match(text):
        raise ParseError("serialNumber is neither hex nor decimal")
    candidates = [int(text, 16)]
    if _DIGITS.match(text) and int(text, 10) != candidates[0]:
        candidates.append(int(text, 10))
    return candidates


def parse_hash_data(data: Mapping[str, object]) -> list[CertificateHashData]:
    """Decode an OCPP hash-data object; several results when the serial is ambiguous.

    Every malformed field raises :class:`~pki.errors.ParseError`.
    """
    if not isinstance(data, Mapping):
        raise ParseError("hash data must be an object")
    try:
        algorithm = HashAlgorithm(str(data.get("hashAlgorithm", "")).upper().replace("-", ""))
    except ValueError:
        raise ParseError("hashAlgorithm must be SHA256, SHA384 or SHA512") from None
    name_hash = _decode_hash(data.get("issuerNameHash"), algorithm, "issuerNameHash")
    key_hash = _decode_hash(data.get("issuerKeyHash"), algorithm, "issuerKeyHash")
    return [
        CertificateHashData(algorithm, name_hash, key_hash, serial)
        for serial in _serial_candidates(data.get("serialNumber"))
    ]


class HashDataResolver:
    """Answers OCPP ``iso15118CertificateHashData`` status look-ups from the registry."""

    def __init__(self, index: IssuerIndex, registry: RevocationRegistry) -> None:
        self._index = index
        self._registry = registry

    def status(self, data: Mapping[str, object]) -> tuple[CertificateHashData | None, StatusAnswer]:
        """Status of the certificate named by ``data`` (OCPP 2.0.1 AuthorizeRequest hash data).

        Returns the reading that matched (normalised, for a hex echo) and its status; an
        issuer we do not serve or a serial we never issued is ``unknown``.
        """
        for candidate in parse_hash_data(data):
            issuer = self._index.find(
                candidate.hash_algorithm.hashlib_name,
                candidate.issuer_name_hash,
                candidate.issuer_key_hash,
            )
            if issuer is None:
                continue
            answer = self._registry.status(issuer.issuer_id, candidate.serial_number)
            if answer.status is not CertStatus.UNKNOWN:
                return candidate, answer
        return None, UNKNOWN
