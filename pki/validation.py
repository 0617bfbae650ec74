"""Certificate chain validation against trust anchors at an explicit time.

Implements the checks of RFC 5280 section 6.1 that ISO 15118 chains need (signature, validity,
name chaining, basicConstraints, pathLen, keyUsage, unknown critical extensions) plus the
role profiles of :mod:`pki.profiles` (ISO 15118-2 Annex F): key type and curve, signature
hash, EMAID/PCID in the CN, DC, size and lifetime limits.

Two modes: ``STRICT`` for chains we issue, where every profile rule is an error, and
``LENIENT`` for foreign chains (e.g. Hubject's QA contract leaves, which carry neither keyUsage
nor basicConstraints), where profile deviations are warnings and only the RFC 5280 rules and
the ISO 15118 algorithm set are errors. The result lists every finding, not just the first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448

from pki.clock import to_utc
from pki.errors import ParseError
from pki.findings import Finding, FindingCode, Mode, Severity, ValidationResult
from pki.profile_checks import ProfileChecks
from pki.profiles import ISSUER_ROLE, Role, Standard, profile_for

_MAX_CHAIN = 8
_MAX_CERT_BYTES = 16 * 1024
_MAX_CACHE = 4096  # entries per cache; foreign sub-CAs must not grow memory without bound


def load_certificate(data: bytes) -> x509.Certificate:
    """Parse one DER certificate, mapping every decoder failure to :class:`ParseError`."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ParseError("certificate must be DER bytes")
    if len(data) > _MAX_CERT_BYTES:
        raise ParseError("certificate larger than 16 KiB")
    try:
        cert = x509.load_der_x509_certificate(bytes(data))
    except (ValueError, x509.InvalidVersion) as exc:  # InvalidVersion is no ValueError
        raise ParseError("not a DER X.509 certificate") from exc
    return decoded(cert)


def decoded(cert: x509.Certificate) -> x509.Certificate:
    """Force the fields ``cryptography`` decodes lazily; a bad one is a :class:`ParseError`.

    ``load_der_x509_certificate`` checks only the outer structure: a malformed extension,
    name or time would otherwise raise ``ValueError`` later, in the middle of validation.
    """
    try:
        _ = (cert.subject, cert.issuer, cert.not_valid_before_utc, cert.not_valid_after_utc)
        _ = cert.extensions
    except ValueError as exc:
        raise ParseError(f"malformed certificate field: {exc}") from exc
    return cert


def _subject(cert: x509.Certificate) -> str:
    return _name(cert.subject)


def _name(name: x509.Name) -> str:
    try:
        return name.rfc4514_string()
    except ValueError:
        return "<unprintable name>"


def _spki(key: object) -> bytes:
    return key.public_bytes(  # type: ignore[attr-defined, no-any-return]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


class ChainValidator:
    """Validates chains against a fixed set of trust anchors, caching what never changes.

    Sub-CA certificates repeat across thousands of validations: their parsing, their
    time-independent findings and their signature check are cached per DER and issuer key.
    Validity against ``at`` is evaluated on every call.
    """

    def __init__(
        self, anchors: Sequence[x509.Certificate], standard: Standard = Standard.ISO15118_2
    ) -> None:
        self._standard = standard
        self._anchors: dict[bytes, list[x509.Certificate]] = {}
        for anchor in anchors:
            self._anchors.setdefault(anchor.subject.public_bytes(), []).append(anchor)
        self._parsed: dict[bytes, x509.Certificate] = {}
        self._static: dict[
            tuple[bytes, Role, Mode, int], tuple[tuple[FindingCode, Severity, str], ...]
        ] = {}
        self._signatures: dict[tuple[bytes, bytes, bytes], bool] = {}

    def validate(
        self,
        chain: Sequence[x509.Certificate | bytes],
        at: dt.datetime,
        *,
        leaf_role: Role,
        mode: Mode = Mode.STRICT,
    ) -> ValidationResult:
        """Validate ``chain`` (leaf first, root optional) at ``at``.

        RFC 5280 section 6.1 path checks plus the ISO 15118-2 Annex F role profiles.
        """
        when = to_utc(at)
        findings: list[Finding] = []
        if not chain:
            return ValidationResult(
                (Finding(FindingCode.EMPTY_CHAIN, Severity.ERROR, 0, "", "no certificate"),), None
            )
        if len(chain) > _MAX_CHAIN:
            return ValidationResult(
                (
                    Finding(
                        FindingCode.CHAIN_TOO_LONG, Severity.ERROR, 0, "", f"more than {_MAX_CHAIN}"
                    ),
                ),
                None,
            )
        certs: list[x509.Certificate] = []
        for index, item in enumerate(chain):
            try:
                certs.append(self._parse(item, cache=index > 0))
            except ParseError as exc:
                return ValidationResult(
                    (
                        Finding(
                            FindingCode.MALFORMED_CERTIFICATE, Severity.ERROR, index, "", str(exc)
                        ),
                    ),
                    None,
                )
        # A chain may end with its own root; the anchor set decides trust, not the sender.
        if len(certs) > 1 and certs[-1].issuer == certs[-1].subject and self._is_anchor(certs[-1]):
            certs.pop()
        roles = self._roles(leaf_role, len(certs))
        max_intermediates = len(roles) - 1
        if len(certs) - 1 > max_intermediates:
            findings.append(
                Finding(
                    FindingCode.CHAIN_TOO_LONG,
                    Severity.ERROR,
                    len(certs) - 1,
                    _subject(certs[-1]),
                    f"{leaf_role.value} chains have at most {max_intermediates} sub-CAs",
                )
            )
        for index, cert in enumerate(certs):
            role = roles[min(index, len(roles) - 1)]
            self._check_time(cert, index, when, findings)
            if index == 0:
                static = self._static_findings(cert, role, mode, index)
            else:
                key = (cert.tbs_certificate_bytes + cert.signature, role, mode, index)
                cached = self._static.get(key)
                if cached is None:
                    cached = self._static_findings(cert, role, mode, index)
                    if len(self._static) > _MAX_CACHE:
                        self._static.clear()
                    self._static[key] = cached
                static = cached
            findings.extend(
                Finding(code, sev, index, _subject(cert), detail) for code, sev, detail in static
            )
            if index + 1 < len(certs):
                self._check_link(cert, certs[index + 1], index, findings)
        anchor = self._find_anchor(certs[-1], len(certs), when, findings)
        return ValidationResult(tuple(findings), anchor)

    def _parse(self, item: x509.Certificate | bytes, *, cache: bool) -> x509.Certificate:
        if isinstance(item, x509.Certificate):
            return decoded(item)
        if not isinstance(item, bytes | bytearray | memoryview):
            raise ParseError("a chain element must be a certificate or DER bytes")
        if not cache:
            return load_certificate(item)
        data = bytes(item)
        cert = self._parsed.get(data)
        if cert is None:
            cert = load_certificate(data)
            if len(self._parsed) > _MAX_CACHE:
                self._parsed.clear()
            self._parsed[data] = cert
        return cert

    def _is_anchor(self, cert: x509.Certificate) -> bool:
        return any(a == cert for a in self._anchors.get(cert.subject.public_bytes(), []))

    @staticmethod
    def _roles(leaf_role: Role, count: int) -> list[Role]:
        roles = [leaf_role]
        while (parent := ISSUER_ROLE[roles[-1]]) is not None and ISSUER_ROLE[parent] is not None:
            roles.append(parent)
        del count
        return roles

    @staticmethod
    def _check_time(
        cert: x509.Certificate, index: int, when: dt.datetime, out: list[Finding]
    ) -> None:
        if when < cert.not_valid_before_utc:
            out.append(
                Finding(
                    FindingCode.NOT_YET_VALID,
                    Severity.ERROR,
                    index,
                    _subject(cert),
                    f"valid from {cert.not_valid_before_utc.isoformat()}",
                )
            )
        if when > cert.not_valid_after_utc:
            out.append(
                Finding(
                    FindingCode.EXPIRED,
                    Severity.ERROR,
                    index,
                    _subject(cert),
                    f"expired {cert.not_valid_after_utc.isoformat()}",
                )
            )

    def _check_link(
        self, cert: x509.Certificate, issuer: x509.Certificate, index: int, out: list[Finding]
    ) -> None:
        if cert.issuer != issuer.subject:
            out.append(
                Finding(
                    FindingCode.NAME_CHAINING,
                    Severity.ERROR,
                    index,
                    _subject(cert),
                    f"issuer {_name(cert.issuer)} is not the next subject",
                )
            )
        if not self._signature_ok(cert, issuer):
            out.append(
                Finding(
                    FindingCode.SIGNATURE_INVALID,
                    Severity.ERROR,
                    index,
                    _subject(cert),
                    f"signature does not verify with the key of {_subject(issuer)}",
                )
            )

    def _signature_ok(self, cert: x509.Certificate, issuer: x509.Certificate) -> bool:
        try:
            issuer_key = issuer.public_key()
            key = (cert.tbs_certificate_bytes, cert.signature, _spki(issuer_key))
        except (ValueError, UnsupportedAlgorithm):
            return False
        cached = self._signatures.get(key)
        if cached is not None:
            return cached
        ok = _verify(cert, issuer_key)
        if len(self._signatures) > _MAX_CACHE:
            self._signatures.clear()
        self._signatures[key] = ok
        return ok

    def _find_anchor(
        self, top: x509.Certificate, index: int, when: dt.datetime, out: list[Finding]
    ) -> x509.Certificate | None:
        candidates = self._anchors.get(top.issuer.public_bytes(), [])
        for anchor in candidates:
            if self._signature_ok(top, anchor):
                self._check_time(anchor, index, when, out)
                try:
                    bc = anchor.extensions.get_extension_for_class(x509.BasicConstraints).value
                    if bc.path_length is not None and bc.path_length < index - 1:
                        out.append(
                            Finding(
                                FindingCode.PATH_LENGTH_EXCEEDED,
                                Severity.ERROR,
                                index,
                                _subject(anchor),
                                f"anchor pathLen {bc.path_length}, {index - 1} sub-CAs below",
                            )
                        )
                except x509.ExtensionNotFound:
                    pass
                return anchor
        code = FindingCode.SIGNATURE_INVALID if candidates else FindingCode.NO_TRUST_ANCHOR
        out.append(
            Finding(
                code,
                Severity.ERROR,
                index - 1,
                _subject(top),
                f"no trust anchor named {_name(top.issuer)} signed this certificate",
            )
        )
        return None

    def _static_findings(
        self, cert: x509.Certificate, role: Role, mode: Mode, index: int
    ) -> tuple[tuple[FindingCode, Severity, str], ...]:
        profile = profile_for(role, self._standard)
        checks = ProfileChecks(cert, profile, mode, index)
        checks.run()
        return tuple(checks.found)


def _verify(cert: x509.Certificate, issuer_key: object) -> bool:
    try:
        if isinstance(issuer_key, ec.EllipticCurvePublicKey):
            algorithm = cert.signature_hash_algorithm
            if algorithm is None:
                return False
            issuer_key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(algorithm))
            return True
        if isinstance(issuer_key, ed448.Ed448PublicKey):
            issuer_key.verify(cert.signature, cert.tbs_certificate_bytes)
            return True
    except (InvalidSignature, UnsupportedAlgorithm, ValueError):
        return False
    return False


def validate_chain(
    chain: Sequence[x509.Certificate | bytes],
    anchors: Sequence[x509.Certificate],
    at: dt.datetime,
    *,
    leaf_role: Role,
    mode: Mode = Mode.STRICT,
    standard: Standard = Standard.ISO15118_2,
) -> ValidationResult:
    """One-off validation (RFC 5280 6.1, ISO 15118-2 Annex F); see :class:`ChainValidator`."""
    return ChainValidator(anchors, standard).validate(chain, at, leaf_role=leaf_role, mode=mode)


__all__ = [
    "ChainValidator",
    "Finding",
    "FindingCode",
    "Mode",
    "Severity",
    "ValidationResult",
    "decoded",
    "load_certificate",
    "validate_chain",
]
