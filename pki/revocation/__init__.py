"""Revocation: a registry of issued and revoked serials, CRLs, OCSP and OCPP hash data."""
