"""Firebase ID tokens through the real firebase-admin verification path, offline.

The only mock is the HTTP interceptor of ``firebase_stand_in`` (Google's certificate
endpoint, OAuth token endpoint and Auth REST API, at the ``requests`` boundary);
firebase-admin and google-auth run unchanged, so each refusal below is the library's.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.errors import ServiceUnavailableError
from app.core.settings import Settings
from app.identity import Role
from app.identity.errors import ExpiredTokenError, InvalidTokenError, RevokedTokenError
from app.identity.firebase import FirebaseTokenVerifier
from app.main import create_app
from tests.app.identity.firebase_stand_in import (
    OTHER_KEY,
    PROJECT_ID,
    FirebaseStandIn,
    mint_id_token,
    write_service_account,
)


@pytest.fixture
def verifier(tmp_path: Path) -> Iterator[FirebaseTokenVerifier]:
    verifier = FirebaseTokenVerifier(PROJECT_ID, str(write_service_account(tmp_path)))
    yield verifier
    verifier.close()


async def test_valid_token_gives_the_principal(
    verifier: FirebaseTokenVerifier, firebase: FirebaseStandIn
) -> None:
    token = mint_id_token("uid-alice", email="alice@example.org", email_verified=True)
    principal = await verifier.verify(token, check_revoked=False)
    assert principal.uid == "uid-alice"
    assert principal.email == "alice@example.org"
    assert principal.email_verified is True
    # No custom claim: an ordinary signed-up user is a driver.
    assert principal.roles == frozenset({Role.DRIVER})
    assert firebase.calls_to("accounts:lookup") == 0


async def test_roles_come_from_the_custom_claim(
    verifier: FirebaseTokenVerifier, firebase: FirebaseStandIn
) -> None:
    token = mint_id_token("uid-staff", roles=["support", "finance", "astronaut"])
    principal = await verifier.verify(token, check_revoked=False)
    assert principal.roles == frozenset({Role.SUPPORT, Role.FINANCE})


async def test_expired_token_is_refused(
    verifier: FirebaseTokenVerifier, firebase: FirebaseStandIn
) -> None:
    token = mint_id_token("uid-alice", issued_at=time.time() - 7200, lifetime_s=3600)
    with pytest.raises(ExpiredTokenError):
        await verifier.verify(token, check_revoked=False)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"audience": "someone-elses-project"}, "wrong audience"),
        ({"issuer": "https://securetoken.google.com/someone-elses-project"}, "wrong issuer"),
        ({"kid": "unknown-kid"}, "unknown key id"),
        ({"key": OTHER_KEY}, "signed by another key"),
    ],
)
async def test_foreign_tokens_are_refused(
    verifier: FirebaseTokenVerifier, firebase: FirebaseStandIn, change: dict[str, object], why: str
) -> None:
    token = mint_id_token("uid-alice", **change)  # type: ignore[arg-type]
    with pytest.raises(InvalidTokenError) as caught:
        await verifier.verify(token, check_revoked=False)
    assert not isinstance(caught.value, ExpiredTokenError), why


async def test_tampered_token_is_refused(
    verifier: FirebaseTokenVerifier, firebase: FirebaseStandIn
) -> None:
    import base64
    import json

    header, payload, signature = mint_id_token("uid-alice").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = claims["user_id"] = "uid-mallory"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidTokenError):
        await verifier.verify(f"{header}.{forged}.{signature}", check_revoked=False)


async def test_revoked_token_is_refused_when_revocation_is_checked(
    verifier: FirebaseTokenVerifier, firebase: FirebaseStandIn
) -> None:
    issued = time.time() - 600
    token = mint_id_token("uid-alice", issued_at=issued)
    firebase.valid_since["uid-alice"] = int(issued) + 60  # sessions revoked after issue
    # Without the check the token is still good until it expires, as in production.
    assert (await verifier.verify(token, check_revoked=False)).uid == "uid-alice"
    with pytest.raises(RevokedTokenError):
        await verifier.verify(token, check_revoked=True)
    assert firebase.calls_to("accounts:lookup") == 1


async def test_disabled_account_is_refused_when_revocation_is_checked(
    verifier: FirebaseTokenVerifier, firebase: FirebaseStandIn
) -> None:
    firebase.disabled.add("uid-alice")
    with pytest.raises(RevokedTokenError):
        await verifier.verify(mint_id_token("uid-alice"), check_revoked=True)


async def test_unreachable_certificates_are_a_503_not_a_401(
    verifier: FirebaseTokenVerifier,
) -> None:
    import responses

    # Google's endpoint answers 500: the token is not judged, the provider is down.
    with responses.RequestsMock() as mock:
        mock.add(
            responses.GET,
            "https://www.googleapis.com/robot/v1/metadata/x509/"
            "securetoken@system.gserviceaccount.com",
            status=500,
        )
        with pytest.raises(ServiceUnavailableError):
            await verifier.verify(mint_id_token("uid-alice"), check_revoked=False)


@pytest.fixture
async def firebase_client(
    firebase_settings: Settings, engine: AsyncEngine
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=create_app(firebase_settings)) as client:
        yield client


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_firebase_mode_serves_a_driver_and_has_no_dev_token_route(
    firebase_client: AsyncTestClient[Litestar], firebase: FirebaseStandIn
) -> None:
    response = await firebase_client.get("/v1/me", headers=_bearer(mint_id_token("uid-alice")))
    assert response.status_code == 200, response.text
    assert (await firebase_client.post("/v1/dev/tokens", json={"uid": "x"})).status_code == 404


async def test_export_refuses_a_revoked_token(
    firebase_client: AsyncTestClient[Litestar], firebase: FirebaseStandIn
) -> None:
    token = mint_id_token("uid-alice", issued_at=time.time() - 600)
    assert (await firebase_client.get("/v1/me", headers=_bearer(token))).status_code == 200
    firebase.valid_since["uid-alice"] = int(time.time())
    response = await firebase_client.get("/v1/me/export", headers=_bearer(token))
    assert response.status_code == 401
    assert response.json()["type"].endswith("/revoked-token")


async def test_account_deletion_revokes_refresh_tokens(
    firebase_client: AsyncTestClient[Litestar], firebase: FirebaseStandIn
) -> None:
    token = mint_id_token("uid-alice")
    response = await firebase_client.delete("/v1/me", headers=_bearer(token))
    assert response.status_code == 204, response.text
    assert firebase.revoked_uids == ["uid-alice"]
    # Deletion is sensitive: the token itself was checked against revocation first.
    assert firebase.calls_to("accounts:lookup") == 1


async def test_account_deletion_needs_a_recent_sign_in(
    firebase_client: AsyncTestClient[Litestar], firebase: FirebaseStandIn
) -> None:
    old = time.time() - 3000
    token = mint_id_token("uid-alice", issued_at=time.time() - 60, auth_time=int(old))
    response = await firebase_client.delete("/v1/me", headers=_bearer(token))
    assert response.status_code == 401
    assert response.json()["type"].endswith("/sign-in-required")
    assert firebase.revoked_uids == []
