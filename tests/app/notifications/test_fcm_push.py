"""The FCM adapter against a local server that speaks the FCM v1 ``messages:send`` shape."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.core.settings import PushMode, load_settings
from app.notifications.push import (
    FcmPushSender,
    InboxOnlyPushSender,
    PushMessage,
    PushStatus,
    push_sender_from_settings,
)
from tests.app.notifications.conftest import PROJECT_ID, AnonymousFirebaseCredential
from tests.app.notifications.fcm_server import LocalFcmServer, validate_message


def _message(token: str) -> PushMessage:
    return PushMessage(
        token=token,
        title="Charging started",
        body="Your session at Hbf has started.",
        data={"kind": "session_started", "notificationId": "n-1"},
        collapse_key="session-1",
    )


async def test_success_returns_the_fcm_message_name(
    fcm_sender: FcmPushSender, fcm_server: LocalFcmServer
) -> None:
    outcome = await fcm_sender.send(_message("device-ok-1"))

    assert outcome.status is PushStatus.DELIVERED
    assert outcome.message_id is not None
    assert outcome.message_id.startswith(f"projects/{PROJECT_ID}/messages/")
    request = fcm_server.requests[-1]
    assert request.path == f"/v1/projects/{PROJECT_ID}/messages:send"
    assert request.headers["X-GOOG-API-FORMAT-VERSION"] == "2"
    assert "Authorization" not in request.headers  # anonymous test credential, no token mint
    sent = request.body["message"]
    assert sent["token"] == "device-ok-1"
    assert sent["notification"] == {
        "title": "Charging started",
        "body": "Your session at Hbf has started.",
    }
    assert sent["data"] == {"kind": "session_started", "notificationId": "n-1"}
    assert sent["android"]["priority"] == "high"
    assert sent["android"]["collapse_key"] == "session-1"
    assert sent["apns"]["headers"]["apns-collapse-id"] == "session-1"
    assert validate_message(sent) is None


async def test_unregistered_token_is_reported_for_deletion(fcm_sender: FcmPushSender) -> None:
    outcome = await fcm_sender.send(_message("unregistered-abc"))
    assert outcome.status is PushStatus.TOKEN_UNREGISTERED
    assert outcome.error_code == "UNREGISTERED"


async def test_invalid_argument_for_the_token_marks_the_token(fcm_sender: FcmPushSender) -> None:
    outcome = await fcm_sender.send(_message("malformed-abc"))
    assert outcome.status is PushStatus.TOKEN_INVALID
    assert outcome.error_code == "INVALID_ARGUMENT"


async def test_invalid_payload_is_our_failure_not_the_devices(fcm_sender: FcmPushSender) -> None:
    # A 400 that names a payload field blames the message: no device may be marked for it.
    bad = PushMessage(token="device-ok-2", title="t", body="b", data={"from": "emsp"})
    outcome = await fcm_sender.send(bad)
    assert outcome.status is PushStatus.FAILED
    assert outcome.error_code == "INVALID_ARGUMENT"
    assert outcome.detail is not None
    assert outcome.detail.startswith("message.data[from]")


async def test_quota_exceeded_is_retryable_with_retry_after(
    fcm_sender: FcmPushSender, fcm_server: LocalFcmServer
) -> None:
    before = len(fcm_server.requests)
    outcome = await fcm_sender.send(_message("throttled-abc"))
    assert outcome.status is PushStatus.RETRYABLE
    assert outcome.retry_after_s == 30
    assert len(fcm_server.requests) == before + 1  # no hidden retry inside the thread


async def test_unavailable_is_retryable_without_hidden_retries(
    fcm_sender: FcmPushSender, fcm_server: LocalFcmServer
) -> None:
    before = len(fcm_server.requests)
    outcome = await fcm_sender.send(_message("unavailable-abc"))
    assert outcome.status is PushStatus.RETRYABLE
    assert outcome.error_code == "UNAVAILABLE"
    assert len(fcm_server.requests) == before + 1


async def test_network_failure_is_retryable() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sender = FcmPushSender(
        project_id=PROJECT_ID,
        credential=AnonymousFirebaseCredential(),
        timeout_s=2.0,
        fcm_base_url_for_tests=f"http://127.0.0.1:{port}",
    )
    try:
        outcome = await sender.send(_message("device-ok-3"))
    finally:
        await sender.aclose()
    assert outcome.status is PushStatus.RETRYABLE


def test_local_server_refuses_non_string_data_like_fcm() -> None:
    problem = validate_message({"token": "t", "data": {"energyWh": 1234}})
    assert problem == ("message.data[energyWh]", "map values must be strings")
    assert validate_message({"token": "t", "topic": "news"}) is not None


async def test_inbox_only_sender_sends_nothing() -> None:
    sender = InboxOnlyPushSender()
    assert not sender.delivers_push
    assert (await sender.send(_message("device-ok-4"))).status is PushStatus.NOT_SENT


def test_settings_choose_the_adapter() -> None:
    assert isinstance(push_sender_from_settings(load_settings(environ={})), InboxOnlyPushSender)


def test_production_fcm_mode_needs_a_project() -> None:
    settings = load_settings(environ={}, env="production", push_mode="fcm")
    assert settings.push_mode is PushMode.FCM
    problems = settings.production_problems()
    assert any("EMSP_FCM_PROJECT_ID" in problem for problem in problems)
    # Credentials may come from the platform (application default credentials), so a
    # project id alone is a complete FCM configuration.
    configured = load_settings(environ={}, env="production", push_mode="fcm", fcm_project_id="p")
    assert not any("FCM" in problem for problem in configured.production_problems())


def test_fcm_mode_builds_the_adapter_from_a_service_account_file(tmp_path: Path) -> None:
    # A syntactically real service-account file with a throw-away key: building the
    # adapter parses it but mints no OAuth token (that happens on the first send).
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    account = {
        "type": "service_account",
        "project_id": PROJECT_ID,
        "private_key_id": "test-key",
        "private_key": pem,
        "client_email": f"push@{PROJECT_ID}.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(account))
    settings = load_settings(
        environ={}, push_mode="fcm", fcm_project_id=PROJECT_ID, fcm_credentials_file=str(path)
    )
    sender = push_sender_from_settings(settings)
    assert isinstance(sender, FcmPushSender)
    assert sender.delivers_push
    sender.close()
