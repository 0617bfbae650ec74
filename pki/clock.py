"""Injected clocks.

Certificate validity, OCSP thisUpdate/nextUpdate and CRL dates all depend on "now". Code
under :mod:`pki` takes a :class:`Clock` instead of calling ``datetime.now`` so tests can pin
the validation time (the sample certificates expire in 2027) and so a wrong system clock is
visible at one seam.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


class Clock(Protocol):
    """Source of the current time, always timezone-aware UTC."""

    def now(self) -> dt.datetime:
        """Return the current instant in UTC."""
        ...


class SystemClock:
    """The machine clock, in UTC."""

    def now(self) -> dt.datetime:
        """Return ``datetime.now(UTC)``."""
        return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class FixedClock:
    """A clock that always answers the same instant (tests, reproducible CLI runs)."""

    instant: dt.datetime

    def __post_init__(self) -> None:
        if self.instant.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")

    def now(self) -> dt.datetime:
        """Return the pinned instant."""
        return self.instant


def to_utc(value: dt.datetime) -> dt.datetime:
    """Return ``value`` in UTC; naive datetimes are refused rather than assumed local."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware value")
    return value.astimezone(dt.UTC)
