"""A stand-in for Google's side of Firebase Authentication, at the HTTP boundary.

firebase-admin talks to Google with ``requests``: it fetches the public certificates
that sign ID tokens, exchanges the service account's key for an OAuth access token,
and calls the Auth REST API (``accounts:lookup`` for the revocation check,
``accounts:update`` to revoke refresh tokens). :class:`FirebaseStandIn` answers those
calls through a ``responses`` interceptor, the only mock in these tests: everything
from ``auth.verify_id_token`` inward (RS256 signature, audience, issuer, expiry, the
revocation comparison) is the real library code. Nothing leaves the process.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import responses
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

PROJECT_ID = "emsp-test-project"
CERT_URL = (
    "https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com"
)
OAUTH_TOKEN_URL = "https://oauth2.googleapis.com/token"
AUTH_API = f"https://identitytoolkit.googleapis.com/v1/projects/{PROJECT_ID}"
ISSUER = f"https://securetoken.google.com/{PROJECT_ID}"


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _self_signed_pem(key: rsa.RSAPrivateKey) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "securetoken.test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


# Key generation is the slow part: one signing key (as Google's) and one stranger's key.
SIGNING_KEY = _rsa_key()
OTHER_KEY = _rsa_key()
SIGNING_KID = "test-kid-1"
CERTS = {SIGNING_KID: _self_signed_pem(SIGNING_KEY)}


def mint_id_token(
    uid: str,
    *,
    key: rsa.RSAPrivateKey = SIGNING_KEY,
    kid: str = SIGNING_KID,
    audience: str = PROJECT_ID,
    issuer: str = ISSUER,
    issued_at: float | None = None,
    lifetime_s: int = 3600,
    **claims: Any,
) -> str:
    """An ID token shaped like Firebase's, signed RS256 with ``key`` under ``kid``."""
    iat = int(time.time() if issued_at is None else issued_at)
    payload = {
        "iss": issuer,
        "aud": audience,
        "sub": uid,
        "user_id": uid,
        "iat": iat,
        "auth_time": iat,
        "exp": iat + lifetime_s,
        "firebase": {"sign_in_provider": "password", "identities": {}},
        **claims,
    }
    return jwt.encode(payload, _private_pem(key), algorithm="RS256", headers={"kid": kid})


def write_service_account(directory: Path) -> Path:
    """A service-account key file, as EMSP_FIREBASE_CREDENTIALS_FILE expects."""
    path = directory / "service-account.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": PROJECT_ID,
                "private_key_id": "sa-key-1",
                "private_key": _private_pem(OTHER_KEY),
                "client_email": f"emsp@{PROJECT_ID}.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": OAUTH_TOKEN_URL,
            }
        )
    )
    return path


@dataclass
class FirebaseStandIn:
    """Google's endpoints as firebase-admin calls them; state per user uid."""

    mock: responses.RequestsMock
    valid_since: dict[str, int] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)
    revoked_uids: list[str] = field(default_factory=list)

    def install(self) -> None:
        self.mock.add(responses.GET, CERT_URL, json=CERTS, headers={"Cache-Control": "max-age=60"})
        self.mock.add(
            responses.POST,
            OAUTH_TOKEN_URL,
            json={"access_token": "test-access-token", "expires_in": 3600, "token_type": "Bearer"},
        )
        self.mock.add_callback(responses.POST, f"{AUTH_API}/accounts:lookup", self._lookup)
        self.mock.add_callback(responses.POST, f"{AUTH_API}/accounts:update", self._update)

    def _lookup(self, request: Any) -> tuple[int, dict[str, str], str]:
        uid = json.loads(request.body)["localId"][0]
        user = {"localId": uid, "disabled": uid in self.disabled}
        if uid in self.valid_since:
            user["validSince"] = str(self.valid_since[uid])
        return 200, {}, json.dumps({"users": [user]})

    def _update(self, request: Any) -> tuple[int, dict[str, str], str]:
        body = json.loads(request.body)
        self.valid_since[body["localId"]] = int(body["validSince"])
        self.revoked_uids.append(body["localId"])
        return 200, {}, json.dumps({"localId": body["localId"]})

    def calls_to(self, url_suffix: str) -> int:
        return sum(1 for call in self.mock.calls if call.request.url.endswith(url_suffix))
