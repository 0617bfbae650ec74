"""OCSP responder (RFC 6960), checked with `openssl ocsp`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from pki_testkit import PINNED_NOW, openssl, write_pem

from pki.clock import FixedClock
from pki.ecosystem import Ecosystem
from pki.emaid import generate_emaid
from pki.errors import InputTooLargeError, OCSPRequestError
from pki.profiles import Role
from pki.revocation.issuers import issuer_hashes
from pki.revocation.ocsp import MAX_REQUEST_BYTES, OcspResponder, parse_ocsp_request
from pki.revocation.registry import InMemoryRevocationRegistry

# The RFC 6960 default CertID hash; a name digest, not a signature.
SHA1 = hashes.SHA1()  # noqa: S303
ATTIME = str(int(PINNED_NOW.timestamp()))
# openssl checks thisUpdate/nextUpdate against the machine clock; the pinned responses are
# accepted within this many seconds of discrepancy (ten years), the chain at -attime.
LEEWAY = str(10 * 365 * 24 * 3600)


@pytest.fixture
def setup(
    ecosystem: Ecosystem, clock: FixedClock
) -> tuple[OcspResponder, InMemoryRevocationRegistry]:
    registry = InMemoryRevocationRegistry()
    responder = OcspResponder(ecosystem.issuers.values(), registry, clock)
    return responder, registry


def _request(
    cert: x509.Certificate,
    issuer: x509.Certificate,
    algorithm: hashes.HashAlgorithm | None = None,
    nonce: bytes | None = None,
) -> bytes:
    builder = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, algorithm or hashes.SHA256())
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(serialization.Encoding.DER)


def test_good_revoked_and_unknown(
    ecosystem: Ecosystem, clock: FixedClock, setup: tuple[OcspResponder, InMemoryRevocationRegistry]
) -> None:
    responder, registry = setup
    issuer = ecosystem.contract_issuer(clock, registry)
    sub2 = ecosystem.certificates[Role.MO_SUB2]
    good = issuer.issue(generate_emaid("DE8EM")).certificate
    bad = issuer.issue(generate_emaid("DE8EM")).certificate
    registry.revoke(
        ecosystem.issuers[Role.MO_SUB2].issuer_id,
        bad.serial_number,
        PINNED_NOW - dt.timedelta(hours=1),
        x509.ReasonFlags.key_compromise,
    )
    stranger = (
        ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM")).certificate
    )  # not recorded
    expected = {
        good: ocsp.OCSPCertStatus.GOOD,
        bad: ocsp.OCSPCertStatus.REVOKED,
        stranger: ocsp.OCSPCertStatus.UNKNOWN,
    }
    for cert, status in expected.items():
        response = ocsp.load_der_ocsp_response(
            responder.respond(_request(cert, sub2, nonce=b"0123456789abcdef"))
        )
        assert response.response_status is ocsp.OCSPResponseStatus.SUCCESSFUL
        assert response.certificate_status is status
        assert response.serial_number == cert.serial_number
        assert response.this_update_utc == PINNED_NOW
        assert response.next_update_utc is not None
        assert response.next_update_utc > PINNED_NOW
        assert (
            response.responder_key_hash
            == x509.SubjectKeyIdentifier.from_public_key(sub2.public_key()).digest
        )  # type: ignore[arg-type]
        assert (
            response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
            == b"0123456789abcdef"
        )
    revoked = ocsp.load_der_ocsp_response(responder.respond(_request(bad, sub2)))
    assert revoked.revocation_reason is x509.ReasonFlags.key_compromise
    assert revoked.revocation_time_utc == PINNED_NOW - dt.timedelta(hours=1)


def test_sha1_cert_ids_are_answered_with_the_same_hashes(
    ecosystem: Ecosystem, clock: FixedClock, setup: tuple[OcspResponder, InMemoryRevocationRegistry]
) -> None:
    responder, registry = setup
    cert = ecosystem.contract_issuer(clock, registry).issue(generate_emaid("DE8EM")).certificate
    request = ocsp.load_der_ocsp_request(_request(cert, ecosystem.certificates[Role.MO_SUB2], SHA1))
    response = ocsp.load_der_ocsp_response(
        responder.respond(_request(cert, ecosystem.certificates[Role.MO_SUB2], SHA1))
    )
    assert response.certificate_status is ocsp.OCSPCertStatus.GOOD
    assert response.issuer_key_hash == request.issuer_key_hash
    assert isinstance(response.hash_algorithm, hashes.SHA1)


def test_unknown_issuer_is_unauthorized(
    ecosystem: Ecosystem, clock: FixedClock, setup: tuple[OcspResponder, InMemoryRevocationRegistry]
) -> None:
    responder, _ = setup
    from pki_testkit import self_signed_p384

    foreign = self_signed_p384()
    response = ocsp.load_der_ocsp_response(responder.respond(_request(foreign, foreign)))
    assert response.response_status is ocsp.OCSPResponseStatus.UNAUTHORIZED


@pytest.mark.parametrize("data", [b"", b"\x30", b"\x30\x03\x02\x01\x00", b"garbage" * 10])
def test_malformed_requests_get_malformed_request(
    setup: tuple[OcspResponder, InMemoryRevocationRegistry], data: bytes
) -> None:
    responder, _ = setup
    assert (
        ocsp.load_der_ocsp_response(responder.respond(data)).response_status
        is ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    )
    with pytest.raises(OCSPRequestError):
        parse_ocsp_request(data)


def test_truncated_and_oversized_requests(
    ecosystem: Ecosystem, clock: FixedClock, setup: tuple[OcspResponder, InMemoryRevocationRegistry]
) -> None:
    _, registry = setup
    cert = ecosystem.contract_issuer(clock, registry).issue(generate_emaid("DE8EM")).certificate
    full = _request(cert, ecosystem.certificates[Role.MO_SUB2])
    for cut in range(1, len(full)):
        with pytest.raises(OCSPRequestError):
            parse_ocsp_request(full[:cut])
    with pytest.raises(InputTooLargeError):
        parse_ocsp_request(b"\x30" * (MAX_REQUEST_BYTES + 1))


def test_openssl_accepts_our_answer_to_its_request(
    ecosystem: Ecosystem,
    clock: FixedClock,
    setup: tuple[OcspResponder, InMemoryRevocationRegistry],
    tmp_path: Path,
) -> None:
    """Independent proof: openssl builds the request and verifies our signed response.

    Step one checks signature, signer chain up to the MO root and nonce (``-reqin``); step
    two reads the status for the certificate (``-cert``, which makes a new request, hence
    ``-no_nonce`` there).
    """
    responder, registry = setup
    issuer = ecosystem.contract_issuer(clock, registry)
    good = issuer.issue(generate_emaid("DE8EM")).certificate
    bad = issuer.issue(generate_emaid("DE8EM")).certificate
    registry.revoke(
        ecosystem.issuers[Role.MO_SUB2].issuer_id,
        bad.serial_number,
        PINNED_NOW,
        x509.ReasonFlags.superseded,
    )
    sub2 = write_pem(tmp_path / "sub2.pem", ecosystem.certificates[Role.MO_SUB2])
    untrusted = write_pem(
        tmp_path / "subs.pem",
        ecosystem.certificates[Role.MO_SUB2],
        ecosystem.certificates[Role.MO_SUB1],
    )
    root = write_pem(tmp_path / "root.pem", ecosystem.certificates[Role.MO_ROOT])
    req, resp = tmp_path / "req.der", tmp_path / "resp.der"
    times = ("-attime", ATTIME, "-validity_period", LEEWAY)
    for cert, word in ((good, "good"), (bad, "revoked")):
        leaf = write_pem(tmp_path / "leaf.pem", cert)
        made = openssl("ocsp", "-issuer", str(sub2), "-cert", str(leaf), "-reqout", str(req))
        assert made.returncode == 0, made.stderr
        resp.write_bytes(responder.respond(req.read_bytes()))
        verified = openssl(
            "ocsp", "-reqin", str(req), "-respin", str(resp), "-verify_other", str(untrusted),
            "-CAfile", str(root), *times,
        )  # fmt: skip
        assert verified.returncode == 0, verified.stderr + verified.stdout
        assert "Response verify OK" in verified.stderr + verified.stdout
        status = openssl(
            "ocsp", "-respin", str(resp), "-issuer", str(sub2), "-cert", str(leaf), "-no_nonce",
            "-verify_other", str(untrusted), "-CAfile", str(root), *times,
        )  # fmt: skip
        assert status.returncode == 0, status.stderr + status.stdout
        assert f"leaf.pem: {word}" in status.stdout


def test_openssl_rejects_a_response_signed_by_another_ca(
    ecosystem: Ecosystem,
    clock: FixedClock,
    setup: tuple[OcspResponder, InMemoryRevocationRegistry],
    tmp_path: Path,
) -> None:
    """The negative control: openssl must fail when the responder key is not the issuer's.

    The response names the contract by MO sub-CA 2's CertID hashes but is signed by CPO
    sub-CA 2, whose chain openssl is given and trusts: signature and chain verify, so the
    only reason left to refuse is RFC 6960 4.2.2.2 (the signer is neither the issuer nor a
    delegated responder). The positive twin, signed by MO sub-CA 2, must pass.
    """
    responder, registry = setup
    cert = ecosystem.contract_issuer(clock, registry).issue(generate_emaid("DE8EM")).certificate
    sub2_hashes = issuer_hashes(ecosystem.certificates[Role.MO_SUB2], "sha256")
    leaf = write_pem(tmp_path / "leaf.pem", cert)
    sub2 = write_pem(tmp_path / "sub2.pem", ecosystem.certificates[Role.MO_SUB2])
    others = write_pem(
        tmp_path / "others.pem",
        ecosystem.certificates[Role.MO_SUB2],
        ecosystem.certificates[Role.MO_SUB1],
        ecosystem.certificates[Role.CPO_SUB2],
        ecosystem.certificates[Role.CPO_SUB1],
    )
    cafile = write_pem(
        tmp_path / "ca.pem",
        ecosystem.certificates[Role.MO_ROOT],
        ecosystem.certificates[Role.V2G_ROOT],
    )
    outputs = {}
    for role in (Role.CPO_SUB2, Role.MO_SUB2):
        response = responder.response_for(
            ecosystem.issuers[role],
            cert.serial_number,
            algorithm="sha256",
            name_hash=sub2_hashes.name_hash,
            key_hash=sub2_hashes.key_hash,
        )
        (tmp_path / "resp.der").write_bytes(response.public_bytes(serialization.Encoding.DER))
        checked = openssl(
            "ocsp", "-respin", str(tmp_path / "resp.der"), "-issuer", str(sub2),
            "-cert", str(leaf), "-no_nonce", "-verify_other", str(others),
            "-CAfile", str(cafile), "-attime", ATTIME, "-validity_period", LEEWAY,
        )  # fmt: skip
        outputs[role] = checked.stderr + checked.stdout
    assert "Response verify OK" in outputs[Role.MO_SUB2], outputs[Role.MO_SUB2]
    assert "Response verify OK" not in outputs[Role.CPO_SUB2]
    assert "Response Verify Failure" in outputs[Role.CPO_SUB2], outputs[Role.CPO_SUB2]
