"""Opaque, signed pagination cursors.

A cursor is the position after the last item of a page plus a fingerprint of the query
it belongs to, MAC'd with the server's secret. A cursor that was tampered with, cut
short, invented or used with a different query is refused as invalid input instead of
reaching the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Any

import msgspec

from app.core.errors import InvalidInputError

_MAC_BYTES = 12
_MAX_CURSOR_CHARS = 512
_CURSOR_CHARS = re.compile(r"[A-Za-z0-9_-]+")


class InvalidCursorError(InvalidInputError):
    problem_type = "invalid-cursor"
    title = "Invalid cursor"


class CursorCodec:
    def __init__(self, secret: str, purpose: str) -> None:
        self._key = hashlib.sha256(f"{purpose}\x00{secret}".encode()).digest()

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:_MAC_BYTES]

    def encode(self, position: list[Any], fingerprint: str) -> str:
        payload = msgspec.msgpack.encode([fingerprint, position])
        token = self._mac(payload) + payload
        return base64.urlsafe_b64encode(token).rstrip(b"=").decode("ascii")

    def decode(self, cursor: str, fingerprint: str) -> list[Any]:
        if len(cursor) > _MAX_CURSOR_CHARS:
            raise InvalidCursorError("the cursor is too long")
        # Only the exact spelling we issue: unpadded URL-safe base64, nothing around it.
        if not _CURSOR_CHARS.fullmatch(cursor):
            raise InvalidCursorError("the cursor is not a cursor this API issued")
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        except (ValueError, TypeError) as exc:
            raise InvalidCursorError("the cursor is not a cursor this API issued") from exc
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != cursor:
            raise InvalidCursorError("the cursor is not a cursor this API issued")
        mac, payload = raw[:_MAC_BYTES], raw[_MAC_BYTES:]
        if len(mac) != _MAC_BYTES or not hmac.compare_digest(mac, self._mac(payload)):
            raise InvalidCursorError("the cursor is not a cursor this API issued")
        try:
            issued_for, position = msgspec.msgpack.decode(payload, type=tuple[str, list[Any]])
        except msgspec.DecodeError as exc:
            raise InvalidCursorError("the cursor is not a cursor this API issued") from exc
        if issued_for != fingerprint:
            raise InvalidCursorError("the cursor belongs to a different query")
        return position


def fingerprint(*parts: object) -> str:
    return hashlib.blake2s(repr(parts).encode(), digest_size=8).hexdigest()
