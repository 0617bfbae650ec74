"""Throughput of the PKI hot paths on one core, beside the raw ECDSA P-256 signing rate.

Run: ``.venv/bin/python -m benchmarks.pki`` (or ``benchmarks/pki/run.py``). Each figure is
operations per second of a single thread over about ``--seconds`` of wall time.

Contract issuance is measured as a caller pays for it: a new EMAID, the contract key pair,
the certificate, then the envelope (key-matches-certificate check, ephemeral key, ECDH, KDF,
AES-CBC) for the vehicle's OEM provisioning certificate. It runs through the template
encoder (the production path) and, for comparison in the same run, through the
``CertificateBuilder`` reference path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pki.clock import FixedClock
from pki.ecosystem import build_ecosystem
from pki.emaid import generate_emaid
from pki.envelope import seal_contract_key
from pki.issuance import ContractIssuer
from pki.keystore import MemoryKeyStore
from pki.profiles import Role
from pki.revocation.ocsp import OcspResponder
from pki.revocation.registry import InMemoryRevocationRegistry
from pki.validation import ChainValidator, Mode

TARGETS = {"contract issuance + envelope": 3000, "OCSP response": 8000, "chain validation": 3000}


def rate(operation: Callable[[], object], seconds: float) -> float:
    """Operations per second of ``operation`` over roughly ``seconds``."""
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(50):
            operation()
        count += 50
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    clock = FixedClock(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
    registry = InMemoryRevocationRegistry()
    eco = build_ecosystem(MemoryKeyStore(), clock, registry=registry)
    issuer = eco.contract_issuer(clock, registry)
    if not issuer.uses_template:
        raise SystemExit("the template self-check failed; issuance would use the builder")
    reference = ContractIssuer(
        mo_sub2=eco.issuers[Role.MO_SUB2],
        sub_ca_chain=eco.chain(Role.MO_SUB2),
        clock=clock,
        organization=eco.config.organization,
        country=eco.config.country,
        registry=registry,
        use_template=False,
    )
    oem = eco.certificates[Role.OEM_PROVISIONING]

    raw_key = ec.generate_private_key(ec.SECP256R1())
    message = b"x" * 64

    def sign() -> object:
        return raw_key.sign(message, ec.ECDSA(hashes.SHA256()))

    def issue_with(contract_issuer: ContractIssuer) -> object:
        result = contract_issuer.issue(generate_emaid("DE8EM"))
        if result.private_key is None:
            raise SystemExit("issuer returned no key")
        return seal_contract_key(result.private_key, result.certificate, oem)

    def issue() -> object:
        return issue_with(issuer)

    def issue_reference() -> object:
        return issue_with(reference)

    contract = issuer.issue(generate_emaid("DE8EM")).certificate
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(contract, eco.certificates[Role.MO_SUB2], hashes.SHA256())
        .add_extension(x509.OCSPNonce(os.urandom(16)), critical=False)
        .build()
        .public_bytes(serialization.Encoding.DER)
    )
    responder = OcspResponder(eco.issuers.values(), registry, clock)

    def answer() -> object:
        return responder.respond(request)

    validator = ChainValidator([eco.certificates[Role.MO_ROOT]])
    chain_der = [
        c.public_bytes(serialization.Encoding.DER)
        for c in (contract, eco.certificates[Role.MO_SUB2], eco.certificates[Role.MO_SUB1])
    ]
    if not validator.validate(chain_der, clock.now(), leaf_role=Role.CONTRACT).ok:
        raise SystemExit("the benchmark chain does not validate")

    def validate() -> object:
        return validator.validate(chain_der, clock.now(), leaf_role=Role.CONTRACT, mode=Mode.STRICT)

    def validate_cold() -> object:
        return ChainValidator([eco.certificates[Role.MO_ROOT]]).validate(
            chain_der, clock.now(), leaf_role=Role.CONTRACT
        )

    figures = [
        ("raw ECDSA P-256 sign", rate(sign, args.seconds)),
        ("contract issuance + envelope", rate(issue, args.seconds)),
        ("  same, CertificateBuilder path", rate(issue_reference, args.seconds)),
        ("OCSP response", rate(answer, args.seconds)),
        ("chain validation", rate(validate, args.seconds)),
        ("chain validation, cold cache", rate(validate_cold, args.seconds)),
    ]
    print(f"{'operation':<32}{'per second (1 core)':>22}{'target':>10}")
    for name, value in figures:
        target = TARGETS.get(name)
        mark = (
            "" if target is None else (f"{target:>10}" + ("  ok" if value >= target else "  BELOW"))
        )
        print(f"{name:<32}{value:>22,.0f}{mark}")


if __name__ == "__main__":
    main()
