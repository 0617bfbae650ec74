"""Certificate profiles of the ISO 15118 PKI, as frozen data.

One :class:`CertificateProfile` per role and standard fixes what a certificate of that role
looks like: key type and curve, signature hash, longest validity, basicConstraints and
pathLen, keyUsage, which extensions it carries, and how its subject is named. The builder
(:mod:`pki.builder`) issues from these records and the validator (:mod:`pki.validation`)
checks against the same records, so the two cannot drift apart.

The layout follows ISO 15118-2 Annex F (certificate profiles) for the -2 hierarchy:
root CAs with no pathLen, sub-CA 1 with pathLen 1, sub-CA 2 with pathLen 0, end-entity
certificates with CA=false, all on secp256r1 with ECDSA-SHA256. ISO 15118-20 keeps the same
hierarchy with secp521r1/ECDSA-SHA512 or Ed448 keys. Validity limits are this EMSP's
policy and sit inside the maxima of Annex F.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448

from pki.errors import UnsupportedAlgorithmError

CONTRACT_CERT_MAX_DER_BYTES = 800
"""ISO 15118-2 limits every certificate exchanged in V2G messages to 800 bytes of DER."""


class Standard(enum.Enum):
    """Which part of ISO 15118 a profile belongs to."""

    ISO15118_2 = "iso15118-2"
    ISO15118_20 = "iso15118-20"


class KeyType(enum.Enum):
    """Key types the ISO 15118 profiles allow."""

    SECP256R1 = "secp256r1"
    SECP521R1 = "secp521r1"
    ED448 = "ed448"

    def hash_algorithm(self) -> hashes.SHA256 | hashes.SHA512 | None:
        """Signature hash tied to the key type (Ed448 signs without a separate hash)."""
        if self is KeyType.SECP256R1:
            return hashes.SHA256()
        if self is KeyType.SECP521R1:
            return hashes.SHA512()
        return None

    def generate(self) -> ec.EllipticCurvePrivateKey | ed448.Ed448PrivateKey:
        """Generate a fresh private key of this type."""
        if self is KeyType.SECP256R1:
            return ec.generate_private_key(ec.SECP256R1())
        if self is KeyType.SECP521R1:
            return ec.generate_private_key(ec.SECP521R1())
        return ed448.Ed448PrivateKey.generate()


def key_type_of(key: object) -> KeyType:
    """Classify a public or private key, refusing anything outside the ISO 15118 set."""
    if isinstance(key, ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey):
        if isinstance(key.curve, ec.SECP256R1):
            return KeyType.SECP256R1
        if isinstance(key.curve, ec.SECP521R1):
            return KeyType.SECP521R1
        raise UnsupportedAlgorithmError(f"curve {key.curve.name} is not used by ISO 15118")
    if isinstance(key, ed448.Ed448PublicKey | ed448.Ed448PrivateKey):
        return KeyType.ED448
    raise UnsupportedAlgorithmError(f"key type {type(key).__name__} is not used by ISO 15118")


class Role(enum.Enum):
    """Position of a certificate in the ISO 15118 PKI."""

    V2G_ROOT = "v2g-root"
    MO_ROOT = "mo-root"
    MO_SUB1 = "mo-sub1"
    MO_SUB2 = "mo-sub2"
    CONTRACT = "contract"
    CPO_SUB1 = "cpo-sub1"
    CPO_SUB2 = "cpo-sub2"
    SECC = "secc"
    OEM_ROOT = "oem-root"
    OEM_SUB1 = "oem-sub1"
    OEM_SUB2 = "oem-sub2"
    OEM_PROVISIONING = "oem-provisioning"
    CPS_SUB1 = "cps-sub1"
    CPS_SUB2 = "cps-sub2"
    CPS_LEAF = "cps-leaf"


class SubjectRule(enum.Enum):
    """What the subject CN of a role must hold."""

    FREE = "free"
    EMAID = "emaid"
    PCID = "pcid"


KU_CA = frozenset({"key_cert_sign", "crl_sign"})


@dataclass(frozen=True, slots=True)
class CertificateProfile:
    """Everything that fixes the shape of one role's certificates.

    ``key_usage`` is what we issue; ``key_usage_required`` the subset a foreign certificate
    must at least show when it carries keyUsage at all; ``key_usage_forbidden`` bits that
    are an error wherever they appear (e.g. keyCertSign on a leaf).
    """

    role: Role
    standard: Standard
    key_types: tuple[KeyType, ...]
    max_validity: dt.timedelta
    is_ca: bool
    path_length: int | None
    key_usage: frozenset[str]
    key_usage_required: frozenset[str]
    key_usage_forbidden: frozenset[str]
    domain_component: str
    subject_rule: SubjectRule
    self_signed: bool = False
    include_aia_ocsp: bool = True
    include_crl_distribution_point: bool = True
    max_der_bytes: int | None = None

    @property
    def is_root(self) -> bool:
        """Roots are self-signed trust anchors."""
        return self.self_signed


_YEAR = dt.timedelta(days=365)


def _profiles_for(
    standard: Standard, key_types: tuple[KeyType, ...]
) -> dict[Role, CertificateProfile]:
    # Leaf certificates in -2 travel in V2G messages and must fit their 800-byte slots.
    leaf_limit = CONTRACT_CERT_MAX_DER_BYTES if standard is Standard.ISO15118_2 else None
    ca_limit = leaf_limit

    def root(role: Role) -> CertificateProfile:
        return CertificateProfile(
            role=role,
            standard=standard,
            key_types=key_types,
            max_validity=40 * _YEAR,
            is_ca=True,
            path_length=None,
            key_usage=KU_CA,
            key_usage_required=KU_CA,
            key_usage_forbidden=frozenset(),
            domain_component="V2G",
            subject_rule=SubjectRule.FREE,
            self_signed=True,
            # A root is its own trust anchor: nobody above it could publish its status.
            include_aia_ocsp=False,
            include_crl_distribution_point=False,
        )

    def sub_ca(role: Role, path_length: int, dc: str) -> CertificateProfile:
        return CertificateProfile(
            role=role,
            standard=standard,
            key_types=key_types,
            max_validity=4 * _YEAR,
            is_ca=True,
            path_length=path_length,
            key_usage=KU_CA,
            key_usage_required=frozenset({"key_cert_sign"}),
            key_usage_forbidden=frozenset(),
            domain_component=dc,
            subject_rule=SubjectRule.FREE,
            max_der_bytes=ca_limit,
        )

    def leaf(
        role: Role, validity: dt.timedelta, usage: frozenset[str], dc: str, rule: SubjectRule
    ) -> CertificateProfile:
        return CertificateProfile(
            role=role,
            standard=standard,
            key_types=key_types,
            max_validity=validity,
            is_ca=False,
            path_length=None,
            key_usage=usage,
            key_usage_required=frozenset({"digital_signature"}),
            key_usage_forbidden=KU_CA,
            domain_component=dc,
            subject_rule=rule,
            max_der_bytes=leaf_limit,
        )

    signing = frozenset({"digital_signature", "content_commitment"})
    # Contract and provisioning keys take part in ECDH (the contract-key envelope), hence
    # keyAgreement beside the signature bits.
    agreeing = signing | {"key_agreement"}
    table = [
        root(Role.V2G_ROOT),
        root(Role.MO_ROOT),
        root(Role.OEM_ROOT),
        sub_ca(Role.MO_SUB1, 1, "V2G"),
        sub_ca(Role.MO_SUB2, 0, "V2G"),
        sub_ca(Role.CPO_SUB1, 1, "V2G"),
        sub_ca(Role.CPO_SUB2, 0, "V2G"),
        sub_ca(Role.OEM_SUB1, 1, "V2G"),
        sub_ca(Role.OEM_SUB2, 0, "V2G"),
        sub_ca(Role.CPS_SUB1, 1, "V2G"),
        sub_ca(Role.CPS_SUB2, 0, "V2G"),
        leaf(Role.CONTRACT, 2 * _YEAR, agreeing, "MO", SubjectRule.EMAID),
        leaf(
            Role.SECC,
            _YEAR,
            frozenset({"digital_signature", "key_agreement"}),
            "CPO",
            SubjectRule.FREE,
        ),
        leaf(Role.OEM_PROVISIONING, 4 * _YEAR, agreeing, "OEM", SubjectRule.PCID),
        leaf(Role.CPS_LEAF, _YEAR, frozenset({"digital_signature"}), "CPS", SubjectRule.FREE),
    ]
    return {p.role: p for p in table}


ISO15118_2_PROFILES: dict[Role, CertificateProfile] = _profiles_for(
    Standard.ISO15118_2, (KeyType.SECP256R1,)
)
"""ISO 15118-2 Annex F: every key secp256r1, every signature ECDSA with SHA-256."""

ISO15118_20_PROFILES: dict[Role, CertificateProfile] = _profiles_for(
    Standard.ISO15118_20, (KeyType.SECP521R1, KeyType.ED448)
)
"""ISO 15118-20: secp521r1 with ECDSA-SHA512, or Ed448."""


ISSUER_ROLE: dict[Role, Role | None] = {
    Role.V2G_ROOT: None,
    Role.MO_ROOT: None,
    Role.OEM_ROOT: None,
    Role.MO_SUB1: Role.MO_ROOT,
    Role.MO_SUB2: Role.MO_SUB1,
    Role.CONTRACT: Role.MO_SUB2,
    Role.CPO_SUB1: Role.V2G_ROOT,
    Role.CPO_SUB2: Role.CPO_SUB1,
    Role.SECC: Role.CPO_SUB2,
    Role.OEM_SUB1: Role.OEM_ROOT,
    Role.OEM_SUB2: Role.OEM_SUB1,
    Role.OEM_PROVISIONING: Role.OEM_SUB2,
    Role.CPS_SUB1: Role.V2G_ROOT,
    Role.CPS_SUB2: Role.CPS_SUB1,
    Role.CPS_LEAF: Role.CPS_SUB2,
}
"""Who issues whom in the test ecosystem (an MO may also chain its sub-CA 1 to the V2G root)."""


def profile_for(role: Role, standard: Standard = Standard.ISO15118_2) -> CertificateProfile:
    """Return the profile of ``role`` under ``standard`` (ISO 15118-2 Annex F by default)."""
    table = ISO15118_2_PROFILES if standard is Standard.ISO15118_2 else ISO15118_20_PROFILES
    return table[role]
