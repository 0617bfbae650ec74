"""The `pki` command line, end to end in a temporary directory."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from pki_testkit import REPO_ROOT, forge, write_pem

from pki.builder import subject_name
from pki.cli import pki_cli
from pki.ecosystem import load_ecosystem
from pki.envelope import ContractKeyEnvelope, open_contract_key
from pki.keystore import EncryptedFileKeyStore
from pki.profiles import Role

ENV = {"EMSP_PKI_PASSPHRASE": "a long test passphrase"}
PASSPHRASE = ENV["EMSP_PKI_PASSPHRASE"].encode()


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pki") / "eco"
    result = CliRunner().invoke(pki_cli, ["init", str(directory)], env=ENV)
    assert result.exit_code == 0, result.output
    return directory


def test_init_refuses_to_run_without_a_passphrase(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        pki_cli, ["init", str(tmp_path / "x")], env={"EMSP_PKI_PASSPHRASE": ""}
    )
    assert result.exit_code != 0
    assert "EMSP_PKI_PASSPHRASE" in result.output
    assert not (tmp_path / "x").exists()


def test_insecure_flag_is_explicit_and_loud(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        pki_cli,
        ["init", str(tmp_path / "dev"), "--insecure-dev-passphrase"],
        env={"EMSP_PKI_PASSPHRASE": ""},
    )
    assert result.exit_code == 0, result.output
    assert "insecure" in result.output.lower()


def test_init_writes_encrypted_ca_keys_and_all_hierarchies(initialised: Path) -> None:
    keys = sorted(p.name for p in (initialised / "keys").iterdir())
    assert "mo-sub2.key.pem" in keys
    assert "v2g-root.key.pem" in keys
    assert len(keys) == 11
    for key in (initialised / "keys").iterdir():
        assert key.read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    for leaf in (initialised / "leaf-keys").iterdir():
        assert leaf.read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    certs = {p.stem for p in (initialised / "certs").glob("*.pem")}
    assert {
        "v2g-root",
        "mo-root",
        "oem-root",
        "cpo-sub2",
        "secc",
        "cps-leaf",
        "oem-provisioning",
    } <= certs


def test_issue_revoke_crl_and_ocsp(initialised: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "contract"
    issued = runner.invoke(
        pki_cli, ["issue-contract", str(initialised), "--out", str(out)], env=ENV
    )
    assert issued.exit_code == 0, issued.output
    envelope = json.loads((out / "envelope.json").read_text())
    chain = x509.load_pem_x509_certificates((out / "contract-chain.pem").read_bytes())
    assert len(chain) == 3
    vehicle_key = serialization.load_pem_private_key(
        (initialised / "leaf-keys" / "oem-provisioning.key.pem").read_bytes(),
        password=ENV["EMSP_PKI_PASSPHRASE"].encode(),
    )
    key = open_contract_key(
        ContractKeyEnvelope(
            bytes.fromhex(envelope["dhPublicKey"]), bytes.fromhex(envelope["encryptedPrivateKey"])
        ),
        vehicle_key,
    )  # type: ignore[arg-type]
    assert key.public_key().public_numbers() == chain[0].public_key().public_numbers()  # type: ignore[union-attr]

    request = ocsp.OCSPRequestBuilder().add_certificate(chain[0], chain[1], hashes.SHA256()).build()
    (tmp_path / "req.der").write_bytes(request.public_bytes(serialization.Encoding.DER))

    def status() -> ocsp.OCSPCertStatus:
        answered = runner.invoke(
            pki_cli,
            [
                "ocsp",
                str(initialised),
                "--request",
                str(tmp_path / "req.der"),
                "--response",
                str(tmp_path / "resp.der"),
            ],
            env=ENV,
        )
        assert answered.exit_code == 0, answered.output
        return ocsp.load_der_ocsp_response((tmp_path / "resp.der").read_bytes()).certificate_status

    assert status() is ocsp.OCSPCertStatus.GOOD
    revoked = runner.invoke(
        pki_cli,
        ["revoke", str(initialised), "--serial", envelope["serial"], "--reason", "keyCompromise"],
        env=ENV,
    )
    assert revoked.exit_code == 0, revoked.output
    assert status() is ocsp.OCSPCertStatus.REVOKED
    crl_out = runner.invoke(
        pki_cli, ["crl", str(initialised), "--out", str(tmp_path / "sub2.crl")], env=ENV
    )
    assert crl_out.exit_code == 0, crl_out.output
    crl = x509.load_der_x509_crl((tmp_path / "sub2.crl").read_bytes())
    assert crl.get_revoked_certificate_by_serial_number(chain[0].serial_number) is not None


def test_wrong_passphrase_is_a_clean_error(initialised: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        pki_cli,
        ["issue-contract", str(initialised), "--out", str(tmp_path)],
        env={"EMSP_PKI_PASSPHRASE": "another long passphrase"},
    )
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_revoking_an_unknown_serial_fails(initialised: Path) -> None:
    result = CliRunner().invoke(
        pki_cli, ["revoke", str(initialised), "--serial", "abc123"], env=ENV
    )
    assert result.exit_code != 0
    assert "cannot revoke" in result.output


def test_python_dash_m_pki_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pki", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "issue-contract" in result.stdout


def _issued_serials(directory: Path) -> set[str]:
    return {i["serial"] for i in json.loads((directory / "revocation.json").read_text())["issued"]}


def _issue(directory: Path, out: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        pki_cli, ["issue-contract", str(directory), "--out", str(out), *extra], env=ENV
    )


def _open_envelope(out: Path, key: object) -> ec.EllipticCurvePrivateKey:
    data = json.loads((out / "envelope.json").read_text())
    envelope = ContractKeyEnvelope(
        bytes.fromhex(data["dhPublicKey"]), bytes.fromhex(data["encryptedPrivateKey"])
    )
    return open_contract_key(envelope, key)  # type: ignore[arg-type]


def test_cli_refuses_recipients_that_do_not_validate_and_records_no_serial(
    initialised: Path, tmp_path: Path
) -> None:
    """The recipient chain must reach the OEM root now; a refusal leaves the registry as is."""
    before = _issued_serials(initialised)
    rogue_key = ec.generate_private_key(ec.SECP256R1())
    name = subject_name("EMSPTESTVEHICLE01", "Rogue", "DE", "OEM")
    now = dt.datetime.now(dt.UTC)
    rogue = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(rogue_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(rogue_key, hashes.SHA256())
    )
    store = EncryptedFileKeyStore(initialised / "keys", PASSPHRASE)
    eco = load_ecosystem(initialised, store, PASSPHRASE)
    expired, _ = forge(
        keystore=store,
        issuer=eco.issuers[Role.OEM_SUB2],
        cn="EMSPTESTVEHICLE02",
        domain_component="OEM",
        not_before=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        not_after=dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
    )
    cases = {
        "no-trust-anchor": write_pem(tmp_path / "rogue.pem", rogue),
        "expired": write_pem(tmp_path / "expired.pem", expired, *eco.chain(Role.OEM_SUB2)),
    }
    for message, recipient in cases.items():
        result = _issue(initialised, tmp_path / message, "--recipient", str(recipient))
        assert result.exit_code == 1, result.output
        assert message in result.output
        assert "Traceback" not in result.output
        assert not (tmp_path / message).exists()
        assert _issued_serials(initialised) == before
    good = write_pem(tmp_path / "vehicle.pem", *eco.chain(Role.OEM_PROVISIONING))
    assert _issue(initialised, tmp_path / "ok", "--recipient", str(good)).exit_code == 0
    new = json.loads((tmp_path / "ok" / "envelope.json").read_text())["serial"]
    assert _issued_serials(initialised) == before | {new}


def test_cli_update_envelope_for_the_current_contract_chain(
    initialised: Path, tmp_path: Path
) -> None:
    """CertificateUpdateRes: the recipient is the current contract, anchored at the MO root."""
    assert _issue(initialised, tmp_path / "first").exit_code == 0
    current = tmp_path / "first" / "contract-chain.pem"
    # The contract chain is no OEM provisioning chain.
    refused = _issue(initialised, tmp_path / "wrong", "--recipient", str(current))
    assert refused.exit_code == 1
    assert "no-trust-anchor" in refused.output
    update = _issue(
        initialised,
        tmp_path / "second",
        "--recipient",
        str(current),
        "--recipient-role",
        "contract",
    )
    assert update.exit_code == 0, update.output
    vehicle_key = serialization.load_pem_private_key(
        (initialised / "leaf-keys" / "oem-provisioning.key.pem").read_bytes(), password=PASSPHRASE
    )
    current_key = _open_envelope(tmp_path / "first", vehicle_key)
    renewed_key = _open_envelope(tmp_path / "second", current_key)
    renewed = x509.load_pem_x509_certificates(
        (tmp_path / "second" / "contract-chain.pem").read_bytes()
    )[0]
    assert renewed_key.public_key() == renewed.public_key()
    usage = _issue(initialised, tmp_path / "x", "--recipient-role", "contract")
    assert usage.exit_code == 2
    assert "--recipient" in usage.output


def test_a_keys_directory_with_wider_permissions_is_tightened(
    initialised: Path, tmp_path: Path
) -> None:
    keys = initialised / "keys"
    keys.chmod(0o755)
    result = CliRunner().invoke(
        pki_cli, ["crl", str(initialised), "--out", str(tmp_path / "c.crl")], env=ENV
    )
    assert result.exit_code == 0, result.output
    assert keys.stat().st_mode & 0o777 == 0o700
    fresh = tmp_path / "fresh"
    (fresh / "keys").mkdir(parents=True)
    (fresh / "keys").chmod(0o775)  # e.g. a manual mkdir under a group-friendly umask
    assert CliRunner().invoke(pki_cli, ["init", str(fresh)], env=ENV).exit_code == 0
    assert (fresh / "keys").stat().st_mode & 0o777 == 0o700
    assert (fresh / "leaf-keys").stat().st_mode & 0o777 == 0o700
