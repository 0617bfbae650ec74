"""The number a driver types in to activate an RFID card: the chip's UID in hex.

Rule: ISO/IEC 14443-3 (the NFC-A cards charge points read) defines UIDs of 4, 7 or 10
bytes ("single", "double" and "triple size"). Readers and OCPP report them as hex, and
OCPI ``Token.uid`` of RFID tokens is "the RFID hidden ID as read by the RFID reader"
[mod_tokens_token_object], so the accepted input is 8, 14 or 20 hex digits. People copy
the UID with separators and in either case; spaces, colons and hyphens are removed and
the result is upper-cased, which is also the form stored and sent to CPOs (OCPI compares
``uid`` case-insensitively, a CiString, so one canonical case keeps the unique index
honest).
"""

from __future__ import annotations

import re

UID_HEX_LENGTHS = (8, 14, 20)
_SEPARATORS = re.compile(r"[\s:\-]")
_HEX = re.compile(r"[0-9A-F]+")


def normalise_rfid_uid(text: str) -> str | None:
    """The canonical UID (upper-case hex, 8/14/20 digits), or None when it is not one."""
    compact = _SEPARATORS.sub("", text).upper()
    if len(compact) not in UID_HEX_LENGTHS or not _HEX.fullmatch(compact):
        return None
    return compact
