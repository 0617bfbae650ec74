"""Certificate revocation lists, one per issuing CA (RFC 5280 section 5)."""

from __future__ import annotations

import datetime as dt

from cryptography import x509

from pki.builder import Issuer
from pki.clock import Clock
from pki.revocation.registry import RevocationRegistry


def build_crl(
    issuer: Issuer,
    registry: RevocationRegistry,
    clock: Clock,
    *,
    next_update: dt.timedelta = dt.timedelta(days=7),
) -> x509.CertificateRevocationList:
    """Build and sign the CRL of ``issuer`` (RFC 5280 5.1, 5.2.1 AKI, 5.2.3 CRL number).

    The CRL number comes from ``registry.next_crl_number``: a persisted counter per CA,
    strictly increasing with every CRL, whatever the clock does. Reason codes other than
    ``unspecified`` go into a reasonCode entry extension (5.3.1).
    """
    now = clock.now().replace(microsecond=0)
    number = registry.next_crl_number(issuer.issuer_id)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.name)
        .last_update(now)
        .next_update(now + next_update)
        .add_extension(issuer._aki, critical=False)
        .add_extension(x509.CRLNumber(number), critical=False)
    )
    for serial, answer in registry.revoked(issuer.issuer_id):
        assert answer.revoked_at is not None  # noqa: S101 (revoked entries always carry a time)
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(answer.revoked_at)
        )
        if answer.reason is not None and answer.reason is not x509.ReasonFlags.unspecified:
            entry = entry.add_extension(x509.CRLReason(answer.reason), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    return issuer.keystore.sign_crl(issuer.handle, builder)
