"""Dev identity: tokens the app signs itself, refused when expired, forged or unfit."""

from __future__ import annotations

import time

import jwt
import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import AsyncTestClient

from app.cli import main
from app.core.settings import Settings
from app.identity import Role
from app.identity.dev_tokens import DEV_AUDIENCE, DEV_ISSUER, DevTokenVerifier, issue_dev_token
from app.identity.errors import ExpiredTokenError, InvalidTokenError, RevokedTokenError

SECRET = "a-test-secret-key-of-some-length"
Client = AsyncTestClient[Litestar]


async def test_issued_token_verifies_with_its_claims() -> None:
    token = issue_dev_token(SECRET, uid="alice", roles=[Role.SUPPORT], email="a@example.org")
    principal = await DevTokenVerifier(SECRET).verify(token, check_revoked=False)
    assert principal.uid == "alice"
    assert principal.roles == frozenset({Role.SUPPORT})
    assert principal.email == "a@example.org"
    assert principal.auth_time is not None


async def test_expired_token_is_refused() -> None:
    token = issue_dev_token(SECRET, uid="alice", ttl_s=60, now=time.time() - 120)
    with pytest.raises(ExpiredTokenError):
        await DevTokenVerifier(SECRET).verify(token, check_revoked=False)


async def test_token_of_another_secret_is_refused() -> None:
    token = issue_dev_token("another-secret-key-entirely-000", uid="alice")
    with pytest.raises(InvalidTokenError):
        await DevTokenVerifier(SECRET).verify(token, check_revoked=False)


async def test_tampered_token_is_refused() -> None:
    header, _, signature = issue_dev_token(SECRET, uid="alice").split(".")
    _, payload, _ = issue_dev_token(SECRET, uid="mallory", roles=[Role.ADMIN]).split(".")
    with pytest.raises(InvalidTokenError):
        await DevTokenVerifier(SECRET).verify(
            f"{header}.{payload}.{signature[::-1]}", check_revoked=False
        )


@pytest.mark.parametrize("algorithm", ["none", "HS512"])
async def test_other_algorithms_are_refused(algorithm: str) -> None:
    claims = {
        "iss": DEV_ISSUER,
        "aud": DEV_AUDIENCE,
        "sub": "alice",
        "iat": int(time.time()),
        "exp": int(time.time()) + 60,
    }
    key = None if algorithm == "none" else "x" * 64
    token = jwt.encode(claims, key, algorithm=algorithm)
    with pytest.raises(InvalidTokenError):
        await DevTokenVerifier(SECRET).verify(token, check_revoked=False)


async def test_revoked_sessions_are_refused_only_where_revocation_is_checked() -> None:
    clock = [time.time()]
    verifier = DevTokenVerifier(SECRET, clock=lambda: clock[0])
    token = issue_dev_token(SECRET, uid="alice", now=clock[0] - 10)
    await verifier.revoke_sessions("alice")
    assert (await verifier.verify(token, check_revoked=False)).uid == "alice"
    with pytest.raises(RevokedTokenError):
        await verifier.verify(token, check_revoked=True)


async def test_dev_token_route_issues_a_usable_token(client: Client) -> None:
    response = await client.post("/v1/dev/tokens", json={"uid": "alice", "email": "a@example.org"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["roles"] == ["driver"]
    me = await client.get("/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "a@example.org"


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (None, "unauthenticated"),
        ("Basic YWxpY2U6c2VjcmV0", "unauthenticated"),
        ("Bearer ", "unauthenticated"),
        ("Bearer not.a.token", "invalid-token"),
    ],
)
async def test_missing_or_malformed_credentials_are_401_problems(
    client: Client, header: str | None, problem: str
) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = await client.get("/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/" + problem)


async def test_expired_token_is_a_401_problem_over_http(client: Client, settings: Settings) -> None:
    token = issue_dev_token(settings.secret_key, uid="alice", ttl_s=60, now=time.time() - 120)
    response = await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["type"].endswith("/expired-token")


async def test_token_without_the_driver_role_is_forbidden(
    client: Client, settings: Settings
) -> None:
    for roles in ([], [Role.FINANCE]):
        token = issue_dev_token(settings.secret_key, uid="staff", roles=roles)
        response = await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 403, roles
        assert response.json()["type"].endswith("/forbidden")


def test_cli_prints_a_token_for_the_given_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMSP_SECRET_KEY", SECRET)
    result = CliRunner().invoke(main, ["dev", "token", "--uid", "ops", "--role", "admin"])
    assert result.exit_code == 0, result.output
    claims = jwt.decode(result.output.strip(), options={"verify_signature": False})
    assert claims["sub"] == "ops"
    assert claims["roles"] == ["admin"]


def test_cli_refuses_outside_dev_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMSP_IDENTITY_MODE", "firebase")
    result = CliRunner().invoke(main, ["dev", "token", "--uid", "ops"])
    assert result.exit_code != 0
    assert "EMSP_IDENTITY_MODE=dev" in result.output
