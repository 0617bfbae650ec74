"""Chain validation on real certificates and on chains broken on purpose."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pki_testkit import forge, load_vector

from pki.builder import Issuer
from pki.clock import FixedClock
from pki.ecosystem import Ecosystem
from pki.emaid import generate_emaid
from pki.keystore import MemoryKeyStore
from pki.profiles import Role, profile_for
from pki.validation import ChainValidator, FindingCode, Mode, Severity, validate_chain

SAMPLE_TIME = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
HUBJECT_TIME = dt.datetime(2022, 6, 1, tzinfo=dt.UTC)


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def contract(ecosystem: Ecosystem, clock: FixedClock) -> tuple[x509.Certificate, ...]:
    return ecosystem.contract_issuer(clock).issue(generate_emaid("DE8EM")).chain


def _validate(
    ecosystem: Ecosystem, chain: list[x509.Certificate], at: dt.datetime, mode: Mode = Mode.STRICT
):  # type: ignore[no-untyped-def]
    return validate_chain(
        chain, [ecosystem.certificates[Role.MO_ROOT]], at, leaf_role=Role.CONTRACT, mode=mode
    )


def test_our_contract_chain_passes_strict(
    ecosystem: Ecosystem, contract: tuple[x509.Certificate, ...], clock: FixedClock
) -> None:
    result = _validate(ecosystem, list(contract), clock.now())
    assert result.ok, result.findings
    assert result.findings == ()
    assert result.anchor == ecosystem.certificates[Role.MO_ROOT]


@pytest.mark.parametrize("role", [Role.SECC, Role.OEM_PROVISIONING, Role.CPS_LEAF])
def test_every_ecosystem_leaf_passes_strict(
    ecosystem: Ecosystem, clock: FixedClock, role: Role
) -> None:
    result = validate_chain(
        ecosystem.chain(role), [ecosystem.root_for(role)], clock.now(), leaf_role=role
    )
    assert result.ok, result.findings
    assert result.findings == ()


def test_a_chain_given_as_der_with_its_root_is_accepted(
    ecosystem: Ecosystem, contract: tuple[x509.Certificate, ...], clock: FixedClock
) -> None:
    validator = ChainValidator([ecosystem.certificates[Role.MO_ROOT]])
    chain = [_der(c) for c in (*contract, ecosystem.certificates[Role.MO_ROOT])]
    for _ in range(3):
        assert validator.validate(chain, clock.now(), leaf_role=Role.CONTRACT).ok


def test_sample_certificates_pass_lenient_and_explain_strict() -> None:
    chain = [
        load_vector(n) for n in ("contractLeafCert.der", "moSubCA2Cert.der", "moSubCA1Cert.der")
    ]
    anchors = [load_vector("moRootCACert.der")]
    lenient = validate_chain(
        chain, anchors, SAMPLE_TIME, leaf_role=Role.CONTRACT, mode=Mode.LENIENT
    )
    assert lenient.ok, lenient.errors
    strict = validate_chain(chain, anchors, SAMPLE_TIME, leaf_role=Role.CONTRACT, mode=Mode.STRICT)
    assert not strict.ok
    # Their CAs carry DC=MO and no AKI, and "UKSWI123456791A" has a wrong check digit.
    assert FindingCode.EMAID_CHECK_DIGIT in strict.codes()
    assert FindingCode.MISSING_EXTENSION in strict.codes()
    assert {f.code for f in strict.errors} <= {
        FindingCode.EMAID_CHECK_DIGIT,
        FindingCode.MISSING_EXTENSION,
        FindingCode.WRONG_DOMAIN_COMPONENT,
        FindingCode.VALIDITY_TOO_LONG,
    }


def test_sample_expired_contract_is_reported_expired_and_foreign_signed() -> None:
    """The expired sample was signed by an earlier sub-CA 2 key under the same name.

    ``openssl verify`` agrees: it reports "certificate signature failure" for this file.
    """
    chain = [
        load_vector(n)
        for n in ("contractLeafCert_Expired.der", "moSubCA2Cert.der", "moSubCA1Cert.der")
    ]
    result = validate_chain(
        chain,
        [load_vector("moRootCACert.der")],
        SAMPLE_TIME,
        leaf_role=Role.CONTRACT,
        mode=Mode.LENIENT,
    )
    assert {(f.code, f.index) for f in result.errors} == {
        (FindingCode.EXPIRED, 0),
        (FindingCode.SIGNATURE_INVALID, 0),
    }


def test_sample_chain_against_the_wrong_root_has_no_anchor() -> None:
    chain = [
        load_vector(n) for n in ("contractLeafCert.der", "moSubCA2Cert.der", "moSubCA1Cert.der")
    ]
    result = validate_chain(
        chain,
        [load_vector("moRootCACert_no_ocsp.der")],
        SAMPLE_TIME,
        leaf_role=Role.CONTRACT,
        mode=Mode.LENIENT,
    )
    assert FindingCode.NO_TRUST_ANCHOR in {f.code for f in result.errors}


def test_hubject_qa_contract_chain_passes_lenient_only() -> None:
    chain = [load_vector("hubject-qa-contract.pem"), load_vector("hubject-qa-mo-sub2.pem")]
    anchors = [load_vector("hubject-qa-mo-sub1.pem")]
    lenient = validate_chain(
        chain, anchors, HUBJECT_TIME, leaf_role=Role.CONTRACT, mode=Mode.LENIENT
    )
    assert lenient.ok, lenient.errors
    warnings = {f.code for f in lenient.findings if f.severity is Severity.WARNING}
    assert FindingCode.MISSING_EXTENSION in warnings  # no keyUsage, no basicConstraints
    strict = validate_chain(chain, anchors, HUBJECT_TIME, leaf_role=Role.CONTRACT, mode=Mode.STRICT)
    assert not strict.ok


def test_hubject_qa_oem_provisioning_chain_passes_lenient() -> None:
    chain = [load_vector("hubject-qa-oem-prov.pem"), load_vector("hubject-qa-oem-sub2.pem")]
    result = validate_chain(
        chain,
        [load_vector("hubject-qa-oem-sub1.pem")],
        dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
        leaf_role=Role.OEM_PROVISIONING,
        mode=Mode.LENIENT,
    )
    assert result.ok, result.errors


def test_hubject_contract_is_expired_today_at_a_pinned_later_time() -> None:
    chain = [load_vector("hubject-qa-contract.pem"), load_vector("hubject-qa-mo-sub2.pem")]
    result = validate_chain(
        chain,
        [load_vector("hubject-qa-mo-sub1.pem")],
        SAMPLE_TIME,
        leaf_role=Role.CONTRACT,
        mode=Mode.LENIENT,
    )
    assert [(f.code, f.index) for f in result.errors] == [(FindingCode.EXPIRED, 0)]


def test_not_yet_valid(ecosystem: Ecosystem, contract: tuple[x509.Certificate, ...]) -> None:
    early = contract[0].not_valid_before_utc - dt.timedelta(seconds=1)
    result = _validate(ecosystem, list(contract), early)
    assert (FindingCode.NOT_YET_VALID, 0) in {(f.code, f.index) for f in result.errors}


def test_wrong_issuer_breaks_name_chaining(
    ecosystem: Ecosystem, contract: tuple[x509.Certificate, ...], clock: FixedClock
) -> None:
    chain = [
        contract[0],
        ecosystem.certificates[Role.CPO_SUB2],
        ecosystem.certificates[Role.CPO_SUB1],
    ]
    result = validate_chain(
        chain, [ecosystem.certificates[Role.V2G_ROOT]], clock.now(), leaf_role=Role.CONTRACT
    )
    codes = {(f.code, f.index) for f in result.errors}
    assert (FindingCode.NAME_CHAINING, 0) in codes
    assert (FindingCode.SIGNATURE_INVALID, 0) in codes


def test_tampered_signature(
    ecosystem: Ecosystem, contract: tuple[x509.Certificate, ...], clock: FixedClock
) -> None:
    der = bytearray(_der(contract[0]))
    der[-5] ^= 0x01
    tampered = x509.load_der_x509_certificate(bytes(der))
    result = _validate(ecosystem, [tampered, *contract[1:]], clock.now())
    assert [(f.code, f.index) for f in result.errors] == [(FindingCode.SIGNATURE_INVALID, 0)]


def test_path_length_exceeded(
    ecosystem: Ecosystem, keystore: MemoryKeyStore, clock: FixedClock
) -> None:
    sub2 = ecosystem.issuers[Role.MO_SUB2]
    rogue_ca, rogue_key = forge(
        keystore=keystore, issuer=sub2, cn="Rogue Sub3", ca=True, domain_component="V2G"
    )
    rogue_store = MemoryKeyStore()
    handle = rogue_store._remember("rogue", rogue_key)  # type: ignore[arg-type]
    rogue = Issuer(
        certificate=rogue_ca, handle=handle, keystore=rogue_store, profile=profile_for(Role.MO_SUB2)
    )
    leaf, _ = forge(keystore=rogue_store, issuer=rogue, cn=generate_emaid("DE8EM").normalised)
    chain = [
        leaf,
        rogue_ca,
        ecosystem.certificates[Role.MO_SUB2],
        ecosystem.certificates[Role.MO_SUB1],
    ]
    for mode in Mode:
        codes = {(f.code, f.index) for f in _validate(ecosystem, chain, clock.now(), mode).errors}
        assert (FindingCode.PATH_LENGTH_EXCEEDED, 2) in codes
        assert (FindingCode.CHAIN_TOO_LONG, 3) in codes


def test_wrong_curve_leaf(
    ecosystem: Ecosystem,
    keystore: MemoryKeyStore,
    contract: tuple[x509.Certificate, ...],
    clock: FixedClock,
) -> None:
    leaf, _ = forge(
        keystore=keystore,
        issuer=ecosystem.issuers[Role.MO_SUB2],
        cn=generate_emaid("DE8EM").normalised,
        key=ec.generate_private_key(ec.SECP384R1()),
    )
    for mode in Mode:
        errors = _validate(ecosystem, [leaf, *contract[1:]], clock.now(), mode).errors
        assert [(f.code, f.index) for f in errors] == [(FindingCode.WRONG_KEY_TYPE, 0)]


def test_ca_flag_on_a_leaf(
    ecosystem: Ecosystem,
    keystore: MemoryKeyStore,
    contract: tuple[x509.Certificate, ...],
    clock: FixedClock,
) -> None:
    leaf, _ = forge(
        keystore=keystore,
        issuer=ecosystem.issuers[Role.MO_SUB2],
        cn=generate_emaid("DE8EM").normalised,
        ca=True,
    )
    for mode in Mode:
        codes = {
            (f.code, f.index)
            for f in _validate(ecosystem, [leaf, *contract[1:]], clock.now(), mode).errors
        }
        assert (FindingCode.CA_FLAG_ON_LEAF, 0) in codes
        assert (FindingCode.KEY_USAGE_FORBIDDEN_BIT, 0) in codes


@pytest.mark.parametrize("cn", ["not-an-emaid", "DE8EM", "D18EMABCDEFGHIJ", "x"])
def test_malformed_emaid_in_cn(
    ecosystem: Ecosystem,
    keystore: MemoryKeyStore,
    contract: tuple[x509.Certificate, ...],
    clock: FixedClock,
    cn: str,
) -> None:
    leaf, _ = forge(keystore=keystore, issuer=ecosystem.issuers[Role.MO_SUB2], cn=cn)
    for mode in Mode:
        errors = _validate(ecosystem, [leaf, *contract[1:]], clock.now(), mode).errors
        assert [(f.code, f.index) for f in errors] == [(FindingCode.EMAID_MALFORMED, 0)]
        assert "CN=" in errors[0].subject


_EMAID = generate_emaid("DE8EM", instance="C0NTRACT1")


@pytest.mark.parametrize(
    "cn",
    [
        _EMAID.normalised.lower(),
        _EMAID.hyphenated,
        _EMAID.hyphenated.lower(),
        f" {_EMAID.normalised}",
        f"{_EMAID.normalised} ",
    ],
)
def test_a_non_canonical_emaid_cn_fails_strict_and_warns_lenient(
    ecosystem: Ecosystem,
    keystore: MemoryKeyStore,
    contract: tuple[x509.Certificate, ...],
    clock: FixedClock,
    cn: str,
) -> None:
    """ISO 15118-2: the CN is the EMAID compact and upper case (``Emaid.normalised``)."""
    leaf, _ = forge(keystore=keystore, issuer=ecosystem.issuers[Role.MO_SUB2], cn=cn)
    strict = _validate(ecosystem, [leaf, *contract[1:]], clock.now(), Mode.STRICT)
    assert [(f.code, f.index) for f in strict.errors] == [(FindingCode.EMAID_NOT_CANONICAL, 0)]
    assert _EMAID.normalised in strict.errors[0].detail
    lenient = _validate(ecosystem, [leaf, *contract[1:]], clock.now(), Mode.LENIENT)
    assert lenient.ok, lenient.errors
    assert [(f.code, f.severity) for f in lenient.findings] == [
        (FindingCode.EMAID_NOT_CANONICAL, Severity.WARNING)
    ]
    canonical, _ = forge(
        keystore=keystore, issuer=ecosystem.issuers[Role.MO_SUB2], cn=_EMAID.normalised
    )
    assert _validate(ecosystem, [canonical, *contract[1:]], clock.now()).findings == ()


def test_empty_and_garbage_chains_are_findings_not_exceptions(
    ecosystem: Ecosystem, clock: FixedClock
) -> None:
    anchors = [ecosystem.certificates[Role.MO_ROOT]]
    assert validate_chain([], anchors, clock.now(), leaf_role=Role.CONTRACT).codes() == {
        FindingCode.EMPTY_CHAIN
    }
    garbage = validate_chain(
        [b"\x30\x03\x02\x01\x00"], anchors, clock.now(), leaf_role=Role.CONTRACT
    )
    assert garbage.codes() == {FindingCode.MALFORMED_CERTIFICATE}


def test_expired_anchor_is_reported(
    ecosystem: Ecosystem, contract: tuple[x509.Certificate, ...]
) -> None:
    late = ecosystem.certificates[Role.MO_ROOT].not_valid_after_utc + dt.timedelta(days=1)
    result = _validate(ecosystem, list(contract), late)
    assert (FindingCode.EXPIRED, 3) in {(f.code, f.index) for f in result.errors}
