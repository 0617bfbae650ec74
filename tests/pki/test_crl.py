"""CRLs per issuing CA (RFC 5280 section 5), checked with `openssl verify -crl_check`."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pki_testkit import PINNED_NOW, openssl, write_pem

from pki.clock import FixedClock
from pki.ecosystem import Ecosystem
from pki.emaid import generate_emaid
from pki.profiles import Role
from pki.revocation.crl import build_crl
from pki.revocation.registry import InMemoryRevocationRegistry, JsonFileRevocationRegistry

ATTIME = str(int(PINNED_NOW.timestamp()))


def test_crl_lists_revoked_serials_with_reason(ecosystem: Ecosystem, clock: FixedClock) -> None:
    registry = InMemoryRevocationRegistry()
    issuer = ecosystem.contract_issuer(clock, registry)
    sub2 = ecosystem.issuers[Role.MO_SUB2]
    revoked = issuer.issue(generate_emaid("DE8EM")).certificate
    kept = issuer.issue(generate_emaid("DE8EM")).certificate
    registry.revoke(
        sub2.issuer_id, revoked.serial_number, PINNED_NOW, x509.ReasonFlags.key_compromise
    )
    crl = build_crl(sub2, registry, clock)
    assert crl.is_signature_valid(sub2.certificate.public_key())  # type: ignore[arg-type]
    assert crl.issuer == sub2.certificate.subject
    assert crl.last_update_utc == PINNED_NOW
    assert crl.next_update_utc == PINNED_NOW + dt.timedelta(days=7)
    entry = crl.get_revoked_certificate_by_serial_number(revoked.serial_number)
    assert entry is not None
    assert (
        entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
        is x509.ReasonFlags.key_compromise
    )
    assert crl.get_revoked_certificate_by_serial_number(kept.serial_number) is None
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 1
    assert crl.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)


def test_a_ca_without_revocations_publishes_an_empty_crl(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    crl = build_crl(ecosystem.issuers[Role.CPO_SUB2], InMemoryRevocationRegistry(), clock)
    assert len(crl) == 0


def test_openssl_verify_crl_check_accepts_good_and_rejects_revoked(
    ecosystem: Ecosystem, clock: FixedClock, tmp_path: Path
) -> None:
    """Independent proof: openssl checks our CRL's signature, dates and entries."""
    registry = InMemoryRevocationRegistry()
    issuer = ecosystem.contract_issuer(clock, registry)
    sub2 = ecosystem.issuers[Role.MO_SUB2]
    good = issuer.issue(generate_emaid("DE8EM")).certificate
    bad = issuer.issue(generate_emaid("DE8EM")).certificate
    registry.revoke(sub2.issuer_id, bad.serial_number, PINNED_NOW, x509.ReasonFlags.superseded)
    crl = build_crl(sub2, registry, clock)
    crl_file = tmp_path / "sub2.crl.pem"
    crl_file.write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    root = write_pem(tmp_path / "root.pem", ecosystem.certificates[Role.MO_ROOT])
    subs = write_pem(
        tmp_path / "subs.pem",
        ecosystem.certificates[Role.MO_SUB1],
        ecosystem.certificates[Role.MO_SUB2],
    )
    common = (
        "verify",
        "-attime",
        ATTIME,
        "-CAfile",
        str(root),
        "-untrusted",
        str(subs),
        "-CRLfile",
        str(crl_file),
        "-crl_check",
    )
    ok = openssl(*common, str(write_pem(tmp_path / "good.pem", good)))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ": OK" in ok.stdout
    refused = openssl(*common, str(write_pem(tmp_path / "bad.pem", bad)))
    assert refused.returncode != 0
    assert "certificate revoked" in refused.stdout + refused.stderr


def test_openssl_verifies_our_whole_ecosystem(ecosystem: Ecosystem, tmp_path: Path) -> None:
    """Every ecosystem leaf chains to its root under openssl's own RFC 5280 checks."""
    for role in (Role.SECC, Role.OEM_PROVISIONING, Role.CPS_LEAF):
        chain = ecosystem.chain(role)
        root = write_pem(tmp_path / "root.pem", ecosystem.root_for(role))
        subs = write_pem(tmp_path / "subs.pem", *chain[1:])
        leaf = write_pem(tmp_path / "leaf.pem", chain[0])
        result = openssl(
            "verify",
            "-attime",
            ATTIME,
            "-x509_strict",
            "-CAfile",
            str(root),
            "-untrusted",
            str(subs),
            str(leaf),
        )
        assert result.returncode == 0, (role, result.stdout + result.stderr)


def _crl_number(crl: x509.CertificateRevocationList) -> int:
    return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number


def test_crl_numbers_increase_within_one_second_and_across_a_restart(
    ecosystem: Ecosystem, clock: FixedClock, tmp_path: Path
) -> None:
    """RFC 5280 5.2.3: the number used to be the Unix time, so one second gave one number."""
    path = tmp_path / "revocation.json"
    sub2, sub1 = ecosystem.issuers[Role.MO_SUB2], ecosystem.issuers[Role.MO_SUB1]
    registry = JsonFileRevocationRegistry(path)
    first = build_crl(sub2, registry, clock)  # the pinned clock: both CRLs in the same second
    second = build_crl(sub2, registry, clock)
    assert first.last_update_utc == second.last_update_utc
    assert (_crl_number(first), _crl_number(second)) == (1, 2)
    assert _crl_number(build_crl(sub1, registry, clock)) == 1  # one sequence per issuer
    reloaded = JsonFileRevocationRegistry(path)
    third = build_crl(sub2, reloaded, clock)
    assert _crl_number(third) == 3
    assert _crl_number(build_crl(sub2, JsonFileRevocationRegistry(path), clock)) == 4
    der = tmp_path / "third.crl"
    der.write_bytes(third.public_bytes(serialization.Encoding.DER))
    shown = openssl("crl", "-inform", "DER", "-in", str(der), "-noout", "-text")
    assert shown.returncode == 0, shown.stderr
    assert "X509v3 CRL Number: \n                3\n" in shown.stdout, shown.stdout


def test_a_registry_file_from_before_crl_counters_continues_above_the_old_time_numbers(
    ecosystem: Ecosystem, clock: FixedClock, tmp_path: Path
) -> None:
    """Old CLIs numbered CRLs with the Unix time; the counter must not fall below those."""
    path = tmp_path / "revocation.json"
    path.write_text(json.dumps({"issued": [], "revoked": []}))
    before = int(time.time())
    registry = JsonFileRevocationRegistry(path)
    number = _crl_number(build_crl(ecosystem.issuers[Role.MO_SUB2], registry, clock))
    assert number > before
    # The floor is persisted, so a CA that publishes only after the restart is above it too.
    other = JsonFileRevocationRegistry(path)
    assert _crl_number(build_crl(ecosystem.issuers[Role.MO_SUB1], other, clock)) > before
    assert _crl_number(build_crl(ecosystem.issuers[Role.MO_SUB2], other, clock)) == number + 1


def test_a_corrupt_crl_counter_is_a_parse_error(tmp_path: Path) -> None:
    from pki.errors import ParseError

    path = tmp_path / "revocation.json"
    for bad in ({"x": 0}, {"x": "7"}, {"x": True}, []):
        path.write_text(json.dumps({"issued": [], "revoked": [], "crl_numbers": bad}))
        try:
            JsonFileRevocationRegistry(path)
        except ParseError:
            continue
        raise AssertionError(f"accepted {bad!r}")
