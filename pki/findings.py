"""Results of chain validation: modes, severities, finding codes."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cryptography import x509


class Mode(enum.Enum):
    """STRICT for our own chains, LENIENT for foreign ones."""

    STRICT = "strict"
    LENIENT = "lenient"


class Severity(enum.Enum):
    """An ERROR fails validation; a WARNING is reported but does not."""

    ERROR = "error"
    WARNING = "warning"


class FindingCode(enum.Enum):
    """Machine-readable reason of a finding."""

    EMPTY_CHAIN = "empty-chain"
    CHAIN_TOO_LONG = "chain-too-long"
    MALFORMED_CERTIFICATE = "malformed-certificate"
    NO_TRUST_ANCHOR = "no-trust-anchor"
    NAME_CHAINING = "name-chaining"
    SIGNATURE_INVALID = "signature-invalid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    NOT_A_CA = "not-a-ca"
    CA_FLAG_ON_LEAF = "ca-flag-on-leaf"
    PATH_LENGTH_EXCEEDED = "path-length-exceeded"
    PROFILE_PATH_LENGTH = "profile-path-length"
    KEY_USAGE_MISSING_BIT = "key-usage-missing-bit"
    KEY_USAGE_FORBIDDEN_BIT = "key-usage-forbidden-bit"
    MISSING_EXTENSION = "missing-extension"
    NOT_CRITICAL = "extension-not-critical"
    UNKNOWN_CRITICAL_EXTENSION = "unknown-critical-extension"
    WRONG_KEY_TYPE = "wrong-key-type"
    WRONG_SIGNATURE_ALGORITHM = "wrong-signature-algorithm"
    EMAID_MALFORMED = "emaid-malformed"
    EMAID_CHECK_DIGIT = "emaid-check-digit"
    EMAID_NOT_CANONICAL = "emaid-not-canonical"
    PCID_MALFORMED = "pcid-malformed"
    WRONG_DOMAIN_COMPONENT = "wrong-domain-component"
    VALIDITY_TOO_LONG = "validity-too-long"
    CERTIFICATE_TOO_LARGE = "certificate-too-large"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: what, how bad, and which certificate (0 = leaf; len(chain) = anchor)."""

    code: FindingCode
    severity: Severity
    index: int
    subject: str
    detail: str


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """Every finding of one validation; ``ok`` when none is an error."""

    findings: tuple[Finding, ...]
    anchor: x509.Certificate | None

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return all(f.severity is Severity.WARNING for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings that fail the chain."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    def codes(self) -> set[FindingCode]:
        """Codes of all findings, for quick assertions."""
        return {f.code for f in self.findings}
