"""The push port: deliver one rendered message to one device token.

Two adapters. :class:`InboxOnlyPushSender` is the embedded default and sends nothing:
the in-app inbox, which always stores every notification, is the whole delivery.
:class:`FcmPushSender` sends through ``firebase_admin.messaging`` (FCM HTTP v1, one
``messages:send`` request per token) and classifies each answer, so the service knows
whether to forget the token, mark it, or hand the message back to its job for a retry.

firebase-admin is blocking (``requests``): every send runs in a worker thread, at most
``max_concurrency`` at a time so a driver with many devices, or many notifications at
once, cannot exhaust the thread pool the rest of the app shares.
"""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import anyio
import anyio.to_thread
import firebase_admin
import requests
import requests.adapters
from firebase_admin import credentials, exceptions, messaging
from urllib3.util.retry import Retry

from app.core.settings import PushMode, Settings

FCM_BASE_URL = "https://fcm.googleapis.com"
_FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
_BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"


class PushStatus(StrEnum):
    DELIVERED = "delivered"
    NOT_SENT = "not_sent"  # inbox-only mode: nothing was attempted
    # The app instance is gone: forget the token.
    TOKEN_UNREGISTERED = "token_unregistered"  # noqa: S105 - a status, not a secret
    # FCM refused the token itself: mark the device.
    TOKEN_INVALID = "token_invalid"  # noqa: S105 - a status, not a secret
    RETRYABLE = "retryable"  # 429, 5xx, network: the job retries with backoff
    FAILED = "failed"  # refused for a reason retrying cannot fix (payload, auth, sender)


@dataclass(frozen=True, slots=True)
class PushMessage:
    token: str
    title: str
    body: str
    data: dict[str, str] = field(default_factory=dict)
    # Lets the OS replace an older push of the same thread (one live session, one banner).
    collapse_key: str | None = None


@dataclass(frozen=True, slots=True)
class PushOutcome:
    status: PushStatus
    message_id: str | None = None
    error_code: str | None = None
    detail: str | None = None
    retry_after_s: int | None = None


class PushSender(Protocol):
    """Delivers one message to one device; never raises for a delivery failure."""

    @property
    def delivers_push(self) -> bool:
        """False for the inbox-only adapter, so callers skip loading devices at all."""

    async def send(self, message: PushMessage) -> PushOutcome: ...


class InboxOnlyPushSender:
    """The embedded default: notifications live in the in-app inbox only."""

    @property
    def delivers_push(self) -> bool:
        return False

    async def send(self, message: PushMessage) -> PushOutcome:  # noqa: ARG002 - port signature
        return PushOutcome(status=PushStatus.NOT_SENT)


def _retry_after_s(response: Any) -> int | None:
    value = getattr(response, "headers", {}).get("Retry-After") if response is not None else None
    if value is None:
        return None
    # FCM sends delta-seconds; an HTTP-date is rare enough to treat as "unspecified".
    return int(value) if str(value).strip().isdigit() else None


def _payload_violation(response: Any) -> str | None:
    """The field FCM blamed in a 400, if it is part of the payload and not the token.

    A 400 INVALID_ARGUMENT means either "this token is malformed" or "this message is
    malformed". Marking every device of every driver because one template produced a bad
    payload would be a silent outage, so a ``BadRequest`` naming a payload field counts
    as our failure, not the device's.
    """
    try:
        error = response.json().get("error", {})
    except (ValueError, AttributeError):
        return None
    for detail in error.get("details", []) if isinstance(error, dict) else []:
        if isinstance(detail, dict) and detail.get("@type") == _BAD_REQUEST_TYPE:
            for violation in detail.get("fieldViolations", []):
                name = str(violation.get("field", ""))
                if name and name != "message.token":
                    return name
    return None


def classify_fcm_error(error: exceptions.FirebaseError) -> PushOutcome:
    """Maps a firebase-admin exception (see ``messaging._MessagingService``) to an outcome."""
    response = error.http_response
    detail = str(error)
    if isinstance(error, messaging.UnregisteredError):
        return PushOutcome(PushStatus.TOKEN_UNREGISTERED, error_code="UNREGISTERED", detail=detail)
    if isinstance(error, messaging.SenderIdMismatchError):
        # The token belongs to another Firebase project: it can never work for us.
        return PushOutcome(PushStatus.TOKEN_INVALID, error_code="SENDER_ID_MISMATCH", detail=detail)
    if isinstance(error, exceptions.InvalidArgumentError):
        violation = _payload_violation(response)
        if violation is not None:
            return PushOutcome(
                PushStatus.FAILED, error_code="INVALID_ARGUMENT", detail=f"{violation}: {detail}"
            )
        return PushOutcome(PushStatus.TOKEN_INVALID, error_code="INVALID_ARGUMENT", detail=detail)
    if isinstance(
        error,
        exceptions.ResourceExhaustedError
        | exceptions.UnavailableError
        | exceptions.InternalError
        | exceptions.DeadlineExceededError
        | exceptions.UnknownError,
    ):
        return PushOutcome(
            PushStatus.RETRYABLE,
            error_code=str(error.code),
            detail=detail,
            retry_after_s=_retry_after_s(response),
        )
    return PushOutcome(PushStatus.FAILED, error_code=str(error.code), detail=detail)


class FcmPushSender:
    """Push through Firebase Cloud Messaging with firebase-admin.

    ``credential`` is a firebase-admin credential: ``credentials.Certificate(path)`` for
    a service-account file or ``credentials.ApplicationDefault()`` in production.

    ``fcm_base_url_for_tests`` exists for tests only: it points the adapter at a local
    server that speaks the FCM v1 ``messages:send`` shape. Production never sets it and
    always talks to ``https://fcm.googleapis.com``; FCM has no emulator.
    """

    def __init__(
        self,
        *,
        project_id: str,
        credential: credentials.Base,
        max_concurrency: int = 16,
        timeout_s: float = 10.0,
        fcm_base_url_for_tests: str | None = None,
    ) -> None:
        if not project_id:
            raise ValueError("FCM needs a Firebase project id")
        self._app = firebase_admin.initialize_app(
            credential,
            {"projectId": project_id, "httpTimeout": timeout_s},
            name=f"emsp-push-{uuid.uuid4().hex}",
        )
        self._limiter = anyio.CapacityLimiter(max_concurrency)
        self._configure_transport(project_id, fcm_base_url_for_tests)

    @property
    def delivers_push(self) -> bool:
        return True

    def _configure_transport(self, project_id: str, base_url: str | None) -> None:
        # firebase-admin has no public knob for the endpoint or its retries; both live on
        # the app's messaging service (``_fcm_url`` and a requests session mounted per
        # URL prefix). We set them once here, and the tests exercise this exact path.
        service = messaging._get_messaging_service(self._app)
        session: requests.Session = service._client.session
        # One attempt per call, no status retries: firebase-admin would otherwise retry
        # 500/503 up to four times and sleep through Retry-After inside a worker thread.
        # Transient outcomes go back to the job, which owns backoff.
        adapter = requests.adapters.HTTPAdapter(
            max_retries=Retry(total=1, connect=1, read=0, status=0, redirect=0, other=0)
        )
        session.mount(FCM_BASE_URL, adapter)
        if base_url is not None:
            base = base_url.rstrip("/")
            service._fcm_url = f"{base}/v1/projects/{project_id}/messages:send"
            session.mount(base, adapter)

    @staticmethod
    def build_message(message: PushMessage) -> messaging.Message:
        with warnings.catch_warnings():
            # firebase-admin 7 deprecates ``token`` in favour of ``fid`` (Firebase
            # installation ids). Our devices register FCM registration tokens, which FCM
            # v1 still addresses as ``message.token``; an FID is a different identifier.
            warnings.filterwarnings("ignore", "Message.token is deprecated", DeprecationWarning)
            return FcmPushSender._build(message)

    @staticmethod
    def _build(message: PushMessage) -> messaging.Message:
        return messaging.Message(
            token=message.token,
            notification=messaging.Notification(title=message.title, body=message.body),
            data=message.data,
            android=messaging.AndroidConfig(priority="high", collapse_key=message.collapse_key),
            apns=messaging.APNSConfig(
                headers={"apns-priority": "10"}
                | ({"apns-collapse-id": message.collapse_key} if message.collapse_key else {}),
                payload=messaging.APNSPayload(aps=messaging.Aps(sound="default")),
            ),
        )

    def _send_blocking(self, message: messaging.Message) -> PushOutcome:
        try:
            message_id = messaging.send(message, app=self._app)
        except exceptions.FirebaseError as error:
            return classify_fcm_error(error)
        return PushOutcome(PushStatus.DELIVERED, message_id=message_id)

    async def send(self, message: PushMessage) -> PushOutcome:
        # Built on the event loop thread: ``catch_warnings`` swaps process-wide state and
        # is not thread-safe, so it must never run in several worker threads at once.
        built = self.build_message(message)
        return await anyio.to_thread.run_sync(self._send_blocking, built, limiter=self._limiter)

    def close(self) -> None:
        """Release the firebase-admin app (outside an event loop: it calls asyncio.run)."""
        firebase_admin.delete_app(self._app)

    async def aclose(self) -> None:
        await anyio.to_thread.run_sync(firebase_admin.delete_app, self._app)


def push_sender_from_settings(settings: Settings) -> PushSender:
    """The adapter the configuration asks for (inbox only unless ``EMSP_PUSH_MODE=fcm``)."""
    if settings.push_mode is PushMode.INBOX:
        return InboxOnlyPushSender()
    credential: credentials.Base = (
        credentials.Certificate(settings.fcm_credentials_file)
        if settings.fcm_credentials_file
        else credentials.ApplicationDefault()
    )
    return FcmPushSender(project_id=settings.fcm_project_id, credential=credential)
