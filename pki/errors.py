"""Exception hierarchy of the PKI library.

Every failure the library can foresee is a subclass of :class:`PKIError`, so a caller (the
EMSP app, the CLI) can catch one type and still tell causes apart. Parsers never let a
``ValueError`` or ``TypeError`` from a lower layer escape: bad input from a vehicle, a
charger or a roaming partner is an expected event, not a crash.
"""

from __future__ import annotations


class PKIError(Exception):
    """Root of every error raised by :mod:`pki`."""


class ParseError(PKIError):
    """Input could not be decoded (garbage DER, truncated structure, wrong encoding)."""


class InputTooLargeError(ParseError):
    """Input exceeds the size limit set for its kind before any parsing is attempted."""


class EmaidError(ParseError):
    """An EMAID does not have the structure of ISO 15118-2 Annex H."""


class PcidError(ParseError):
    """A PCID does not have the structure required by ISO 15118-2 [V2G2-660]."""


class ProfileError(PKIError):
    """A key, algorithm or name does not fit the certificate profile asked for."""


class UnsupportedAlgorithmError(ProfileError):
    """A key type or curve the ISO 15118 profiles do not allow (e.g. secp384r1 in -2)."""


class KeyStoreError(PKIError):
    """The key store cannot produce or use a key."""


class PassphraseMissingError(KeyStoreError):
    """CA keys would be stored unencrypted: no passphrase was supplied."""


class KeyNotFoundError(KeyStoreError):
    """The key store holds no key under the id asked for."""


class EnvelopeError(PKIError):
    """The contract-key envelope cannot be built or opened."""


class KeyMismatchError(EnvelopeError):
    """The private key does not belong to the certificate it is to be sent with."""


class RecipientCertificateError(EnvelopeError):
    """The certificate the contract key would be encrypted for is not acceptable.

    Outside its validity period at the time given, or (with
    :func:`pki.envelope.seal_for_validated_recipient`) its chain failed validation.
    """


class SpecificationGapError(PKIError):
    """The operation needs a detail the standard text available to us does not fix.

    Raised instead of guessing, e.g. for the ISO 15118-20 contract-key envelope whose key
    derivation inputs are not implemented here (see ``docs/pki.md``).
    """


class IssuanceError(PKIError):
    """A certificate cannot be issued (e.g. requested validity outside the issuer's)."""


class RevocationError(PKIError):
    """A revocation operation failed (unknown issuer, unknown serial)."""


class UnknownIssuerError(RevocationError):
    """No CA known to the revocation service matches the issuer given."""


class OCSPRequestError(ParseError):
    """An OCSP request is malformed or asks for something this responder cannot answer."""


class TemplateMismatchError(IssuanceError):
    """The template encoder disagrees with the reference builder for an issuer and profile.

    Raised by the self-check of :class:`pki.tbs_template.TbsTemplate`; the contract issuer
    then issues through ``CertificateBuilder`` instead.
    """
