"""The revocation registry: which serials each CA issued, which it revoked, CRL numbers.

OCSP, CRLs and OCPP hash-data look-ups all read from a :class:`RevocationRegistry`. The
in-memory store answers from dicts keyed by ``(issuer_id, serial)`` so a status look-up is
one hash probe; the JSON-file store persists the same data for the CLI. The app will later
implement the protocol on its database.

The registry also hands out the CRL number of every CRL a CA publishes (RFC 5280 5.2.3: a
monotonically increasing sequence number per CRL issuer): a counter per issuer, persisted
with the rest, so two CRLs of the same second still get different, increasing numbers.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography import x509

from pki.clock import to_utc
from pki.errors import ParseError, RevocationError


class CertStatus(enum.Enum):
    """Certificate status values of RFC 6960 section 2.2."""

    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    """Status of one certificate, with the revocation time and reason when revoked."""

    status: CertStatus
    revoked_at: dt.datetime | None = None
    reason: x509.ReasonFlags | None = None


GOOD = StatusAnswer(CertStatus.GOOD)
UNKNOWN = StatusAnswer(CertStatus.UNKNOWN)


class RevocationRegistry(Protocol):
    """Storage of issued and revoked serials per issuing CA (``issuer_id`` = SPKI hash)."""

    def record_issued(self, issuer_id: str, serial: int) -> None:
        """Remember that ``issuer_id`` issued ``serial``, so OCSP can answer good for it."""
        ...

    def revoke(
        self, issuer_id: str, serial: int, when: dt.datetime, reason: x509.ReasonFlags | None
    ) -> None:
        """Mark an issued certificate revoked; unknown serials are refused."""
        ...

    def status(self, issuer_id: str, serial: int) -> StatusAnswer:
        """Answer good, revoked or unknown (never issued by us) for one certificate."""
        ...

    def revoked(self, issuer_id: str) -> list[tuple[int, StatusAnswer]]:
        """All revoked serials of one CA, for its CRL."""
        ...

    def next_crl_number(self, issuer_id: str) -> int:
        """Reserve the CRL number of the next CRL of ``issuer_id`` (RFC 5280 5.2.3).

        Strictly greater than every number handed out before for that issuer, also across
        restarts; it is persisted before it is returned, so a CRL that then fails to be
        signed leaves a gap, never a repeat (5.2.3 asks for increase, not contiguity).
        """
        ...


class InMemoryRevocationRegistry:
    """Registry held in dicts: tests, benchmarks, and the base of the JSON-file store."""

    def __init__(self) -> None:
        self._issued: set[tuple[str, int]] = set()
        self._revoked: dict[tuple[str, int], StatusAnswer] = {}
        self._crl_numbers: dict[str, int] = {}
        # Numbers start above this floor (see JsonFileRevocationRegistry: legacy files).
        self._crl_number_floor = 0
        self._lock = threading.Lock()

    def record_issued(self, issuer_id: str, serial: int) -> None:
        """Remember an issued serial (RFC 6960 2.2: lets the responder tell good from unknown)."""
        with self._lock:
            self._issued.add((issuer_id, serial))
            self._changed()

    def revoke(
        self, issuer_id: str, serial: int, when: dt.datetime, reason: x509.ReasonFlags | None
    ) -> None:
        """Revoke an issued certificate (RFC 5280 5.3.1 reason codes).

        ``removeFromCRL`` is refused: it only has a meaning in delta CRLs, which we do not
        publish, and it is no revocation.
        """
        if reason is x509.ReasonFlags.remove_from_crl:
            raise RevocationError("removeFromCRL is for delta CRLs only (RFC 5280 5.3.1)")
        key = (issuer_id, serial)
        with self._lock:
            if key not in self._issued:
                raise RevocationError(f"serial {serial:x} was not issued by this CA")
            if key not in self._revoked:
                self._revoked[key] = StatusAnswer(CertStatus.REVOKED, to_utc(when), reason)
            self._changed()

    def status(self, issuer_id: str, serial: int) -> StatusAnswer:
        """One dict probe and one set probe: this sits on the OCSP hot path."""
        key = (issuer_id, serial)
        answer = self._revoked.get(key)
        if answer is not None:
            return answer
        return GOOD if key in self._issued else UNKNOWN

    def revoked(self, issuer_id: str) -> list[tuple[int, StatusAnswer]]:
        """Revoked serials of one CA, sorted for a stable CRL."""
        return sorted((s, a) for (i, s), a in self._revoked.items() if i == issuer_id)

    def next_crl_number(self, issuer_id: str) -> int:
        """The last number of ``issuer_id`` plus one, starting at 1 (RFC 5280 5.2.3)."""
        with self._lock:
            number = max(self._crl_numbers.get(issuer_id, 0), self._crl_number_floor) + 1
            self._crl_numbers[issuer_id] = number
            self._changed()
        return number

    def _changed(self) -> None:
        """Hook for persistent subclasses; called with the lock held."""


class JsonFileRevocationRegistry(InMemoryRevocationRegistry):
    """The in-memory registry, saved to a JSON file after every change (CLI use).

    One process at a time: concurrent writers would lose each other's changes. A file
    written before CRL numbers were counted (no ``crl_numbers`` key) comes from CLIs that
    numbered CRLs with the Unix time of thisUpdate; its counters start above the load time,
    so the numbers relying parties have already seen keep increasing.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path
        if path.exists():
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text())
            for item in data["issued"]:
                self._issued.add((str(item["issuer"]), int(item["serial"], 16)))
            for item in data["revoked"]:
                reason = x509.ReasonFlags(item["reason"]) if item.get("reason") else None
                self._revoked[(str(item["issuer"]), int(item["serial"], 16))] = StatusAnswer(
                    CertStatus.REVOKED, dt.datetime.fromisoformat(item["at"]), reason
                )
            if "crl_numbers" in data:
                self._crl_numbers = _crl_numbers(data["crl_numbers"])
                self._crl_number_floor = int(data.get("crl_number_floor", 0))
            else:
                self._crl_number_floor = int(time.time())
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ParseError(f"revocation registry {path.name} is corrupt") from exc

    def _changed(self) -> None:
        data = {
            "issued": [{"issuer": i, "serial": f"{s:x}"} for i, s in sorted(self._issued)],
            "revoked": [
                {
                    "issuer": i,
                    "serial": f"{s:x}",
                    "at": a.revoked_at.isoformat() if a.revoked_at else None,
                    "reason": a.reason.value if a.reason else None,
                }
                for (i, s), a in sorted(self._revoked.items())
            ],
            "crl_numbers": dict(sorted(self._crl_numbers.items())),
            "crl_number_floor": self._crl_number_floor,
        }
        # Write-then-rename so a crash never leaves a half-written registry behind.
        # fsync before the rename: a CRL number handed out must survive a power loss too.
        tmp = self._path.with_suffix(".tmp")
        with tmp.open("w") as out:
            out.write(json.dumps(data, indent=1))
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(self._path)


def _crl_numbers(raw: object) -> dict[str, int]:
    """The persisted CRL counters: issuer id to a positive integer (bool is no integer)."""
    if not isinstance(raw, dict) or any(
        type(number) is not int or number < 1 for number in raw.values()
    ):
        raise ValueError("crl_numbers must map issuer ids to positive integers")
    return {str(issuer): number for issuer, number in raw.items()}
