"""ISO 15118 Plug & Charge PKI for the EMSP backend.

The package stands on its own: it never imports :mod:`app`. Modules are split by surface:
profiles, EMAID, key storage, issuance, the contract-key envelope, chain validation,
revocation (CRL, OCSP, OCPP hash data) and a CLI. See ``docs/pki.md``.
"""

from pki.errors import PKIError

__all__ = ["PKIError"]
