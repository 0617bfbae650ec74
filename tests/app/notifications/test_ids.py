"""Inbox ids: UUIDv7 layout, strictly increasing even when the clock stands still."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.notifications.ids import time_ordered_uuid


def test_ids_increase_with_a_frozen_clock_and_are_version_7() -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    ids = [time_ordered_uuid(now) for _ in range(1_000)]
    assert ids == sorted(ids, key=lambda value: value.int)
    assert len(set(ids)) == len(ids)
    assert [value.hex for value in ids] == sorted(value.hex for value in ids)  # SQLite order
    assert {value.version for value in ids} == {7}
    assert {value.variant for value in ids} == {"specified in RFC 4122"}


def test_ids_never_go_backwards_when_the_clock_does() -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    later = time_ordered_uuid(now)
    earlier_clock = time_ordered_uuid(now - timedelta(hours=1))
    assert earlier_clock.int > later.int
