"""Certificate construction from profiles.

:class:`Issuer` bundles a CA certificate with its key handle and the extension values every
child certificate repeats (authority key id, OCSP URL, CRL distribution point), computed
once. :func:`build_certificate` turns a profile plus a subject and public key into a signed
certificate, refusing anything the profile does not allow.

This module is the reference encoder: every profile is issued through ``cryptography``'s
``CertificateBuilder`` here. The contract hot path (:mod:`pki.tbs_template`) splices DER
from the same extension lists (:func:`profile_extensions`, :func:`issuer_extensions`) and
runs the same request checks (:func:`check_request`); tests prove its TBSCertificate bytes
identical to :func:`reference_builder`'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from pki.errors import IssuanceError, ProfileError
from pki.keystore import KeyHandle, KeyStore, PublicKey
from pki.profiles import CertificateProfile, key_type_of


def subject_name(cn: str, organization: str, country: str, domain_component: str) -> x509.Name:
    """Build a subject in the ISO 15118-2 Annex F layout: CN, O, C and DC.

    DC names the PKI domain (``MO`` for a contract certificate, ``CPO``, ``OEM``, ``CPS`` or
    ``V2G``); receivers use it to tell roles apart.
    """
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.DOMAIN_COMPONENT, domain_component),
        ]
    )


def spki_id(public_key: PublicKey) -> str:
    """Stable id of a CA key: hex SHA-256 of its DER SubjectPublicKeyInfo."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


@dataclass(frozen=True, slots=True)
class Issuer:
    """A CA that signs through a key store, with its child-certificate extensions cached."""

    certificate: x509.Certificate
    handle: KeyHandle
    keystore: KeyStore = field(repr=False)
    profile: CertificateProfile
    ocsp_url: str | None = None
    crl_url: str | None = None
    issuer_id: str = field(init=False)
    _aki: x509.AuthorityKeyIdentifier = field(init=False, repr=False)
    _aia: x509.AuthorityInformationAccess | None = field(init=False, repr=False)
    _crl_dp: x509.CRLDistributionPoints | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.profile.is_ca:
            raise ProfileError(f"{self.profile.role.value} is not a CA profile")
        public = self.certificate.public_key()
        if spki_id(public) != spki_id(self.handle.public_key):  # type: ignore[arg-type]
            raise ProfileError("the key handle does not belong to the issuer certificate")
        try:
            ski = self.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
            aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski.value)
        except x509.ExtensionNotFound:
            aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(public)  # type: ignore[arg-type]
        # Only the key id: issuer name and serial in the AKI would cost ~100 bytes of the
        # 800-byte budget and add nothing a receiver of ISO 15118 chains uses.
        object.__setattr__(
            self, "_aki", x509.AuthorityKeyIdentifier(aki.key_identifier, None, None)
        )
        object.__setattr__(self, "issuer_id", spki_id(self.handle.public_key))
        aia = None
        if self.ocsp_url:
            aia = x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(self.ocsp_url),
                    )
                ]
            )
        object.__setattr__(self, "_aia", aia)
        crl_dp = None
        if self.crl_url:
            crl_dp = x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(self.crl_url)], None, None, None
                    )
                ]
            )
        object.__setattr__(self, "_crl_dp", crl_dp)

    @property
    def name(self) -> x509.Name:
        """Subject of the CA, i.e. the issuer name of its children."""
        return self.certificate.subject

    def sign(self, builder: x509.CertificateBuilder) -> x509.Certificate:
        """Sign ``builder`` through the key store (the private key never comes out)."""
        return self.keystore.sign_certificate(self.handle, builder)

    def sign_bytes(self, data: bytes) -> bytes:
        """Sign an encoded TBSCertificate through the key store (RFC 5280 4.1.1.3)."""
        return self.keystore.sign_bytes(self.handle, data)


def _key_usage(bits: frozenset[str]) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature="digital_signature" in bits,
        content_commitment="content_commitment" in bits,
        key_encipherment="key_encipherment" in bits,
        data_encipherment=False,
        key_agreement="key_agreement" in bits,
        key_cert_sign="key_cert_sign" in bits,
        crl_sign="crl_sign" in bits,
        encipher_only=False,
        decipher_only=False,
    )


def _check_validity(
    profile: CertificateProfile, not_before: dt.datetime, not_after: dt.datetime
) -> None:
    if not_after <= not_before:
        raise IssuanceError("notAfter must be later than notBefore")
    if not_after - not_before > profile.max_validity:
        raise IssuanceError(
            f"{profile.role.value} certificates may be valid for at most "
            f"{profile.max_validity.days} days"
        )


def check_request(
    *,
    profile: CertificateProfile,
    issuer: Issuer,
    public_key: PublicKey,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> None:
    """Refuse what ``profile`` does not allow (ISO 15118-2 Annex F key types and lifetimes).

    The validity may not exceed the profile's limit nor the issuer's own notAfter, since a
    chain is only usable while every member is valid. Shared by the reference builder and
    the template encoder so both refuse exactly the same requests.
    """
    if key_type_of(public_key) not in profile.key_types:
        raise ProfileError(
            f"{profile.role.value} needs a {'/'.join(k.value for k in profile.key_types)} key"
        )
    if issuer.handle.key_type not in profile.key_types:
        raise ProfileError("issuer key type is not allowed for this profile's signature")
    _check_validity(profile, not_before, not_after)
    if not_after > issuer.certificate.not_valid_after_utc:
        raise IssuanceError("the certificate would outlive its issuer")


def profile_extensions(profile: CertificateProfile) -> tuple[tuple[x509.ExtensionType, bool], ...]:
    """basicConstraints (RFC 5280 4.2.1.9) and keyUsage (4.2.1.3), both critical (Annex F).

    Each entry is ``(value, critical)``; they come first, before the SKI.
    """
    return (
        (x509.BasicConstraints(ca=profile.is_ca, path_length=profile.path_length), True),
        (_key_usage(profile.key_usage), True),
    )


def issuer_extensions(
    profile: CertificateProfile, issuer: Issuer
) -> tuple[tuple[x509.ExtensionType, bool], ...]:
    """The extensions every child of ``issuer`` repeats, in order, after the SKI.

    Key-id-only AKI (RFC 5280 4.2.1.1), then the AIA with the OCSP URL (4.2.2.1) and the CRL
    distribution point (4.2.1.13) when the profile carries them; all non-critical.
    """
    out: list[tuple[x509.ExtensionType, bool]] = [(issuer._aki, False)]
    if profile.include_aia_ocsp and issuer._aia is not None:
        out.append((issuer._aia, False))
    if profile.include_crl_distribution_point and issuer._crl_dp is not None:
        out.append((issuer._crl_dp, False))
    return tuple(out)


def reference_builder(
    *,
    profile: CertificateProfile,
    subject: x509.Name,
    public_key: PublicKey,
    issuer: Issuer,
    serial: int,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.CertificateBuilder:
    """The unsigned ``CertificateBuilder`` of a child certificate (RFC 5280 4.1), unchecked.

    :func:`build_certificate` signs it; the template tests compare against it.
    """
    builder = _base_builder(
        profile=profile,
        subject=subject,
        public_key=public_key,
        serial=serial,
        not_before=not_before,
        not_after=not_after,
    ).issuer_name(issuer.name)
    for extension, critical in issuer_extensions(profile, issuer):
        builder = builder.add_extension(extension, critical=critical)
    return builder


def build_certificate(
    *,
    profile: CertificateProfile,
    subject: x509.Name,
    public_key: PublicKey,
    issuer: Issuer,
    serial: int,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.Certificate:
    """Issue a certificate of ``profile`` under ``issuer`` (ISO 15118-2 Annex F, RFC 5280 4.1).

    See :func:`check_request` for what is refused. Certificates of a profile with a size
    limit (800 bytes DER in ISO 15118-2) are measured after signing.
    """
    check_request(
        profile=profile,
        issuer=issuer,
        public_key=public_key,
        not_before=not_before,
        not_after=not_after,
    )
    builder = reference_builder(
        profile=profile,
        subject=subject,
        public_key=public_key,
        issuer=issuer,
        serial=serial,
        not_before=not_before,
        not_after=not_after,
    )
    return _check_size(profile, issuer.sign(builder))


def build_self_signed(
    *,
    profile: CertificateProfile,
    subject: x509.Name,
    handle: KeyHandle,
    keystore: KeyStore,
    serial: int,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.Certificate:
    """Issue a self-signed root certificate (ISO 15118-2 Annex F root profile)."""
    if not profile.self_signed:
        raise ProfileError(f"{profile.role.value} is not a root profile")
    if handle.key_type not in profile.key_types:
        raise ProfileError(
            f"{profile.role.value} needs a {'/'.join(k.value for k in profile.key_types)} key"
        )
    _check_validity(profile, not_before, not_after)
    builder = _base_builder(
        profile=profile,
        subject=subject,
        public_key=handle.public_key,
        serial=serial,
        not_before=not_before,
        not_after=not_after,
    )
    builder = builder.issuer_name(subject)
    return _check_size(profile, keystore.sign_certificate(handle, builder))


def _base_builder(
    *,
    profile: CertificateProfile,
    subject: x509.Name,
    public_key: PublicKey,
    serial: int,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.CertificateBuilder:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    for extension, critical in profile_extensions(profile):
        builder = builder.add_extension(extension, critical=critical)
    # SKI by RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits.
    return builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False
    )


def _check_size(profile: CertificateProfile, certificate: x509.Certificate) -> x509.Certificate:
    limit = profile.max_der_bytes
    if limit is not None:
        size = len(certificate.public_bytes(serialization.Encoding.DER))
        if size > limit:
            raise ProfileError(
                f"{profile.role.value} certificate is {size} bytes, the limit is {limit}"
            )
    return certificate
