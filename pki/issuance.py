"""Contract certificate issuance under MO sub-CA 2.

ISO 15118-2 has the MO issue a contract certificate (CN = EMAID, DC = MO) under its sub-CA 2
and send it to the vehicle with the sub-CA chain and the encrypted private key (see
:mod:`pki.envelope`). :class:`ContractIssuer` does the first half: key, certificate, chain.

Contract issuance is the hot path, so it encodes through :class:`pki.tbs_template.TbsTemplate`
(precomputed DER, proven identical to ``CertificateBuilder``'s) and keeps the sub-CA chain's
DER; ``use_template=False``, or a template whose self-check fails, issues through
:func:`pki.builder.build_certificate`, the reference path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from pki.builder import Issuer, build_certificate, subject_name
from pki.clock import Clock
from pki.emaid import CheckDigitStatus, Emaid, parse_emaid
from pki.errors import IssuanceError, TemplateMismatchError
from pki.keystore import PrivateKey, PublicKey
from pki.profiles import Role, profile_for
from pki.revocation.registry import RevocationRegistry
from pki.tbs_template import TbsTemplate

# Backdating absorbs clock skew between us and the vehicle, which may check notBefore.
_BACKDATE = dt.timedelta(minutes=5)

_Sealed = TypeVar("_Sealed")


@dataclass(frozen=True, slots=True)
class ContractIssuance:
    """A contract certificate with its chain and, when we generated it, its private key."""

    emaid: Emaid
    certificate: x509.Certificate
    sub_ca_chain: tuple[x509.Certificate, ...]
    private_key: PrivateKey | None = field(repr=False)
    # DER of the sub-CA chain, serialised once per issuer rather than once per issuance.
    sub_ca_der: tuple[bytes, ...] = field(default=(), repr=False, compare=False)
    certificate_der: bytes = field(default=b"", repr=False, compare=False)

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """Leaf first, then MO sub-CA 2 and sub-CA 1 (the ContractSignatureCertChain order)."""
        return (self.certificate, *self.sub_ca_chain)

    def chain_der(self) -> list[bytes]:
        """The chain as DER, as it goes into the V2G message."""
        leaf = self.certificate_der or self.certificate.public_bytes(serialization.Encoding.DER)
        if len(self.sub_ca_der) == len(self.sub_ca_chain):
            return [leaf, *self.sub_ca_der]
        return [leaf, *(c.public_bytes(serialization.Encoding.DER) for c in self.sub_ca_chain)]


class ContractIssuer:
    """Issues contract certificates under one MO sub-CA 2."""

    def __init__(
        self,
        *,
        mo_sub2: Issuer,
        sub_ca_chain: Sequence[x509.Certificate],
        clock: Clock,
        organization: str,
        country: str,
        registry: RevocationRegistry | None = None,
        validity: dt.timedelta | None = None,
        use_template: bool = True,
    ) -> None:
        if mo_sub2.profile.role is not Role.MO_SUB2:
            raise IssuanceError("contract certificates are issued by MO sub-CA 2")
        self._issuer = mo_sub2
        self._profile = profile_for(Role.CONTRACT, mo_sub2.profile.standard)
        self._chain = tuple(sub_ca_chain)
        self._clock = clock
        self._organization = organization
        self._country = country
        self._registry = registry
        self._validity = validity or self._profile.max_validity
        if self._validity > self._profile.max_validity:
            raise IssuanceError("requested validity exceeds the contract profile")
        self._chain_der = tuple(c.public_bytes(serialization.Encoding.DER) for c in self._chain)
        self._issuer_not_after = mo_sub2.certificate.not_valid_after_utc
        self._template: TbsTemplate | None = None
        if use_template:
            try:
                self._template = TbsTemplate(
                    profile=self._profile,
                    issuer=mo_sub2,
                    organization=organization,
                    country=country,
                )
            except TemplateMismatchError:
                # Correct output matters more than speed: fall back to the reference builder.
                self._template = None

    @property
    def uses_template(self) -> bool:
        """Whether issuance runs through the (self-checked) template encoder."""
        return self._template is not None

    def issue(self, emaid: Emaid | str, public_key: PublicKey | None = None) -> ContractIssuance:
        """Issue a contract certificate for ``emaid`` (ISO 15118-2 Annex F, contract profile).

        With no ``public_key`` a fresh key of the profile's type is generated and returned
        in the result (to be encrypted for the vehicle); with one, only the certificate is.
        The serial is random (RFC 5280 4.1.2.2, 159 bits from a CSPRNG). The certificate
        expires with the profile limit or the sub-CA, whichever comes first. The serial is
        recorded in the registry before this returns; when the certificate still has to go
        through a step that can fail (the envelope), use :meth:`issue_and_seal`.
        """
        issuance = self._issue(emaid, public_key)
        self._record(issuance)
        return issuance

    def issue_and_seal(
        self,
        emaid: Emaid | str,
        seal: Callable[[ContractIssuance], _Sealed],
        public_key: PublicKey | None = None,
    ) -> tuple[ContractIssuance, _Sealed]:
        """Issue, run ``seal`` on the result, and record the serial only if ``seal`` returned.

        ``seal`` is the envelope step (e.g. :func:`pki.envelope.seal_for_validated_recipient`
        for the vehicle). If it raises, the exception propagates and the registry never saw
        the serial: issuance and registration are one step for the caller. The certificate
        object then exists only in memory and is never handed out.
        """
        issuance = self._issue(emaid, public_key)
        sealed = seal(issuance)
        self._record(issuance)
        return issuance, sealed

    def _record(self, issuance: ContractIssuance) -> None:
        if self._registry is not None:
            self._registry.record_issued(self._issuer.issuer_id, issuance.certificate.serial_number)

    def _issue(self, emaid: Emaid | str, public_key: PublicKey | None) -> ContractIssuance:
        parsed = parse_emaid(emaid) if isinstance(emaid, str) else emaid
        if parsed.check_digit_status is not CheckDigitStatus.VALID:
            raise IssuanceError(
                "we only issue EMAIDs with a valid check digit (ISO 15118-2 Annex H)"
            )
        private_key: PrivateKey | None = None
        if public_key is None:
            private_key = self._profile.key_types[0].generate()
            public_key = private_key.public_key()
        now = self._clock.now()
        not_before = now - _BACKDATE
        not_after = min(not_before + self._validity, self._issuer_not_after)
        if not_after <= now:
            raise IssuanceError("MO sub-CA 2 has expired")
        serial = x509.random_serial_number()
        der = b""
        if self._template is not None:
            certificate, der = self._template.issue(
                serial=serial,
                common_name=parsed.normalised,
                public_key=public_key,
                not_before=not_before,
                not_after=not_after,
            )
        else:
            certificate = build_certificate(
                profile=self._profile,
                subject=subject_name(
                    parsed.normalised,
                    self._organization,
                    self._country,
                    self._profile.domain_component,
                ),
                public_key=public_key,
                issuer=self._issuer,
                serial=serial,
                not_before=not_before,
                not_after=not_after,
            )
        return ContractIssuance(parsed, certificate, self._chain, private_key, self._chain_der, der)
