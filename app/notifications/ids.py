"""Time-ordered inbox ids (RFC 9562 UUIDv7 layout), strictly increasing per process.

The inbox pages by (created_at, id). Two entries can share a timestamp (one job sends
several, a coarse clock), and with random uuid4 tie-breakers a new entry could then
sort *behind* a cursor already handed out and show up on a later page of a walk in
progress. Ids that always grow keep every new entry in front of every cursor.

Both databases order these ids as 128-bit big-endian numbers: PostgreSQL compares
``uuid`` bytewise and SQLite stores the lowercase hex string. The version and variant
bits sit at fixed positions, so the ordering of the remaining bits decides.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_RANDOM_BITS = 74  # rand_a (12) + rand_b (62)
_lock = threading.Lock()
_last = 0


def time_ordered_uuid(now: datetime) -> uuid.UUID:
    """A UUIDv7 for ``now`` that is greater than every id this process issued before."""
    global _last  # noqa: PLW0603 - one process-wide sequence is the point
    milliseconds = (now - _EPOCH) // timedelta(milliseconds=1)
    candidate = (milliseconds << _RANDOM_BITS) | secrets.randbits(_RANDOM_BITS)
    with _lock:
        value = candidate if candidate > _last else _last + 1
        _last = value
    timestamp = value >> _RANDOM_BITS
    rand_a = (value >> 62) & 0xFFF
    rand_b = value & ((1 << 62) - 1)
    return uuid.UUID(int=(timestamp << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b)
