"""Command line: ``emsp pki ...`` (mounted by the app) or ``python -m pki``.

``init DIR`` creates a test ecosystem with CA keys encrypted at rest. Every command that
touches keys needs ``EMSP_PKI_PASSPHRASE``; ``--insecure-dev-passphrase`` uses a fixed,
publicly known passphrase instead and says so on stderr.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from pki.clock import SystemClock
from pki.ecosystem import (
    Ecosystem,
    EcosystemConfig,
    build_ecosystem,
    load_ecosystem,
    save_ecosystem,
)
from pki.emaid import generate_emaid
from pki.envelope import RECIPIENT_ROLES, ContractKeyEnvelope, seal_for_validated_recipient
from pki.errors import IssuanceError, PKIError
from pki.issuance import ContractIssuance
from pki.keystore import EncryptedFileKeyStore, passphrase_from_env
from pki.profiles import Role
from pki.revocation.crl import build_crl
from pki.revocation.ocsp import MAX_REQUEST_BYTES, OcspResponder
from pki.revocation.registry import JsonFileRevocationRegistry
from pki.validation import ChainValidator

_INSECURE = click.option(
    "--insecure-dev-passphrase",
    is_flag=True,
    help="Encrypt CA keys with a fixed, PUBLIC passphrase. Throw-away test ecosystems only.",
)
_DIR = click.argument("directory", type=click.Path(path_type=Path))


def _passphrase(insecure: bool) -> bytes:
    try:
        passphrase = passphrase_from_env(insecure_dev=insecure)
    except PKIError as exc:
        raise click.UsageError(str(exc)) from None
    if insecure:
        click.echo("WARNING: using the insecure development passphrase", err=True)
    return passphrase


def _open(
    directory: Path, insecure: bool
) -> tuple[Ecosystem, EncryptedFileKeyStore, JsonFileRevocationRegistry]:
    passphrase = _passphrase(insecure)
    store = EncryptedFileKeyStore(directory / "keys", passphrase)
    try:
        ecosystem = load_ecosystem(directory, store, passphrase)
        registry = JsonFileRevocationRegistry(directory / "revocation.json")
    except PKIError as exc:
        raise click.ClickException(str(exc)) from None
    return ecosystem, store, registry


def _recipient_anchors(ecosystem: Ecosystem, role: Role) -> list[x509.Certificate]:
    """Trust anchors of a recipient: the OEM root, or the V2G and MO roots for contracts."""
    roots = (Role.OEM_ROOT,) if role is Role.OEM_PROVISIONING else (Role.V2G_ROOT, Role.MO_ROOT)
    return [ecosystem.certificates[r] for r in roots if r in ecosystem.certificates]


@click.group(name="pki")
def pki_cli() -> None:
    """ISO 15118 Plug & Charge PKI: test ecosystem, contracts, CRL and OCSP."""


@pki_cli.command()
@_DIR
@_INSECURE
@click.option(
    "--provider-id", default="DE8EM", show_default=True, help="Country + provider id of our EMAIDs."
)
@click.option(
    "--pcid", default="EMSPTESTVEHICLE01", show_default=True, help="PCID of the test vehicle."
)
def init(directory: Path, insecure_dev_passphrase: bool, provider_id: str, pcid: str) -> None:
    """Create a complete test ecosystem in DIRECTORY (ISO 15118-2 Annex F profiles)."""
    passphrase = _passphrase(insecure_dev_passphrase)
    if (directory / "manifest.json").exists():
        raise click.ClickException(f"{directory} already holds an ecosystem")
    directory.mkdir(parents=True, exist_ok=True)
    store = EncryptedFileKeyStore(directory / "keys", passphrase)
    registry = JsonFileRevocationRegistry(directory / "revocation.json")
    try:
        config = EcosystemConfig(provider_id=provider_id, test_pcid=pcid)
        ecosystem = build_ecosystem(store, SystemClock(), config, registry)
        save_ecosystem(ecosystem, directory, passphrase)
    except PKIError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {len(ecosystem.certificates)} certificates in {directory}")


@pki_cli.command("issue-contract")
@_DIR
@_INSECURE
@click.option("--emaid", help="EMAID to issue for; a new one is generated when omitted.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Output directory.")
@click.option(
    "--recipient",
    type=click.Path(exists=True, path_type=Path),
    help="PEM file: the certificate to encrypt the key for, then its sub-CAs (default: the "
    "test vehicle's OEM provisioning chain). Validated against the ecosystem's roots.",
)
@click.option(
    "--recipient-role",
    type=click.Choice([r.value for r in RECIPIENT_ROLES]),
    default=Role.OEM_PROVISIONING.value,
    show_default=True,
    help="oem-provisioning (installation, OEM root) or contract (update, V2G and MO roots).",
)
def issue_contract(
    directory: Path,
    insecure_dev_passphrase: bool,
    *,
    emaid: str | None,
    out: Path,
    recipient: Path | None,
    recipient_role: str,
) -> None:
    """Issue a contract certificate and the envelope for the vehicle (ISO 15118-2 [V2G2-818]).

    The recipient's chain is validated (RFC 5280, ISO 15118 lenient profile) against the
    OEM root or the V2G/MO roots at the current time; the serial is recorded in the
    revocation registry only once the envelope has been made.
    """
    role = Role(recipient_role)
    if recipient is None and role is not Role.OEM_PROVISIONING:
        raise click.UsageError("--recipient-role contract needs --recipient")
    ecosystem, _, registry = _open(directory, insecure_dev_passphrase)
    clock = SystemClock()
    try:
        chain = (
            tuple(x509.load_pem_x509_certificates(recipient.read_bytes()))
            if recipient
            else ecosystem.chain(Role.OEM_PROVISIONING)
        )
        validator = ChainValidator(_recipient_anchors(ecosystem, role), ecosystem.config.standard)
        now = clock.now()

        def seal(contract: ContractIssuance) -> ContractKeyEnvelope:
            if contract.private_key is None:
                raise IssuanceError("the contract issuer returned no private key")
            return seal_for_validated_recipient(
                contract.private_key,
                contract.certificate,
                chain,
                validator=validator,
                recipient_role=role,
                at=now,
            )

        issued, envelope = ecosystem.contract_issuer(clock, registry).issue_and_seal(
            emaid or generate_emaid(ecosystem.config.provider_id), seal
        )
    except (PKIError, ValueError, x509.InvalidVersion) as exc:
        raise click.ClickException(str(exc)) from None
    out.mkdir(parents=True, exist_ok=True)
    (out / "contract-chain.pem").write_bytes(
        b"".join(c.public_bytes(serialization.Encoding.PEM) for c in issued.chain)
    )
    (out / "envelope.json").write_text(
        json.dumps(
            {
                "emaid": issued.emaid.normalised,
                "serial": f"{issued.certificate.serial_number:x}",
                "dhPublicKey": envelope.dh_public_key.hex(),
                "encryptedPrivateKey": envelope.encrypted_private_key.hex(),
            },
            indent=2,
        )
        + "\n"
    )
    click.echo(f"{issued.emaid.normalised} serial {issued.certificate.serial_number:x}")


@pki_cli.command()
@_DIR
@_INSECURE
@click.option("--serial", required=True, help="Serial number in hex.")
@click.option(
    "--issuer",
    "issuer_role",
    default=Role.MO_SUB2.value,
    show_default=True,
    help="Issuing CA role.",
)
@click.option(
    "--reason",
    # removeFromCRL only appears in delta CRLs (RFC 5280 5.3.1); we publish full CRLs.
    type=click.Choice(
        [r.value for r in x509.ReasonFlags if r is not x509.ReasonFlags.remove_from_crl]
    ),
    default="unspecified",
)
def revoke(
    directory: Path, insecure_dev_passphrase: bool, serial: str, issuer_role: str, reason: str
) -> None:
    """Revoke a certificate issued by one of our CAs (RFC 5280 5.3.1 reason codes)."""
    ecosystem, _, registry = _open(directory, insecure_dev_passphrase)
    try:
        issuer = ecosystem.issuers[Role(issuer_role)]
        registry.revoke(
            issuer.issuer_id, int(serial, 16), dt.datetime.now(dt.UTC), x509.ReasonFlags(reason)
        )
    except (PKIError, ValueError, KeyError) as exc:
        raise click.ClickException(f"cannot revoke: {exc}") from None
    click.echo(f"revoked {serial} of {issuer_role}")


@pki_cli.command()
@_DIR
@_INSECURE
@click.option("--issuer", "issuer_role", default=Role.MO_SUB2.value, show_default=True)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="CRL file (DER).")
def crl(directory: Path, insecure_dev_passphrase: bool, issuer_role: str, out: Path) -> None:
    """Write the CRL of one CA (RFC 5280 section 5), DER encoded."""
    ecosystem, _, registry = _open(directory, insecure_dev_passphrase)
    try:
        issuer = ecosystem.issuers[Role(issuer_role)]
    except (ValueError, KeyError):
        raise click.ClickException(f"no CA {issuer_role!r}") from None
    out.write_bytes(
        build_crl(issuer, registry, SystemClock()).public_bytes(serialization.Encoding.DER)
    )
    click.echo(f"wrote {out}")


@pki_cli.command()
@_DIR
@_INSECURE
@click.option(
    "--request", "request_path", type=click.Path(exists=True, path_type=Path), required=True
)
@click.option("--response", "response_path", type=click.Path(path_type=Path), required=True)
def ocsp(
    directory: Path, insecure_dev_passphrase: bool, request_path: Path, response_path: Path
) -> None:
    """Answer a DER OCSP request file with a DER OCSP response file (RFC 6960)."""
    ecosystem, _, registry = _open(directory, insecure_dev_passphrase)
    responder = OcspResponder(ecosystem.issuers.values(), registry, SystemClock())
    with request_path.open("rb") as request:
        # One byte past the limit is enough for the responder to refuse it as too large.
        data = request.read(MAX_REQUEST_BYTES + 1)
    response_path.write_bytes(responder.respond(data))
    click.echo(f"wrote {response_path}")
