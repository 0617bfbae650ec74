"""Regression tests of the security review: each test failed (or crashed) before its fix."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448
from cryptography.x509 import ocsp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pki_testkit import PINNED_NOW

from pki import validation
from pki.builder import subject_name
from pki.clock import FixedClock
from pki.ecosystem import Ecosystem, save_ecosystem
from pki.emaid import generate_emaid, validate_pcid
from pki.envelope import seal_contract_key
from pki.errors import (
    KeyStoreError,
    ParseError,
    PcidError,
    RevocationError,
    UnsupportedAlgorithmError,
)
from pki.keystore import MemoryKeyStore, write_private_file
from pki.profiles import Role
from pki.revocation.issuers import issuer_hashes
from pki.revocation.ocsp import MAX_REQUEST_BYTES, OcspResponder
from pki.revocation.registry import InMemoryRevocationRegistry
from pki.validation import FindingCode, Mode, load_certificate, validate_chain

PASSPHRASE = b"a long test passphrase"


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def contract_der(ecosystem: Ecosystem, clock: FixedClock) -> list[bytes]:
    return ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM")).chain_der()


def _bad_key_usage(der: bytes) -> bytes:
    """The certificate with its keyUsage BIT STRING re-tagged as NULL: outer DER intact."""
    data = bytearray(der)
    at = data.find(bytes.fromhex("0603551d0f"))  # OID 2.5.29.15
    inner = data.find(b"\x04\x04\x03\x02", at)
    assert at > 0 and inner > 0
    data[inner + 2] = 0x05
    return bytes(data)


# -- validation: never an exception out of validate() ---------------------------------------


def test_a_lazily_malformed_extension_is_a_finding(
    ecosystem: Ecosystem, contract_der: list[bytes]
) -> None:
    """cryptography decodes extensions on first use; that ValueError used to escape."""
    anchors = [ecosystem.certificates[Role.MO_ROOT]]
    broken = _bad_key_usage(contract_der[0])
    as_object = x509.load_der_x509_certificate(broken)  # loads fine: the outer DER is valid
    for leaf in (broken, as_object):
        result = validate_chain(
            [leaf, *contract_der[1:]], anchors, PINNED_NOW, leaf_role=Role.CONTRACT
        )
        assert result.codes() == {FindingCode.MALFORMED_CERTIFICATE}
    sub = validate_chain(
        [contract_der[0], _bad_key_usage(contract_der[1]), contract_der[2]],
        anchors,
        PINNED_NOW,
        leaf_role=Role.CONTRACT,
    )
    assert [(f.code, f.index) for f in sub.errors] == [(FindingCode.MALFORMED_CERTIFICATE, 1)]


def test_bytearray_and_foreign_chain_elements(
    ecosystem: Ecosystem, contract_der: list[bytes]
) -> None:
    """A bytearray sub-CA used to raise TypeError (unhashable cache key)."""
    anchors = [ecosystem.certificates[Role.MO_ROOT]]
    chain: list[object] = [contract_der[0], bytearray(contract_der[1]), contract_der[2]]
    assert validate_chain(chain, anchors, PINNED_NOW, leaf_role=Role.CONTRACT).ok  # type: ignore[arg-type]
    chain[1] = [1, 2]
    result = validate_chain(chain, anchors, PINNED_NOW, leaf_role=Role.CONTRACT)  # type: ignore[arg-type]
    assert result.codes() == {FindingCode.MALFORMED_CERTIFICATE}


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_real_certificates_never_crash_the_validator(
    ecosystem: Ecosystem, contract_der: list[bytes], data: st.DataObject
) -> None:
    """Byte flips inside a real chain reach the lazy decoders random bytes never reach."""
    which = data.draw(st.integers(0, 2))
    der = bytearray(contract_der[which])
    for _ in range(data.draw(st.integers(1, 4))):
        der[data.draw(st.integers(0, len(der) - 1))] = data.draw(st.integers(0, 255))
    chain = list(contract_der)
    chain[which] = bytes(der)
    for mode in Mode:
        result = validate_chain(
            chain,
            [ecosystem.certificates[Role.MO_ROOT]],
            PINNED_NOW,
            leaf_role=Role.CONTRACT,
            mode=mode,
        )
        assert isinstance(result.ok, bool)


def test_the_static_findings_cache_is_bounded(
    ecosystem: Ecosystem, contract_der: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every foreign sub-CA used to add an entry for ever (memory growth by request)."""
    monkeypatch.setattr(validation, "_MAX_CACHE", 1)
    validator = validation.ChainValidator([ecosystem.certificates[Role.MO_ROOT]])
    for mode in Mode:
        validator.validate(contract_der, PINNED_NOW, leaf_role=Role.CONTRACT, mode=mode)
    assert len(validator._static) <= 2


def test_strict_mode_checks_every_key_usage_bit_of_the_role(
    ecosystem: Ecosystem, keystore: MemoryKeyStore, contract_der: list[bytes]
) -> None:
    """A contract certificate without keyAgreement cannot take part in the update envelope."""
    sub2 = ecosystem.issuers[Role.MO_SUB2]
    key = ec.generate_private_key(ec.SECP256R1())
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject_name(generate_emaid("DE8EM").normalised, "EMSP Test", "DE", "MO"))
        .issuer_name(sub2.name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=300))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(sub2._aki, critical=False)
    )
    leaf = keystore.sign_certificate(sub2.handle, builder)
    chain = [_der(leaf), *contract_der[1:]]
    anchors = [ecosystem.certificates[Role.MO_ROOT]]
    strict = validate_chain(chain, anchors, PINNED_NOW, leaf_role=Role.CONTRACT)
    assert [(f.code, f.detail) for f in strict.errors] == [
        (FindingCode.KEY_USAGE_MISSING_BIT, "key_agreement")
    ]
    lenient = validate_chain(chain, anchors, PINNED_NOW, leaf_role=Role.CONTRACT, mode=Mode.LENIENT)
    assert lenient.ok
    assert lenient.findings == ()


# -- OCSP ------------------------------------------------------------------------------------


def _request(ecosystem: Ecosystem, serial: int, nonce: bytes | None) -> bytes:
    hashes_ = issuer_hashes(ecosystem.certificates[Role.MO_SUB2], "sha256")
    builder = ocsp.OCSPRequestBuilder().add_certificate_by_hash(
        hashes_.name_hash, hashes_.key_hash, serial, hashes.SHA256()
    )
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(serialization.Encoding.DER)


def _status(responder: OcspResponder, request: bytes) -> ocsp.OCSPResponseStatus:
    return ocsp.load_der_ocsp_response(responder.respond(request)).response_status


def test_ocsp_nonce_length_follows_rfc_8954(ecosystem: Ecosystem, clock: FixedClock) -> None:
    responder = OcspResponder(ecosystem.issuers.values(), InMemoryRevocationRegistry(), clock)
    ok = ocsp.load_der_ocsp_response(responder.respond(_request(ecosystem, 5, b"n" * 32)))
    assert ok.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == b"n" * 32
    for nonce in (b"", b"n" * 33, b"n" * 500):
        assert (
            _status(responder, _request(ecosystem, 5, nonce))
            is ocsp.OCSPResponseStatus.MALFORMED_REQUEST
        )


def test_ocsp_negative_serial_and_oversized_request_are_malformed(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    """Both used to raise out of respond(): ValueError and InputTooLargeError."""
    responder = OcspResponder(ecosystem.issuers.values(), InMemoryRevocationRegistry(), clock)
    serial = (1 << 150) + 5
    request = bytearray(_request(ecosystem, serial, None))
    # Find the serial INTEGER by its whole encoding: "02 13" alone can also occur inside
    # the random issuer name and key hashes, which made this test fail now and then.
    encoded = b"\x02\x13" + serial.to_bytes(19, "big")
    at = request.find(encoded)
    assert at >= 0 and request.count(encoded) == 1
    request[at + 2] = 0xFF  # same length, now negative
    assert _status(responder, bytes(request)) is ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    assert (
        _status(responder, b"\x30" * (MAX_REQUEST_BYTES + 1))
        is ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    )


# -- envelope, keys, files -------------------------------------------------------------------


def test_sealing_an_ed448_contract_key_is_a_typed_error() -> None:
    """Used to be an ``assert`` (AssertionError, or AttributeError under ``python -O``)."""
    key = ed448.Ed448PrivateKey.generate()
    name = subject_name("DE8EMC0NTRACT1X", "EMSP Test", "DE", "MO")
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=1))
        .sign(key, None)
    )
    with pytest.raises(UnsupportedAlgorithmError):
        seal_contract_key(key, cert, cert)


def test_private_files_are_0600_from_creation_and_never_follow_symlinks(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        write_private_file(tmp_path / "a.key.pem", b"secret")
    finally:
        os.umask(previous)
    assert (tmp_path / "a.key.pem").stat().st_mode & 0o777 == 0o600
    target = tmp_path / "elsewhere"
    target.write_bytes(b"")
    (tmp_path / "b.key.pem").symlink_to(target)
    with pytest.raises(FileExistsError):
        write_private_file(tmp_path / "b.key.pem", b"secret")
    assert target.read_bytes() == b""


def test_leaf_keys_are_not_written_through_a_planted_symlink(
    ecosystem: Ecosystem, tmp_path: Path
) -> None:
    """save_ecosystem used write_bytes + chmod: it followed symlinks, briefly 0644."""
    leaf_dir = tmp_path / "leaf-keys"
    leaf_dir.mkdir(mode=0o700)
    trap = tmp_path / "attacker-readable"
    trap.write_bytes(b"")
    (leaf_dir / "secc.key.pem").symlink_to(trap)
    with pytest.raises(KeyStoreError):
        save_ecosystem(ecosystem, tmp_path, PASSPHRASE)
    assert trap.read_bytes() == b""


def test_a_pcid_with_a_trailing_newline_is_refused() -> None:
    with pytest.raises(PcidError):
        validate_pcid("EMSPTESTVEHICLE01\n")


def test_remove_from_crl_is_not_a_revocation(ecosystem: Ecosystem) -> None:
    registry = InMemoryRevocationRegistry()
    issuer_id = ecosystem.issuers[Role.MO_SUB2].issuer_id
    registry.record_issued(issuer_id, 7)
    with pytest.raises(RevocationError):
        registry.revoke(issuer_id, 7, PINNED_NOW, x509.ReasonFlags.remove_from_crl)
    from pki.cli import pki_cli

    result = CliRunner().invoke(
        pki_cli, ["revoke", "unused", "--serial", "7", "--reason", "removeFromCRL"]
    )
    assert result.exit_code == 2
    assert "removeFromCRL" in result.output


def test_an_unknown_certificate_version_is_a_parse_error(
    ecosystem: Ecosystem, contract_der: list[bytes]
) -> None:
    """Found by the mutation test: x509.InvalidVersion is not a ValueError and escaped."""
    der = bytearray(contract_der[1])
    at = der.find(b"\xa0\x03\x02\x01\x02")  # [0] EXPLICIT INTEGER 2 (v3)
    der[at + 4] = 0x07
    with pytest.raises(ParseError):
        load_certificate(bytes(der))
    result = validate_chain(
        [contract_der[0], bytes(der), contract_der[2]],
        [ecosystem.certificates[Role.MO_ROOT]],
        PINNED_NOW,
        leaf_role=Role.CONTRACT,
    )
    assert [(f.code, f.index) for f in result.errors] == [(FindingCode.MALFORMED_CERTIFICATE, 1)]


def test_cli_recipient_with_an_unknown_version_is_a_clean_error(
    tmp_path: Path, contract_der: list[bytes]
) -> None:
    from pki.cli import pki_cli

    der = bytearray(contract_der[1])
    der[der.find(b"\xa0\x03\x02\x01\x02") + 4] = 0x07
    import base64

    body = base64.encodebytes(bytes(der)).decode()
    recipient = tmp_path / "recipient.pem"
    recipient.write_text(f"-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n")
    env = {"EMSP_PKI_PASSPHRASE": PASSPHRASE.decode()}
    runner = CliRunner()
    assert runner.invoke(pki_cli, ["init", str(tmp_path / "eco")], env=env).exit_code == 0
    result = runner.invoke(
        pki_cli,
        ["issue-contract", str(tmp_path / "eco"), "--out", str(tmp_path / "out")],
        env=env,
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        pki_cli,
        [
            "issue-contract",
            str(tmp_path / "eco"),
            "--out",
            str(tmp_path / "out2"),
            "--recipient",
            str(recipient),
        ],
        env=env,
    )
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
