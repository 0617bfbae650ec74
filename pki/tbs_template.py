"""Template encoder of leaf TBSCertificates for one issuer and profile (RFC 5280 section 4.1).

For a given issuing CA and leaf profile almost every byte of the TBSCertificate is fixed:
the version, the signature AlgorithmIdentifier (4.1.2.3), the issuer Name (4.1.2.4), the
O / C / DC attributes of the subject, basicConstraints, keyUsage, AKI, AIA/OCSP and the CRL
distribution point. Only the serialNumber (4.1.2.2), the validity (4.1.2.5), the subject CN
(4.1.2.6: the EMAID for a contract certificate, ISO 15118-2 Annex F), the
subjectPublicKeyInfo (4.1.2.7) and the subject key identifier (4.2.1.2) change per
certificate. :class:`TbsTemplate` encodes the fixed parts once, splices the variable parts
in with DER lengths (ITU-T X.690), signs the TBS bytes through the key store and wraps the
result into a Certificate (4.1.1). That skips ``CertificateBuilder``'s per-call object model,
which costs several times the signature itself.

Why the output can be trusted to equal the reference (:func:`pki.builder.reference_builder`):

* the fixed parts are encoded by ``cryptography`` itself (``Name.public_bytes``,
  ``ExtensionType.public_bytes``) from the very extension lists the builder uses;
* the constructor self-checks: it encodes probe certificates with both encoders and raises
  :class:`~pki.errors.TemplateMismatchError` unless the TBS bytes are identical;
* ``tests/pki/test_tbs_template.py`` compares the two for many EMAIDs, serials, times and
  all ISO 15118 key types, and re-validates the results strictly and with ``openssl``.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448
from cryptography.x509.oid import ExtensionOID, NameOID

from pki.builder import (
    Issuer,
    check_request,
    issuer_extensions,
    profile_extensions,
    reference_builder,
    subject_name,
)
from pki.errors import IssuanceError, ProfileError, TemplateMismatchError
from pki.keystore import PublicKey
from pki.profiles import CertificateProfile, KeyType

# X.690 universal tags used below.
_BOOLEAN_TRUE = b"\x01\x01\xff"
_INTEGER = 0x02
_BIT_STRING = 0x03
_OCTET_STRING = 0x04
_UTF8_STRING = 0x0C
_SEQUENCE = 0x30
_SET = 0x31
_UTC_TIME = 0x17
_GENERALIZED_TIME = 0x18
_EXTENSIONS = 0xA3  # [3] EXPLICIT in TBSCertificate

_MAX_SERIAL_BITS = 159  # 20 octets at most (RFC 5280 4.1.2.2), positive, as cryptography allows
_MAX_CN = 64  # ub-common-name, RFC 5280 Appendix A.1
_PROBE_SECONDS = 86_400
_KEY_ID_BYTES = 20  # SHA-1, RFC 5280 4.2.1.2 method (1)


def der_length(length: int) -> bytes:
    """DER definite length (X.690 8.1.3): short form below 128, else long form."""
    if length < 0x80:
        return bytes((length,))
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def tlv(tag: int, content: bytes) -> bytes:
    """One DER element: tag, definite length, content."""
    return bytes((tag,)) + der_length(len(content)) + content


def der_oid(dotted: str) -> bytes:
    """OBJECT IDENTIFIER (X.690 8.19): first two arcs packed, base-128 sub-identifiers."""
    arcs = [int(a) for a in dotted.split(".")]
    out = bytearray()
    for arc in (40 * arcs[0] + arcs[1], *arcs[2:]):
        chunk = [arc & 0x7F]
        rest = arc >> 7
        while rest:
            chunk.append(0x80 | (rest & 0x7F))
            rest >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, bytes(out))


def der_positive_integer(value: int) -> bytes:
    """INTEGER (X.690 8.3) of a positive value: minimal two's complement, so a leading
    zero octet appears exactly when the top bit of the magnitude is set."""
    return tlv(_INTEGER, value.to_bytes((value.bit_length() + 8) // 8, "big"))


def der_time(value: dt.datetime) -> bytes:
    """RFC 5280 4.1.2.5: UTCTime for 1950-2049, GeneralizedTime otherwise, in UTC with
    seconds and no fraction (4.1.2.5.1/4.1.2.5.2), which is also how the builder
    truncates microseconds."""
    t = value.astimezone(dt.UTC) if value.tzinfo is not None else value
    hms = f"{t.month:02d}{t.day:02d}{t.hour:02d}{t.minute:02d}{t.second:02d}Z"
    if 1950 <= t.year < 2050:
        return tlv(_UTC_TIME, f"{t.year % 100:02d}{hms}".encode("ascii"))
    return tlv(_GENERALIZED_TIME, f"{t.year:04d}{hms}".encode("ascii"))


def der_extension(value: x509.ExtensionType, critical: bool) -> bytes:
    """Extension (RFC 5280 4.1): extnID, critical, extnValue. ``critical`` is
    DEFAULT FALSE, which DER (X.690 11.5) omits, so it is written only when true."""
    flag = _BOOLEAN_TRUE if critical else b""
    body = der_oid(value.oid.dotted_string) + flag + tlv(_OCTET_STRING, value.public_bytes())
    return tlv(_SEQUENCE, body)


def _element(data: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at ``offset``."""
    tag = data[offset]
    first = data[offset + 1]
    start = offset + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise ProfileError("truncated DER element")
    return tag, start, end


def subject_public_key_bits(spki: bytes) -> bytes:
    """The subjectPublicKey BIT STRING content of a SubjectPublicKeyInfo (RFC 5280 4.1.2.7),
    i.e. what the SKI hashes under RFC 5280 4.2.1.2 method (1)."""
    _, start, _ = _element(spki, 0)
    _, _, algorithm_end = _element(spki, start)
    tag, bits_start, bits_end = _element(spki, algorithm_end)
    if tag != _BIT_STRING or spki[bits_start] != 0:
        raise ProfileError("subjectPublicKeyInfo without an octet-aligned BIT STRING")
    return spki[bits_start + 1 : bits_end]


# Signature AlgorithmIdentifier of the issuer's key type: ecdsa-with-SHA256/-SHA512 with
# absent parameters (RFC 5758 3.2), Ed448 with absent parameters (RFC 8410 3).
_SIGNATURE_ALGORITHM: dict[KeyType, bytes] = {
    KeyType.SECP256R1: tlv(_SEQUENCE, der_oid("1.2.840.10045.4.3.2")),
    KeyType.SECP521R1: tlv(_SEQUENCE, der_oid("1.2.840.10045.4.3.4")),
    KeyType.ED448: tlv(_SEQUENCE, der_oid("1.3.101.113")),
}
_VERSION_V3 = tlv(0xA0, der_positive_integer(2))  # [0] EXPLICIT Version v3 (4.1.2.1)
_CN_TYPE = der_oid(NameOID.COMMON_NAME.dotted_string)
_SKI_TYPE = der_oid(ExtensionOID.SUBJECT_KEY_IDENTIFIER.dotted_string)


class TbsTemplate:
    """Issues leaf certificates of ``profile`` under ``issuer`` from precomputed DER.

    The subject is ``subject_name(cn, organization, country, profile.domain_component)``
    (ISO 15118-2 Annex F); only the CN varies. Construction runs the self-check against
    :func:`pki.builder.reference_builder` and raises
    :class:`~pki.errors.TemplateMismatchError` when the two encoders disagree.
    """

    def __init__(
        self,
        *,
        profile: CertificateProfile,
        issuer: Issuer,
        organization: str,
        country: str,
    ) -> None:
        if profile.is_ca or profile.self_signed:
            raise ProfileError("the template encoder issues leaf certificates only")
        self._profile = profile
        self._issuer = issuer
        self._organization = organization
        self._country = country
        self._signature_algorithm = _SIGNATURE_ALGORITHM[issuer.handle.key_type]
        # Everything between serialNumber and validity never changes.
        self._after_serial = self._signature_algorithm + issuer.name.public_bytes()
        # The subject tail (O, C, DC) is encoded by cryptography from the same function the
        # builder path uses; only the CN RDN in front of it is spliced per certificate.
        tail = x509.Name(
            subject_name("-", organization, country, profile.domain_component).rdns[1:]
        )
        tail_der = tail.public_bytes()
        _, start, _ = _element(tail_der, 0)
        self._subject_tail = tail_der[start:]
        # The SKI is a SHA-1 digest, always 20 octets, so the whole [3] extensions element
        # has a fixed length: keep what precedes and follows the key id as two constants.
        before = b"".join(der_extension(v, c) for v, c in profile_extensions(profile))
        after = b"".join(der_extension(v, c) for v, c in issuer_extensions(profile, issuer))
        marker = b"\x00" * _KEY_ID_BYTES
        ski = tlv(_SEQUENCE, _SKI_TYPE + tlv(_OCTET_STRING, tlv(_OCTET_STRING, marker)))
        block = tlv(_EXTENSIONS, tlv(_SEQUENCE, before + ski + after))
        split = len(block) - len(after) - _KEY_ID_BYTES
        self._extensions_head, self._extensions_tail = block[:split], block[split + _KEY_ID_BYTES :]
        self._self_check()

    def tbs_certificate(
        self,
        *,
        serial: int,
        common_name: str,
        public_key: PublicKey,
        not_before: dt.datetime,
        not_after: dt.datetime,
    ) -> bytes:
        """The DER TBSCertificate (RFC 5280 4.1.2), unsigned and unchecked."""
        spki = public_key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        # RFC 5280 4.2.1.2 method (1), as x509.SubjectKeyIdentifier.from_public_key.
        key_id = hashlib.sha1(subject_public_key_bits(spki), usedforsecurity=False).digest()
        cn = tlv(_SEQUENCE, _CN_TYPE + tlv(_UTF8_STRING, common_name.encode("utf-8")))
        subject = tlv(_SEQUENCE, tlv(_SET, cn) + self._subject_tail)
        body = b"".join(
            (
                _VERSION_V3,
                der_positive_integer(serial),
                self._after_serial,
                tlv(_SEQUENCE, der_time(not_before) + der_time(not_after)),
                subject,
                spki,
                self._extensions_head,
                key_id,
                self._extensions_tail,
            )
        )
        return tlv(_SEQUENCE, body)

    def issue(
        self,
        *,
        serial: int,
        common_name: str,
        public_key: PublicKey,
        not_before: dt.datetime,
        not_after: dt.datetime,
    ) -> tuple[x509.Certificate, bytes]:
        """Check, encode, sign through the key store; return the certificate and its DER.

        The same checks as :func:`pki.builder.build_certificate` (key type, lifetime, not
        outliving the issuer, the profile's DER size limit), plus the serial bounds the
        builder enforces (positive, at most 20 octets: RFC 5280 4.1.2.2).
        """
        check_request(
            profile=self._profile,
            issuer=self._issuer,
            public_key=public_key,
            not_before=not_before,
            not_after=not_after,
        )
        if not 0 < serial < 1 << _MAX_SERIAL_BITS:
            raise IssuanceError("the serial must be positive and at most 159 bits")
        if not 0 < len(common_name) <= _MAX_CN:
            raise IssuanceError("the subject CN must have 1 to 64 characters")
        tbs = self.tbs_certificate(
            serial=serial,
            common_name=common_name,
            public_key=public_key,
            not_before=not_before,
            not_after=not_after,
        )
        # Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
        # (RFC 5280 4.1.1); the BIT STRING of a signature has no unused bits.
        signature = self._issuer.sign_bytes(tbs)
        der = tlv(
            _SEQUENCE, tbs + self._signature_algorithm + tlv(_BIT_STRING, b"\x00" + signature)
        )
        limit = self._profile.max_der_bytes
        if limit is not None and len(der) > limit:
            raise ProfileError(
                f"{self._profile.role.value} certificate is {len(der)} bytes, the limit is {limit}"
            )
        return x509.load_der_x509_certificate(der), der

    def reference_tbs(
        self,
        *,
        serial: int,
        common_name: str,
        public_key: PublicKey,
        not_before: dt.datetime,
        not_after: dt.datetime,
    ) -> bytes:
        """The TBSCertificate ``CertificateBuilder`` produces for the same inputs.

        Signed with a throw-away key of the issuer's type: the TBS bytes do not depend on
        the signing key (the AKI comes from the issuer certificate), and no CA signature
        is spent on a certificate nobody receives.
        """
        builder = reference_builder(
            profile=self._profile,
            subject=subject_name(
                common_name, self._organization, self._country, self._profile.domain_component
            ),
            public_key=public_key,
            issuer=self._issuer,
            serial=serial,
            not_before=not_before,
            not_after=not_after,
        )
        key_type = self._issuer.handle.key_type
        signer = key_type.generate()
        if isinstance(signer, ec.EllipticCurvePrivateKey):
            certificate = builder.sign(signer, key_type.hash_algorithm())
        else:
            assert isinstance(signer, ed448.Ed448PrivateKey)  # noqa: S101 (KeyType has 3 members)
            certificate = builder.sign(signer, None)
        return certificate.tbs_certificate_bytes

    def _self_check(self) -> None:
        # Probes cover a one-octet and a padded 20-octet serial, UTCTime and GeneralizedTime,
        # and two CN lengths; the subject key is the issuer's own (a key of an allowed type
        # that needs no generation).
        start = self._issuer.certificate.not_valid_before_utc
        probes = (
            (1, "P", start, start + dt.timedelta(seconds=_PROBE_SECONDS)),
            (
                (1 << _MAX_SERIAL_BITS) - 1,
                "DE8EMC0NTRACT01",
                start,
                dt.datetime(2050, 1, 1, tzinfo=dt.UTC),
            ),
        )
        key = self._issuer.handle.public_key
        for serial, cn, not_before, not_after in probes:
            ours = self.tbs_certificate(
                serial=serial,
                common_name=cn,
                public_key=key,
                not_before=not_before,
                not_after=not_after,
            )
            theirs = self.reference_tbs(
                serial=serial,
                common_name=cn,
                public_key=key,
                not_before=not_before,
                not_after=not_after,
            )
            if ours != theirs:
                raise TemplateMismatchError(
                    f"template and CertificateBuilder disagree for {self._profile.role.value} "
                    f"under {self._issuer.issuer_id[:16]}"
                )
