"""A local stand-in for FCM HTTP v1 ``projects/{p}/messages:send`` on 127.0.0.1.

FCM has no emulator and its URL is fixed, so the adapter is tested against this server.
It checks a request the way FCM does (one target, string data values, the shapes of
``notification``, ``android`` and ``apns``) and answers with FCM's real bodies: the
message name on success, and google.rpc error objects with an ``FcmError`` detail for
failures. What a token gets is decided by its prefix, so one test can mix outcomes:

- ``unregistered-*``: 404 NOT_FOUND / UNREGISTERED (the app was uninstalled);
- ``malformed-*``: 400 INVALID_ARGUMENT / INVALID_ARGUMENT (not a registration token);
- ``throttled-*``: 429 RESOURCE_EXHAUSTED / QUOTA_EXCEEDED with ``Retry-After``;
- ``unavailable-*``: 503 UNAVAILABLE;
- anything else: 200 ``{"name": "projects/<p>/messages/<n>"}``.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"
_PATH = re.compile(r"^/v1/projects/(?P<project>[a-z0-9-]+)/messages:send$")
_TARGETS = ("token", "topic", "condition")
_ANDROID_PRIORITIES = {"normal", "high", "NORMAL", "HIGH"}
_RESERVED_DATA_KEYS = {"from", "message_type", "notification"}


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FcmState:
    requests: list[ReceivedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))


def _error(status: int, rpc_status: str, message: str, details: list[dict[str, Any]]) -> bytes:
    body = {"error": {"code": status, "message": message, "status": rpc_status, "details": details}}
    return json.dumps(body).encode()


def _fcm_error(status: int, rpc_status: str, message: str, code: str) -> bytes:
    return _error(status, rpc_status, message, [{"@type": FCM_ERROR, "errorCode": code}])


def _violation(field_name: str, description: str) -> bytes:
    return _error(
        400,
        "INVALID_ARGUMENT",
        f"Invalid value at '{field_name}'",
        [
            {
                "@type": BAD_REQUEST,
                "fieldViolations": [{"field": field_name, "description": description}],
            },
        ],
    )


def _check_string_map(value: Any, name: str) -> tuple[str, str] | None:
    if not isinstance(value, dict):
        return name, "must be a map"
    for key, item in value.items():
        if not isinstance(item, str):
            return f"{name}[{key}]", "map values must be strings"
    return None


def validate_message(message: Any) -> tuple[str, str] | None:
    """The first violation FCM would report for this message, as (field, description)."""
    if not isinstance(message, dict):
        return "message", "required"
    targets = [t for t in _TARGETS if message.get(t)]
    if len(targets) != 1:
        return "message", "exactly one of token, topic or condition is required"
    notification = message.get("notification")
    if notification is not None:
        if not isinstance(notification, dict):
            return "message.notification", "must be an object"
        for key in ("title", "body"):
            if key in notification and not isinstance(notification[key], str):
                return f"message.notification.{key}", "must be a string"
    if "data" in message and (problem := _check_string_map(message["data"], "message.data")):
        return problem
    for key in message.get("data", {}):
        # FCM reserves these keys for itself and refuses a message that uses them.
        if key in _RESERVED_DATA_KEYS or key.startswith(("google.", "gcm.")):
            return f"message.data[{key}]", "reserved data payload key"
    android = message.get("android")
    if android is not None:
        if android.get("priority") not in {None, *_ANDROID_PRIORITIES}:
            return "message.android.priority", "invalid enum value"
        if "data" in android and (
            problem := _check_string_map(android["data"], "message.android.data")
        ):
            return problem
    apns = message.get("apns")
    if apns is not None:
        if "headers" in apns and (
            problem := _check_string_map(apns["headers"], "message.apns.headers")
        ):
            return problem
        payload = apns.get("payload", {})
        if not isinstance(payload, dict) or not isinstance(payload.get("aps", {}), dict):
            return "message.apns.payload.aps", "must be an object"
    return None


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        del format, args  # keep test output clean

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        match = _PATH.match(self.path)
        if match is None:
            self._answer(404, _error(404, "NOT_FOUND", "no such method", []))
            return
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            body = json.loads(raw)
        except ValueError:
            self._answer(400, _error(400, "INVALID_ARGUMENT", "Invalid JSON payload", []))
            return
        state = self.server.state
        with state.lock:
            state.requests.append(ReceivedRequest(self.path, dict(self.headers), body))
        problem = validate_message(body.get("message") if isinstance(body, dict) else None)
        if problem is not None:
            self._answer(400, _violation(*problem))
            return
        token = str(body["message"].get("token", ""))
        if token.startswith("unregistered-"):
            self._answer(
                404, _fcm_error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")
            )
        elif token.startswith("malformed-"):
            message = "The registration token is not a valid FCM registration token"
            self._answer(400, _fcm_error(400, "INVALID_ARGUMENT", message, "INVALID_ARGUMENT"))
        elif token.startswith("throttled-"):
            body_bytes = _fcm_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", "QUOTA_EXCEEDED")
            self._answer(429, body_bytes, {"Retry-After": "30"})
        elif token.startswith("unavailable-"):
            body_bytes = _fcm_error(
                503, "UNAVAILABLE", "The service is unavailable.", "UNAVAILABLE"
            )
            self._answer(503, body_bytes)
        else:
            with state.lock:
                number = next(state.ids)
            name = f"projects/{match['project']}/messages/{number}"
            self._answer(200, json.dumps({"name": name}).encode())


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = FcmState()


class LocalFcmServer:
    """Runs the stand-in in a background thread; ``base_url`` is what the adapter gets."""

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._server.state.lock:
            return list(self._server.state.requests)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
