"""Time-independent checks of one certificate against its ISO 15118 role profile.

RFC 5280 rules that break a path (cA on intermediates, keyCertSign, unknown critical
extensions, pathLen, cA on a leaf) are errors in every mode; the ISO 15118-2 Annex F
profile rules are errors in STRICT mode and warnings in LENIENT mode, except the algorithm
set and a malformed EMAID, which no ISO 15118 party can accept.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from pki.emaid import CheckDigitStatus, parse_emaid, validate_pcid
from pki.errors import ParseError, PKIError
from pki.findings import FindingCode, Mode, Severity
from pki.profiles import CertificateProfile, Role, key_type_of


class ProfileChecks:
    """Time-independent checks of one certificate against its role profile."""

    def __init__(
        self, cert: x509.Certificate, profile: CertificateProfile, mode: Mode, index: int
    ) -> None:
        self.cert = cert
        self.profile = profile
        self.strict = mode is Mode.STRICT
        self.index = index
        self.found: list[tuple[FindingCode, Severity, str]] = []

    def add(self, code: FindingCode, detail: str, *, always_error: bool = False) -> None:
        severity = Severity.ERROR if always_error or self.strict else Severity.WARNING
        self.found.append((code, severity, detail))

    def run(self) -> None:
        self._algorithms()
        self._extensions()
        if self.profile.is_ca:
            self._ca()
        else:
            self._leaf()
        self._subject_rules()
        self._limits()

    def _algorithms(self) -> None:
        try:
            key_type = key_type_of(self.cert.public_key())
        except (PKIError, ValueError, UnsupportedAlgorithm) as exc:
            self.add(FindingCode.WRONG_KEY_TYPE, str(exc), always_error=True)
            return
        if key_type not in self.profile.key_types:
            self.add(
                FindingCode.WRONG_KEY_TYPE,
                f"{key_type.value} is not allowed here",
                always_error=True,
            )
        try:
            hash_algorithm = self.cert.signature_hash_algorithm
        except UnsupportedAlgorithm:
            self.add(
                FindingCode.WRONG_SIGNATURE_ALGORITHM,
                "unsupported signature algorithm",
                always_error=True,
            )
            return
        expected = key_type.hash_algorithm()
        if (hash_algorithm is None) != (expected is None) or (
            hash_algorithm is not None
            and expected is not None
            and hash_algorithm.name != expected.name
        ):
            name = hash_algorithm.name if hash_algorithm else "none"
            self.add(FindingCode.WRONG_SIGNATURE_ALGORITHM, f"signature hash {name}")

    def _extensions(self) -> None:
        for ext in self.cert.extensions:
            if ext.critical and isinstance(ext.value, x509.UnrecognizedExtension):
                self.add(
                    FindingCode.UNKNOWN_CRITICAL_EXTENSION, ext.oid.dotted_string, always_error=True
                )
        if self.strict:
            for kind, label in (
                (x509.SubjectKeyIdentifier, "subjectKeyIdentifier"),
                (x509.AuthorityKeyIdentifier, "authorityKeyIdentifier"),
            ):
                try:
                    self.cert.extensions.get_extension_for_class(kind)
                except x509.ExtensionNotFound:
                    self.add(FindingCode.MISSING_EXTENSION, label)

    def _basic_constraints(self) -> x509.Extension[x509.BasicConstraints] | None:
        try:
            return self.cert.extensions.get_extension_for_class(x509.BasicConstraints)
        except x509.ExtensionNotFound:
            return None

    def _key_usage(self) -> x509.Extension[x509.KeyUsage] | None:
        try:
            return self.cert.extensions.get_extension_for_class(x509.KeyUsage)
        except x509.ExtensionNotFound:
            return None

    def _ca(self) -> None:
        bc = self._basic_constraints()
        # RFC 5280 6.1.4 (k): an intermediate must assert cA, whatever the mode.
        if bc is None or not bc.value.ca:
            self.add(FindingCode.NOT_A_CA, "basicConstraints cA is not set", always_error=True)
        else:
            if not bc.critical:
                self.add(FindingCode.NOT_CRITICAL, "basicConstraints")
            below = self.index - 1
            if bc.value.path_length is not None and bc.value.path_length < below:
                self.add(
                    FindingCode.PATH_LENGTH_EXCEEDED,
                    f"pathLen {bc.value.path_length}, {below} sub-CAs below",
                    always_error=True,
                )
            if bc.value.path_length != self.profile.path_length:
                self.add(
                    FindingCode.PROFILE_PATH_LENGTH,
                    f"pathLen {bc.value.path_length}, profile wants {self.profile.path_length}",
                )
        ku = self._key_usage()
        if ku is None:
            self.add(FindingCode.MISSING_EXTENSION, "keyUsage")
            return
        if not ku.value.key_cert_sign:
            # RFC 5280 6.1.4 (n): a CA key that may not sign certificates breaks the path.
            self.add(FindingCode.KEY_USAGE_MISSING_BIT, "keyCertSign", always_error=True)
        self._key_usage_bits(ku, _bits(ku.value) | {"key_cert_sign"})

    def _key_usage_bits(self, ku: x509.Extension[x509.KeyUsage], bits: set[str]) -> None:
        """keyUsage against the role (ISO 15118-2 Annex F, RFC 5280 4.2.1.3).

        Bits the profile requires of anyone are findings in both modes (errors in STRICT);
        the other bits we issue for the role (e.g. keyAgreement on a contract certificate,
        cRLSign on a CA) are checked in STRICT mode only, as are criticality and
        forbidden bits on leaves (the latter always errors).
        """
        if not ku.critical:
            self.add(FindingCode.NOT_CRITICAL, "keyUsage")
        for bit in sorted(self.profile.key_usage_forbidden & bits):
            self.add(FindingCode.KEY_USAGE_FORBIDDEN_BIT, bit, always_error=True)
        for bit in sorted(self.profile.key_usage_required - bits):
            self.add(FindingCode.KEY_USAGE_MISSING_BIT, bit)
        if self.strict:
            for bit in sorted(self.profile.key_usage - self.profile.key_usage_required - bits):
                self.add(FindingCode.KEY_USAGE_MISSING_BIT, bit)

    def _leaf(self) -> None:
        bc = self._basic_constraints()
        if bc is None:
            self.add(FindingCode.MISSING_EXTENSION, "basicConstraints")
        elif bc.value.ca:
            self.add(
                FindingCode.CA_FLAG_ON_LEAF, "end-entity certificate asserts cA", always_error=True
            )
        ku = self._key_usage()
        if ku is None:
            self.add(FindingCode.MISSING_EXTENSION, "keyUsage")
            return
        self._key_usage_bits(ku, _bits(ku.value))

    def _subject_rules(self) -> None:
        cns = self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        cn = str(cns[0].value) if cns else ""
        if self.profile.role is Role.CONTRACT:
            try:
                emaid = parse_emaid(cn)
            except ParseError:
                self.add(
                    FindingCode.EMAID_MALFORMED, f"CN {cn!r} is not an EMAID", always_error=True
                )
            else:
                if emaid.check_digit_status is not CheckDigitStatus.VALID:
                    self.add(
                        FindingCode.EMAID_CHECK_DIGIT,
                        f"check digit {emaid.check_digit_status.value}",
                    )
                # ISO 15118-2: the CN carries the EMAID compact and upper case
                # (Emaid.normalised); parse_emaid folds case, hyphens and blanks, so a CN it
                # had to normalise is a profile finding (a warning for foreign chains).
                if cn != emaid.normalised:
                    self.add(
                        FindingCode.EMAID_NOT_CANONICAL,
                        f"CN {cn!r} is not the canonical EMAID {emaid.normalised!r}",
                    )
        elif self.profile.role is Role.OEM_PROVISIONING:
            try:
                validate_pcid(cn)
            except ParseError:
                self.add(FindingCode.PCID_MALFORMED, f"CN {cn!r} is not a PCID")
        if not self.profile.is_ca:
            dcs = [
                str(a.value)
                for a in self.cert.subject.get_attributes_for_oid(NameOID.DOMAIN_COMPONENT)
            ]
            if self.profile.domain_component not in dcs:
                self.add(
                    FindingCode.WRONG_DOMAIN_COMPONENT,
                    f"DC {dcs}, wants {self.profile.domain_component}",
                )

    def _limits(self) -> None:
        lifetime = self.cert.not_valid_after_utc - self.cert.not_valid_before_utc
        if lifetime > self.profile.max_validity:
            self.add(FindingCode.VALIDITY_TOO_LONG, f"{lifetime.days} days")
        if self.profile.max_der_bytes is not None:
            size = len(self.cert.public_bytes(serialization.Encoding.DER))
            if size > self.profile.max_der_bytes:
                self.add(FindingCode.CERTIFICATE_TOO_LARGE, f"{size} bytes")


def _bits(ku: x509.KeyUsage) -> set[str]:
    names = (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
    )
    return {name for name in names if getattr(ku, name)}
