"""OCSP responder logic (RFC 6960).

:class:`OcspResponder` turns a DER OCSPRequest into a signed DER OCSPResponse: good, revoked
or unknown per the registry, thisUpdate/nextUpdate from the injected clock, the request nonce
echoed (RFC 8954 / RFC 6960 4.4.1), and the responder identified by key hash (RFC 6960
4.2.2.3). Responses are signed by the issuing CA itself (RFC 6960 4.2.2.2, first case), so a
client needs no delegated-responder certificate to trust them.

Malformed input never raises out of :meth:`OcspResponder.respond`: it becomes a
``malformedRequest`` response, as RFC 6960 2.3 requires (this includes a negative CertID
serial and a nonce outside the 1..32 octets of RFC 8954 2.1); requests for CAs we do not serve
get ``unauthorized``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from pki.builder import Issuer
from pki.clock import Clock
from pki.errors import InputTooLargeError, OCSPRequestError, ParseError
from pki.revocation.issuers import IssuerIndex, issuer_hashes
from pki.revocation.registry import CertStatus, RevocationRegistry, StatusAnswer

MAX_REQUEST_BYTES = 8 * 1024
"""A single-certificate request is ~100 bytes; anything past 8 KiB is refused unread."""
MAX_NONCE_BYTES = 32
"""RFC 8954 2.1: the largest nonce a responder may accept (and echo)."""

_STATUS = {
    CertStatus.GOOD: ocsp.OCSPCertStatus.GOOD,
    CertStatus.REVOKED: ocsp.OCSPCertStatus.REVOKED,
    CertStatus.UNKNOWN: ocsp.OCSPCertStatus.UNKNOWN,
}
_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha1": hashes.SHA1(),  # noqa: S303 (RFC 6960 CertID default; a name, not a signature)
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


def parse_ocsp_request(data: bytes) -> ocsp.OCSPRequest:
    """Parse a DER OCSPRequest (RFC 6960 4.1.1); every failure is an :class:`OCSPRequestError`.

    Only single-certificate requests are supported (what chargers and ``openssl ocsp`` send).
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise OCSPRequestError("OCSP request must be bytes")
    if len(data) > MAX_REQUEST_BYTES:
        raise InputTooLargeError(f"OCSP request larger than {MAX_REQUEST_BYTES} bytes")
    try:
        request = ocsp.load_der_ocsp_request(bytes(data))
        # Touch every field now: the parser is lazy and could fail later, outside our guard.
        _ = (
            request.hash_algorithm,
            request.issuer_name_hash,
            request.issuer_key_hash,
            request.serial_number,
        )
        _ = request.extensions
        nonce = _nonce(request)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise OCSPRequestError("not a well-formed single-certificate OCSP request") from exc
    # RFC 5280 4.1.2.2: serials are positive; a negative CertID serial names nothing.
    if request.serial_number < 0:
        raise OCSPRequestError("CertID serialNumber is negative")
    # RFC 8954 2.1: a nonce has 1 to 32 octets; longer ones MUST get malformedRequest.
    if nonce is not None and not 1 <= len(nonce) <= MAX_NONCE_BYTES:
        raise OCSPRequestError(f"the nonce must have 1 to {MAX_NONCE_BYTES} octets (RFC 8954)")
    return request


def _nonce(request: ocsp.OCSPRequest) -> bytes | None:
    try:
        return request.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound:
        return None


class OcspResponder:
    """Answers OCSP for a set of CAs from a revocation registry."""

    def __init__(
        self,
        issuers: Iterable[Issuer],
        registry: RevocationRegistry,
        clock: Clock,
        *,
        validity: dt.timedelta = dt.timedelta(hours=4),
    ) -> None:
        self._index = issuers if isinstance(issuers, IssuerIndex) else IssuerIndex(issuers)
        self._registry = registry
        self._clock = clock
        self._validity = validity

    @property
    def index(self) -> IssuerIndex:
        """The CAs this responder speaks for."""
        return self._index

    def respond(self, request_der: bytes) -> bytes:
        """Answer one DER OCSPRequest with a DER OCSPResponse (RFC 6960 2.2, 2.3, 4.2)."""
        try:
            request = parse_ocsp_request(request_der)
        except ParseError:  # OCSPRequestError and InputTooLargeError alike
            return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        issuer = self._index.find(
            request.hash_algorithm.name, request.issuer_name_hash, request.issuer_key_hash
        )
        if issuer is None:
            return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
        response = self.response_for(
            issuer,
            request.serial_number,
            nonce=_nonce(request),
            algorithm=request.hash_algorithm.name,
            name_hash=request.issuer_name_hash,
            key_hash=request.issuer_key_hash,
        )
        return response.public_bytes(serialization.Encoding.DER)

    def response_for(
        self,
        issuer: Issuer,
        serial: int,
        *,
        nonce: bytes | None = None,
        algorithm: str = "sha256",
        name_hash: bytes | None = None,
        key_hash: bytes | None = None,
    ) -> ocsp.OCSPResponse:
        """A signed basic response about ``serial`` of ``issuer`` (RFC 6960 4.2.1).

        The CertID echoes the hashes the client used, so it can match the answer.
        """
        if name_hash is None or key_hash is None:
            hashes_ = issuer_hashes(issuer.certificate, algorithm)
            name_hash, key_hash = hashes_.name_hash, hashes_.key_hash
        answer: StatusAnswer = self._registry.status(issuer.issuer_id, serial)
        now = self._clock.now()
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response_by_hash(
                issuer_name_hash=name_hash,
                issuer_key_hash=key_hash,
                serial_number=serial,
                algorithm=_HASHES[algorithm],
                cert_status=_STATUS[answer.status],
                this_update=now,
                next_update=now + self._validity,
                revocation_time=answer.revoked_at,
                revocation_reason=answer.reason,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, issuer.certificate)
        )
        if nonce is not None:
            builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
        return issuer.keystore.sign_ocsp(issuer.handle, builder)


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(
        serialization.Encoding.DER
    )
