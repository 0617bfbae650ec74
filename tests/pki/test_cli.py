"""The `pki` command line, end to end in a temporary directory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from pki_testkit import REPO_ROOT

from pki.cli import pki_cli
from pki.envelope import ContractKeyEnvelope, open_contract_key

ENV = {"EMSP_PKI_PASSPHRASE": "a long test passphrase"}


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
