"""Fixtures of the notification tests: a local FCM server and an adapter pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from firebase_admin import credentials
from google.auth.credentials import AnonymousCredentials, Credentials

from app.notifications.push import FcmPushSender
from tests.app.notifications.fcm_server import LocalFcmServer

PROJECT_ID = "emsp-test"


class AnonymousFirebaseCredential(credentials.Base):
    """A credential that needs no OAuth token exchange, injected at the adapter boundary.

    Production credentials (a service account, application default credentials) mint
    an access token from Google's token endpoint before the first send; the tests must
    not reach the network, so they use google-auth's anonymous credentials, which add
    no Authorization header and never refresh. Everything after that (message encoding,
    the HTTP request, error mapping) is firebase-admin's real code path.
    """

    def get_credential(self) -> Credentials:
        return AnonymousCredentials()


@pytest.fixture(scope="session")
def fcm_server() -> Iterator[LocalFcmServer]:
    server = LocalFcmServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fcm_sender(fcm_server: LocalFcmServer) -> Iterator[FcmPushSender]:
    sender = FcmPushSender(
        project_id=PROJECT_ID,
        credential=AnonymousFirebaseCredential(),
        timeout_s=5.0,
        fcm_base_url_for_tests=fcm_server.base_url,
    )
    yield sender
    sender.close()
