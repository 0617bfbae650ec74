"""Helpers shared by the PKI tests: paths, checked-in vectors, the iso15118 peer, factories.

A plain module (not conftest) so test files can import it by name; tests/pki is on
``sys.path`` under pytest's default import mode.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from pki.builder import subject_name

REPO_ROOT = Path(__file__).resolve().parents[2]
VECTORS = Path(__file__).resolve().parent / "vectors"
PEER_PYTHON = REPO_ROOT / ".venv-iso15118" / "bin" / "python"
PEER_SCRIPT = Path(__file__).resolve().parent / "iso15118_peer.py"
PEER_SETUP_COMMAND = (
    "python3 -m venv .venv-iso15118 && "
    ".venv-iso15118/bin/pip install -r requirements/iso15118-peer.txt"
)

# One instant for every test: the sample certificates expire in January 2027 and the
# ecosystem is built at this time, so results never depend on the day the suite runs.
PINNED_NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def load_vector(name: str) -> x509.Certificate:
    """A checked-in certificate from tests/pki/vectors (see PROVENANCE.md there)."""
    data = (VECTORS / name).read_bytes()
    if name.endswith(".pem"):
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def run_peer(peer_python: Path, mode: str, payload: str) -> str:
    """Run tests/pki/iso15118_peer.py in the peer venv and return its stdout."""
    result = subprocess.run(
        [str(peer_python), str(PEER_SCRIPT), mode],
        input=payload,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, f"peer failed: {result.stderr}"
    return result.stdout


_START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def self_signed_p384() -> x509.Certificate:
    """A self-signed certificate on secp384r1, a curve ISO 15118 does not use."""
    key = ec.generate_private_key(ec.SECP384R1())
    name = subject_name("P384 Vehicle", "Elsewhere", "DE", "OEM")
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(_START)
        .not_valid_after(_START + dt.timedelta(days=3650))
        .sign(key, hashes.SHA384())
    )


def forge(
    *,
    keystore: object,
    issuer: object,
    cn: str,
    key: object | None = None,
    ca: bool = False,
    path_length: int | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    key_cert_sign: bool = False,
    domain_component: str = "MO",
) -> tuple[x509.Certificate, object]:
    """A certificate signed by a real ecosystem CA but shaped on purpose to break a rule.

    Goes around the profile builder (which would refuse it) and signs through the store.
    """
    from pki.builder import Issuer
    from pki.keystore import KeyStore

    assert isinstance(issuer, Issuer)
    store: KeyStore = keystore  # type: ignore[assignment]
    private = key if key is not None else ec.generate_private_key(ec.SECP256R1())
    start = not_before or dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject_name(cn, "EMSP Test", "DE", domain_component))
        .issuer_name(issuer.name)
        .public_key(private.public_key())  # type: ignore[attr-defined]
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(not_after or start + dt.timedelta(days=300))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                # A contract leaf's bits (ISO 15118-2 Annex F), so only the rule a test
                # breaks on purpose shows up as a finding.
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=not ca,
                key_cert_sign=ca or key_cert_sign,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(private.public_key()), critical=False
        )  # type: ignore[attr-defined]
        .add_extension(issuer._aki, critical=False)
    )
    return store.sign_certificate(issuer.handle, builder), private


def write_pem(path: Path, *certs: x509.Certificate) -> Path:
    """Write certificates as one PEM file (for openssl)."""
    from cryptography.hazmat.primitives import serialization

    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    return path


def openssl(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the openssl binary (an implementation we did not write) and capture its output."""
    return subprocess.run(
        ["openssl", *args], capture_output=True, text=True, timeout=60, check=False
    )
