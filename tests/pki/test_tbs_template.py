"""The template encoder of contract certificates against the CertificateBuilder reference.

The template (pki/tbs_template.py) must produce byte-identical TBSCertificates to
``pki.builder.build_certificate`` for the same serial, key, validity and subject. ECDSA
signatures are randomised, so the TBS bytes are compared and each signature is verified
with the issuer's public key; the results also go through strict chain validation and
``openssl verify -x509_strict``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448
from pki_testkit import PINNED_NOW, openssl, write_pem

from pki import tbs_template
from pki.builder import build_certificate, subject_name
from pki.clock import FixedClock
from pki.ecosystem import Ecosystem, EcosystemConfig, build_ecosystem
from pki.emaid import generate_emaid, parse_emaid
from pki.errors import IssuanceError, ProfileError, TemplateMismatchError
from pki.issuance import ContractIssuer
from pki.keystore import MemoryKeyStore, PublicKey
from pki.profiles import KeyType, Role, Standard, profile_for
from pki.tbs_template import TbsTemplate
from pki.validation import ChainValidator, Mode

ATTIME = str(int(PINNED_NOW.timestamp()))
NOT_BEFORE = PINNED_NOW - dt.timedelta(minutes=5)
# Fixed EMAIDs of both lengths (14 characters without, 15 with the check digit) beside
# generated ones; the published eMI3 example first.
FIXED_EMAIDS = ["DE83DUIEN83QGZD", "DE8EMA1B2C3D4E6"]
# One-octet, sign-padded and maximal serials: the INTEGER length varies from 1 to 20 octets.
SERIALS = [1, 127, 128, 255, 256, 0x7FFF, 0x8000, 1 << 63, (1 << 158) + 1, (1 << 159) - 1]


def _template(ecosystem: Ecosystem) -> TbsTemplate:
    sub2 = ecosystem.issuers[Role.MO_SUB2]
    return TbsTemplate(
        profile=profile_for(Role.CONTRACT, sub2.profile.standard),
        issuer=sub2,
        organization=ecosystem.config.organization,
        country=ecosystem.config.country,
    )


def _reference(
    ecosystem: Ecosystem,
    *,
    cn: str,
    key: PublicKey,
    serial: int,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.Certificate:
    """The CertificateBuilder path, signed by the real CA through the key store."""
    sub2 = ecosystem.issuers[Role.MO_SUB2]
    cfg = ecosystem.config
    return build_certificate(
        profile=profile_for(Role.CONTRACT, sub2.profile.standard),
        subject=subject_name(cn, cfg.organization, cfg.country, "MO"),
        public_key=key,
        issuer=sub2,
        serial=serial,
        not_before=not_before,
        not_after=not_after,
    )


def _verify_signature(certificate: x509.Certificate, issuer: x509.Certificate) -> None:
    public = issuer.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        algorithm = certificate.signature_hash_algorithm
        assert algorithm is not None
        public.verify(certificate.signature, certificate.tbs_certificate_bytes, ec.ECDSA(algorithm))
    else:
        assert isinstance(public, ed448.Ed448PublicKey)
        public.verify(certificate.signature, certificate.tbs_certificate_bytes)
    certificate.verify_directly_issued_by(issuer)


def _assert_identical(
    ecosystem: Ecosystem,
    template: TbsTemplate,
    *,
    cn: str,
    key: PublicKey,
    serial: int,
    not_after: dt.datetime,
    not_before: dt.datetime = NOT_BEFORE,
) -> x509.Certificate:
    ours, der = template.issue(
        serial=serial, common_name=cn, public_key=key, not_before=not_before, not_after=not_after
    )
    theirs = _reference(
        ecosystem, cn=cn, key=key, serial=serial, not_before=not_before, not_after=not_after
    )
    assert ours.tbs_certificate_bytes == theirs.tbs_certificate_bytes
    assert x509.load_der_x509_certificate(der) == ours
    assert ours.signature_algorithm_oid == theirs.signature_algorithm_oid
    _verify_signature(ours, ecosystem.certificates[Role.MO_SUB2])
    return ours


@pytest.mark.parametrize("serial", SERIALS)
def test_tbs_is_identical_to_the_builder_for_every_serial_length(
    ecosystem: Ecosystem, serial: int
) -> None:
    template = _template(ecosystem)
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    cert = _assert_identical(
        ecosystem,
        template,
        cn=FIXED_EMAIDS[0],
        key=key,
        serial=serial,
        not_after=NOT_BEFORE + dt.timedelta(days=730),
    )
    assert cert.serial_number == serial


def test_tbs_is_identical_for_many_emaids_keys_and_times(ecosystem: Ecosystem) -> None:
    template = _template(ecosystem)
    sub2_end = ecosystem.certificates[Role.MO_SUB2].not_valid_after_utc
    emaids = FIXED_EMAIDS + [generate_emaid("DE8EM").normalised for _ in range(20)]
    # Sub-second and non-UTC inputs: both encoders must truncate and convert alike.
    berlin = dt.timezone(dt.timedelta(hours=1))
    starts = [NOT_BEFORE, NOT_BEFORE.replace(microsecond=987_654), NOT_BEFORE.astimezone(berlin)]
    for index, emaid in enumerate(emaids):
        start = starts[index % len(starts)]
        lifetime = dt.timedelta(days=1 + 31 * index, seconds=index)
        _assert_identical(
            ecosystem,
            template,
            cn=emaid,
            key=ec.generate_private_key(ec.SECP256R1()).public_key(),
            serial=x509.random_serial_number(),
            not_before=start,
            not_after=min(start + lifetime, sub2_end),
        )


@pytest.fixture(scope="module", params=[KeyType.SECP521R1, KeyType.ED448], ids=lambda k: k.value)
def ecosystem_20(request: pytest.FixtureRequest, clock: FixedClock) -> Ecosystem:
    """ISO 15118-20 hierarchies: P-521/ECDSA-SHA512 or Ed448 issuers."""
    config = EcosystemConfig(standard=Standard.ISO15118_20, key_type=request.param)
    return build_ecosystem(MemoryKeyStore(), clock, config)


@pytest.mark.parametrize("subject_type", [KeyType.SECP521R1, KeyType.ED448], ids=lambda k: k.value)
def test_tbs_is_identical_for_iso15118_20_keys_of_other_lengths(
    ecosystem_20: Ecosystem, subject_type: KeyType
) -> None:
    """SPKIs of 158 (P-521) and 69 (Ed448) bytes instead of 91; SHA-512 and Ed448 signatures."""
    template = _template(ecosystem_20)
    for emaid in FIXED_EMAIDS:
        key = subject_type.generate().public_key()
        cert = _assert_identical(
            ecosystem_20,
            template,
            cn=emaid,
            key=key,
            serial=x509.random_serial_number(),
            not_after=NOT_BEFORE + dt.timedelta(days=700),
        )
        assert cert.public_key() == key


def test_a_generalized_time_after_2049_is_encoded_like_the_builder(ecosystem: Ecosystem) -> None:
    """RFC 5280 4.1.2.5: GeneralizedTime from 2050 on (checked without issuer bounds)."""
    template = _template(ecosystem)
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    ends = (
        dt.datetime(2049, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
        dt.datetime(2050, 1, 1, tzinfo=dt.UTC),
    )
    for end in ends:
        ours = template.tbs_certificate(
            serial=5, common_name=FIXED_EMAIDS[1], public_key=key, not_before=NOT_BEFORE,
            not_after=end,
        )  # fmt: skip
        theirs = template.reference_tbs(
            serial=5, common_name=FIXED_EMAIDS[1], public_key=key, not_before=NOT_BEFORE,
            not_after=end,
        )  # fmt: skip
        assert ours == theirs


def test_issued_chains_pass_strict_validation_and_openssl(
    ecosystem: Ecosystem, clock: FixedClock, tmp_path: Path
) -> None:
    """Parse each result once, then the profile checks (STRICT) and openssl -x509_strict."""
    issuer = ecosystem.contract_issuer(clock)
    assert issuer.uses_template
    validator = ChainValidator([ecosystem.certificates[Role.MO_ROOT]])
    root = write_pem(tmp_path / "root.pem", ecosystem.certificates[Role.MO_ROOT])
    subs = write_pem(
        tmp_path / "subs.pem",
        ecosystem.certificates[Role.MO_SUB2],
        ecosystem.certificates[Role.MO_SUB1],
    )
    leaves: list[str] = []
    for index in range(8):
        result = issuer.issue(generate_emaid("DE8EM"))
        der = result.chain_der()
        assert der[1:] == [c.public_bytes(serialization.Encoding.DER) for c in result.sub_ca_chain]
        parsed = x509.load_der_x509_certificate(der[0])
        assert parsed == result.certificate
        checked = validator.validate(der, clock.now(), leaf_role=Role.CONTRACT, mode=Mode.STRICT)
        assert checked.ok, checked.findings
        assert checked.findings == ()
        leaves.append(str(write_pem(tmp_path / f"leaf{index}.pem", parsed)))
    verdict = openssl(
        "verify", "-attime", ATTIME, "-x509_strict", "-CAfile", str(root), "-untrusted",
        str(subs), *leaves,
    )  # fmt: skip
    assert verdict.returncode == 0, verdict.stdout + verdict.stderr
    assert verdict.stdout.count(": OK") == len(leaves)


def test_template_and_builder_issuers_agree_on_everything_but_the_signature(
    ecosystem: Ecosystem, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole ContractIssuer path, with the serial pinned to compare both issuers."""
    fast = ecosystem.contract_issuer(clock)
    reference = ContractIssuer(
        mo_sub2=ecosystem.issuers[Role.MO_SUB2],
        sub_ca_chain=ecosystem.chain(Role.MO_SUB2),
        clock=clock,
        organization=ecosystem.config.organization,
        country=ecosystem.config.country,
        use_template=False,
    )
    assert fast.uses_template
    assert not reference.uses_template
    monkeypatch.setattr(x509, "random_serial_number", lambda: (1 << 158) + 77)
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    emaid = parse_emaid(FIXED_EMAIDS[0])
    ours = fast.issue(emaid, key)
    theirs = reference.issue(emaid, key)
    assert ours.certificate.tbs_certificate_bytes == theirs.certificate.tbs_certificate_bytes
    assert ours.chain_der()[1:] == theirs.chain_der()[1:]


def test_a_failing_self_check_falls_back_to_the_builder(
    ecosystem: Ecosystem, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template that disagrees with the reference is never used (wrong hash on purpose)."""
    wrong = dict(tbs_template._SIGNATURE_ALGORITHM)
    wrong[KeyType.SECP256R1] = wrong[KeyType.SECP521R1]
    monkeypatch.setattr(tbs_template, "_SIGNATURE_ALGORITHM", wrong)
    with pytest.raises(TemplateMismatchError):
        _template(ecosystem)
    issuer = ecosystem.contract_issuer(clock)
    assert not issuer.uses_template
    cert = issuer.issue(generate_emaid("DE8EM")).certificate
    assert isinstance(cert.signature_hash_algorithm, hashes.SHA256)
    cert.verify_directly_issued_by(ecosystem.certificates[Role.MO_SUB2])


def test_template_refuses_what_the_builder_refuses(ecosystem: Ecosystem) -> None:
    template = _template(ecosystem)
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    end = NOT_BEFORE + dt.timedelta(days=30)
    ok = {"common_name": FIXED_EMAIDS[0], "public_key": key, "not_before": NOT_BEFORE}
    for serial in (0, -1, 1 << 159):
        with pytest.raises(IssuanceError):
            template.issue(serial=serial, not_after=end, **ok)  # type: ignore[arg-type]
    with pytest.raises(IssuanceError):
        template.issue(serial=1, not_after=NOT_BEFORE + dt.timedelta(days=800), **ok)  # type: ignore[arg-type]
    with pytest.raises(IssuanceError):
        template.issue(serial=1, not_after=NOT_BEFORE, **ok)  # type: ignore[arg-type]
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    with pytest.raises(ProfileError):
        template.issue(
            serial=1, common_name="X", public_key=p384, not_before=NOT_BEFORE, not_after=end
        )  # type: ignore[arg-type]
    with pytest.raises(IssuanceError):
        template.issue(
            serial=1, common_name="X" * 65, public_key=key, not_before=NOT_BEFORE, not_after=end
        )
    late = ecosystem.certificates[Role.MO_SUB2].not_valid_after_utc
    with pytest.raises(IssuanceError):
        template.issue(
            serial=1, not_after=late + dt.timedelta(days=1), **{**ok, "not_before": late}
        )  # type: ignore[arg-type]


def test_the_800_byte_limit_is_enforced_on_both_paths(ecosystem: Ecosystem) -> None:
    """A CRL URL long enough to push the contract certificate past ISO 15118-2's limit."""
    sub2 = dataclasses.replace(
        ecosystem.issuers[Role.MO_SUB2], crl_url="http://pki.emsp.test/" + "c" * 300
    )
    template = TbsTemplate(
        profile=profile_for(Role.CONTRACT),
        issuer=sub2,
        organization=ecosystem.config.organization,
        country=ecosystem.config.country,
    )
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    end = NOT_BEFORE + dt.timedelta(days=30)
    with pytest.raises(ProfileError, match="800"):
        template.issue(
            serial=9, common_name=FIXED_EMAIDS[0], public_key=key, not_before=NOT_BEFORE,
            not_after=end,
        )  # fmt: skip
    with pytest.raises(ProfileError, match="800"):
        build_certificate(
            profile=profile_for(Role.CONTRACT),
            subject=subject_name(FIXED_EMAIDS[0], "EMSP Test", "DE", "MO"),
            public_key=key,
            issuer=sub2,
            serial=9,
            not_before=NOT_BEFORE,
            not_after=end,
        )


def test_ca_profiles_are_left_to_the_builder(ecosystem: Ecosystem) -> None:
    with pytest.raises(ProfileError):
        TbsTemplate(
            profile=profile_for(Role.MO_SUB2),
            issuer=ecosystem.issuers[Role.MO_SUB1],
            organization="EMSP Test",
            country="DE",
        )


@pytest.mark.parametrize(
    ("length", "encoded"),
    [(0, "00"), (127, "7f"), (128, "8180"), (255, "81ff"), (256, "820100"), (65536, "83010000")],
)
def test_der_lengths(length: int, encoded: str) -> None:
    assert tbs_template.der_length(length).hex() == encoded


def test_der_primitives_match_known_encodings() -> None:
    assert tbs_template.der_oid("1.2.840.10045.4.3.2").hex() == "06082a8648ce3d040302"
    assert tbs_template.der_oid("2.5.29.14").hex() == "0603551d0e"
    assert tbs_template.der_positive_integer(127).hex() == "02017f"
    assert tbs_template.der_positive_integer(128).hex() == "02020080"
    utc = dt.datetime(2026, 3, 1, 12, 0, 5, 999_999, tzinfo=dt.UTC)
    assert tbs_template.der_time(utc) == b"\x17\x0d260301120005Z"
    assert tbs_template.der_time(utc.replace(year=2050)) == b"\x18\x0f20500301120005Z"
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    spki = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    point = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert tbs_template.subject_public_key_bits(spki) == point
