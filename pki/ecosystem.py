"""A complete test ecosystem: V2G, MO, CPO, OEM and CPS hierarchies and a test vehicle.

Used by ``emsp pki init`` and by the tests. Every CA key is created inside the given
:class:`~pki.keystore.KeyStore`; end-entity keys of the simulated parties (the SECC, the CPS
and the test vehicle's OEM provisioning key) belong to those parties, so they are returned
to the caller and, on disk, written as encrypted PKCS#8 beside the certificates.

Hierarchy (ISO 15118-2 Figure "PKI overview" layout)::

    V2G root ── CPO sub-CA 1 ── CPO sub-CA 2 ── SECC leaf
             └─ CPS sub-CA 1 ── CPS sub-CA 2 ── CPS leaf
    MO root  ── MO sub-CA 1  ── MO sub-CA 2  ── contract certificates
    OEM root ── OEM sub-CA 1 ── OEM sub-CA 2 ── OEM provisioning certificate (CN = PCID)
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from pki.builder import Issuer, build_certificate, build_self_signed, subject_name
from pki.clock import Clock
from pki.emaid import validate_pcid
from pki.errors import KeyStoreError, ParseError, PKIError
from pki.issuance import ContractIssuer
from pki.keystore import KeyStore, PrivateKey, secure_directory, write_private_file
from pki.profiles import ISSUER_ROLE, KeyType, Role, Standard, profile_for
from pki.revocation.registry import RevocationRegistry

_BACKDATE = dt.timedelta(minutes=5)
_CA_ORDER = (
    Role.V2G_ROOT,
    Role.MO_ROOT,
    Role.OEM_ROOT,
    Role.MO_SUB1,
    Role.MO_SUB2,
    Role.CPO_SUB1,
    Role.CPO_SUB2,
    Role.OEM_SUB1,
    Role.OEM_SUB2,
    Role.CPS_SUB1,
    Role.CPS_SUB2,
)
_LEAVES = (Role.SECC, Role.CPS_LEAF, Role.OEM_PROVISIONING)
_LABELS = {
    Role.V2G_ROOT: "V2G Root CA",
    Role.MO_ROOT: "MO Root CA",
    Role.OEM_ROOT: "OEM Root CA",
    Role.MO_SUB1: "MO Sub1 CA",
    Role.MO_SUB2: "MO Sub2 CA",
    Role.CPO_SUB1: "CPO Sub1 CA",
    Role.CPO_SUB2: "CPO Sub2 CA",
    Role.OEM_SUB1: "OEM Sub1 CA",
    Role.OEM_SUB2: "OEM Sub2 CA",
    Role.CPS_SUB1: "CPS Sub1 CA",
    Role.CPS_SUB2: "CPS Sub2 CA",
    Role.SECC: "SECC0001",
    Role.CPS_LEAF: "CPS Leaf",
}


@dataclass(frozen=True, slots=True)
class EcosystemConfig:
    """Names and URLs of a test ecosystem. Short URLs keep leaves under 800 bytes."""

    provider_id: str = "DE8EM"
    organization: str = "EMSP Test"
    country: str = "DE"
    base_url: str = "http://pki.emsp.test"
    test_pcid: str = "EMSPTESTVEHICLE01"
    standard: Standard = Standard.ISO15118_2
    key_type: KeyType | None = None

    def ocsp_url(self) -> str:
        """The OCSP responder every certificate's AIA points to (RFC 5280 4.2.2.1)."""
        return f"{self.base_url}/ocsp"

    def crl_url(self, issuer: Role) -> str:
        """Where the CRL of ``issuer`` is published (RFC 5280 4.2.1.13)."""
        return f"{self.base_url}/crl/{issuer.value}.crl"


@dataclass(slots=True)
class Ecosystem:
    """Certificates, CA issuers and the simulated parties' keys of a test ecosystem."""

    config: EcosystemConfig
    certificates: dict[Role, x509.Certificate]
    issuers: dict[Role, Issuer]
    leaf_keys: dict[Role, PrivateKey] = field(repr=False)

    def chain(self, role: Role) -> tuple[x509.Certificate, ...]:
        """Certificates from ``role`` up to, excluding, its root (leaf first)."""
        out: list[x509.Certificate] = []
        current: Role | None = role
        while current is not None and ISSUER_ROLE[current] is not None:
            out.append(self.certificates[current])
            current = ISSUER_ROLE[current]
        return tuple(out)

    def root_for(self, role: Role) -> x509.Certificate:
        """The self-signed root above ``role``."""
        current = role
        while (parent := ISSUER_ROLE[current]) is not None:
            current = parent
        return self.certificates[current]

    def contract_issuer(
        self, clock: Clock, registry: RevocationRegistry | None = None
    ) -> ContractIssuer:
        """A contract issuer bound to this ecosystem's MO sub-CA 2."""
        return ContractIssuer(
            mo_sub2=self.issuers[Role.MO_SUB2],
            sub_ca_chain=(self.certificates[Role.MO_SUB2], self.certificates[Role.MO_SUB1]),
            clock=clock,
            organization=self.config.organization,
            country=self.config.country,
            registry=registry,
        )

    @property
    def oem_provisioning_key(self) -> PrivateKey:
        """The test vehicle's provisioning key (what the EV holds in its secure storage)."""
        return self.leaf_keys[Role.OEM_PROVISIONING]


def build_ecosystem(
    keystore: KeyStore,
    clock: Clock,
    config: EcosystemConfig | None = None,
    registry: RevocationRegistry | None = None,
) -> Ecosystem:
    """Create every CA of the test PKI and the SECC, CPS and vehicle leaves.

    Profiles come from :mod:`pki.profiles` (ISO 15118-2 Annex F, or -20 when configured);
    each CA's key is generated in ``keystore`` under the role name.
    """
    cfg = config or EcosystemConfig()
    validate_pcid(cfg.test_pcid)
    now = clock.now() - _BACKDATE
    certificates: dict[Role, x509.Certificate] = {}
    issuers: dict[Role, Issuer] = {}
    leaf_keys: dict[Role, PrivateKey] = {}
    for role in (*_CA_ORDER, *_LEAVES):
        profile = profile_for(role, cfg.standard)
        key_type = cfg.key_type or profile.key_types[0]
        dc = profile.domain_component
        cn = (
            cfg.test_pcid
            if role is Role.OEM_PROVISIONING
            else f"{cfg.organization} {_LABELS[role]}"
        )
        subject = subject_name(cn, cfg.organization, cfg.country, dc)
        parent = ISSUER_ROLE[role]
        serial = x509.random_serial_number()
        if parent is None:
            handle = keystore.generate(role.value, key_type)
            cert = build_self_signed(
                profile=profile,
                subject=subject,
                handle=handle,
                keystore=keystore,
                serial=serial,
                not_before=now,
                not_after=now + profile.max_validity,
            )
        else:
            issuer = issuers[parent]
            not_after = min(now + profile.max_validity, issuer.certificate.not_valid_after_utc)
            if profile.is_ca:
                handle = keystore.generate(role.value, key_type)
                public = handle.public_key
            else:
                leaf_keys[role] = key_type.generate()
                public = leaf_keys[role].public_key()
            cert = build_certificate(
                profile=profile,
                subject=subject,
                public_key=public,
                issuer=issuer,
                serial=serial,
                not_before=now,
                not_after=not_after,
            )
            if registry is not None:
                registry.record_issued(issuer.issuer_id, serial)
        certificates[role] = cert
        if profile.is_ca:
            issuers[role] = Issuer(
                certificate=cert,
                handle=handle,
                keystore=keystore,
                profile=profile,
                ocsp_url=cfg.ocsp_url(),
                crl_url=cfg.crl_url(role),
            )
    return Ecosystem(cfg, certificates, issuers, leaf_keys)


def save_ecosystem(ecosystem: Ecosystem, directory: Path, passphrase: bytes) -> None:
    """Write certificates (PEM and DER), encrypted leaf keys and a manifest to ``directory``.

    CA keys are not written here: they already live in the key store.
    """
    certs = directory / "certs"
    leaf_dir = directory / "leaf-keys"
    certs.mkdir(parents=True, exist_ok=True)
    secure_directory(leaf_dir)
    for role, cert in ecosystem.certificates.items():
        (certs / f"{role.value}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (certs / f"{role.value}.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    encryption = serialization.BestAvailableEncryption(passphrase)
    for role, key in ecosystem.leaf_keys.items():
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        try:
            write_private_file(leaf_dir / f"{role.value}.key.pem", pem)
        except FileExistsError:
            raise KeyStoreError(f"leaf key of {role.value} already exists") from None
    cfg = ecosystem.config
    manifest = {
        "format": 1,
        "standard": cfg.standard.value,
        "provider_id": cfg.provider_id,
        "organization": cfg.organization,
        "country": cfg.country,
        "base_url": cfg.base_url,
        "test_pcid": cfg.test_pcid,
        "key_type": cfg.key_type.value if cfg.key_type else None,
        "roles": sorted(role.value for role in ecosystem.certificates),
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def load_ecosystem(directory: Path, keystore: KeyStore, passphrase: bytes) -> Ecosystem:
    """Read an ecosystem written by :func:`save_ecosystem`, with CA keys from ``keystore``."""
    try:
        manifest = json.loads((directory / "manifest.json").read_text())
        cfg = EcosystemConfig(
            provider_id=manifest["provider_id"],
            organization=manifest["organization"],
            country=manifest["country"],
            base_url=manifest["base_url"],
            test_pcid=manifest["test_pcid"],
            standard=Standard(manifest["standard"]),
            key_type=KeyType(manifest["key_type"]) if manifest["key_type"] else None,
        )
        roles = [Role(value) for value in manifest["roles"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"{directory} holds no readable PKI manifest") from exc
    certificates: dict[Role, x509.Certificate] = {}
    issuers: dict[Role, Issuer] = {}
    leaf_keys: dict[Role, PrivateKey] = {}
    for role in roles:
        try:
            data = (directory / "certs" / f"{role.value}.pem").read_bytes()
            certificates[role] = x509.load_pem_x509_certificate(data)
        except (OSError, ValueError, x509.InvalidVersion) as exc:
            raise ParseError(f"certificate of {role.value} is missing or corrupt") from exc
        profile = profile_for(role, cfg.standard)
        if profile.is_ca:
            issuers[role] = Issuer(
                certificate=certificates[role],
                handle=keystore.handle(role.value),
                keystore=keystore,
                profile=profile,
                ocsp_url=cfg.ocsp_url(),
                crl_url=cfg.crl_url(role),
            )
        else:
            path = directory / "leaf-keys" / f"{role.value}.key.pem"
            try:
                key = serialization.load_pem_private_key(path.read_bytes(), password=passphrase)
            except (OSError, ValueError, TypeError):
                raise PKIError(
                    f"leaf key of {role.value} cannot be read (wrong passphrase?)"
                ) from None
            leaf_keys[role] = key  # type: ignore[assignment]
    return Ecosystem(cfg, certificates, issuers, leaf_keys)
