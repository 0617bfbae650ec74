"""EMAID (e-mobility account identifier) and PCID handling.

ISO 15118-2 Annex H defines the EMAID as ``<country:2><provider:3><instance:9>[<check:1>]``,
upper-case alphanumerics, optionally written with hyphens (``DE-83D-UIEN83QGZ-D``). The
check digit is the eMI3 algorithm Annex H adopts: every character maps to a pair of
vectors ``q`` over GF(2) and ``r`` over GF(3); the check character is the unique one that
makes ``sum(q_i * P1^i)`` and ``sum(r_i * P2^i)`` vanish over positions 1..15, with
``P1 = [[0, 1], [1, 1]]`` (mod 2) and ``P2 = [[0, 1], [1, 2]]`` (mod 3). That choice of
matrices catches single errors, adjacent and jump transpositions and twin errors.
"""

from __future__ import annotations

import enum
import re
import secrets
from dataclasses import dataclass
from typing import Final

from pki.errors import EmaidError, PcidError

ALPHABET: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_BODY_LENGTH: Final = 14
_MAX_INPUT: Final = 64

_Matrix = tuple[tuple[int, int], tuple[int, int]]
_P1: Final[_Matrix] = ((0, 1), (1, 1))
_P2: Final[_Matrix] = ((0, 1), (1, 2))


def _mat_mul(a: _Matrix, b: _Matrix, modulus: int) -> _Matrix:
    return (
        (
            (a[0][0] * b[0][0] + a[0][1] * b[1][0]) % modulus,
            (a[0][0] * b[0][1] + a[0][1] * b[1][1]) % modulus,
        ),
        (
            (a[1][0] * b[0][0] + a[1][1] * b[1][0]) % modulus,
            (a[1][0] * b[0][1] + a[1][1] * b[1][1]) % modulus,
        ),
    )


def _vec_mul(v: tuple[int, int], m: _Matrix, modulus: int) -> tuple[int, int]:
    return (
        (v[0] * m[0][0] + v[1] * m[1][0]) % modulus,
        (v[0] * m[0][1] + v[1] * m[1][1]) % modulus,
    )


def _split(value: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Map a character value 0..35 to its (q over GF(2), r over GF(3)) vectors (Annex H)."""
    r2, rest = value % 3, value // 3
    r1, rest = rest % 3, rest // 3
    q2, q1 = rest % 2, rest // 2
    return (q1, q2), (r1, r2)


def _join(q: tuple[int, int], r: tuple[int, int]) -> int:
    return r[1] + 3 * r[0] + 9 * q[1] + 18 * q[0]


def _powers(base: _Matrix, modulus: int, count: int) -> list[_Matrix]:
    out: list[_Matrix] = []
    current = base
    for _ in range(count):
        out.append(current)
        current = _mat_mul(current, base, modulus)
    return out


# Per-position contributions are precomputed once: the check digit then costs 14 table
# look-ups, which matters when the backend validates every EMAID it receives over OCPI.
_P1_POWERS = _powers(_P1, 2, _BODY_LENGTH + 1)
_P2_POWERS = _powers(_P2, 3, _BODY_LENGTH + 1)
_CONTRIB = [
    [
        (_vec_mul(_split(v)[0], _P1_POWERS[i], 2), _vec_mul(_split(v)[1], _P2_POWERS[i], 3))
        for v in range(36)
    ]
    for i in range(_BODY_LENGTH)
]
# Position 15 must cancel the sum: q15 * P1^15 = -Q and r15 * P2^15 = -R. P1 has order 3
# and P2 order 8, so P1^15 = I and P2^15 = P2^-1, whose inverse is P2 itself.
_CHECK_BY_SUMS = {
    (qa, qb, ra, rb): ALPHABET[_join((qa, qb), _vec_mul(((-ra) % 3, (-rb) % 3), _P2, 3))]
    for qa in range(2)
    for qb in range(2)
    for ra in range(3)
    for rb in range(3)
}


def compute_check_digit(body: str) -> str:
    """Return the check character of a 14-character EMAID body (ISO 15118-2 Annex H).

    ``body`` must be upper-case alphanumerics without hyphens; :func:`parse_emaid` does
    that normalisation for text from outside.
    """
    if len(body) != _BODY_LENGTH or any(ch not in _VALUE for ch in body):
        raise EmaidError("the check digit is defined over 14 characters A-Z 0-9")
    qa = qb = ra = rb = 0
    for position, ch in enumerate(body):
        (cq0, cq1), (cr0, cr1) = _CONTRIB[position][_VALUE[ch]]
        qa ^= cq0
        qb ^= cq1
        ra += cr0
        rb += cr1
    return _CHECK_BY_SUMS[(qa, qb, ra % 3, rb % 3)]


class CheckDigitStatus(enum.Enum):
    """What the check digit of a parsed EMAID says."""

    VALID = "valid"
    INVALID = "invalid"
    ABSENT = "absent"


_HYPHENATED = re.compile(r"^([A-Z]{2})-([A-Z0-9]{3})-([A-Z0-9]{9})(?:-([A-Z0-9]))?$")
_COMPACT = re.compile(r"^([A-Z]{2})([A-Z0-9]{3})([A-Z0-9]{9})([A-Z0-9])?$")


@dataclass(frozen=True, slots=True)
class Emaid:
    """A parsed EMAID. ``check_digit`` is the one written, not a recomputed one."""

    country: str
    provider: str
    instance: str
    check_digit: str | None
    check_digit_status: CheckDigitStatus

    @property
    def body(self) -> str:
        """Country, provider and instance: the 14 characters the check digit covers."""
        return f"{self.country}{self.provider}{self.instance}"

    @property
    def normalised(self) -> str:
        """Compact upper-case form, as it goes into a contract certificate CN."""
        return self.body + (self.check_digit or "")

    @property
    def hyphenated(self) -> str:
        """Human-readable form with hyphens between the fields."""
        tail = f"-{self.check_digit}" if self.check_digit else ""
        return f"{self.country}-{self.provider}-{self.instance}{tail}"

    @property
    def provider_id(self) -> str:
        """Country plus provider: the EMSP id (e.g. ``DE83D``) used in OCPI."""
        return f"{self.country}{self.provider}"

    def __str__(self) -> str:
        return self.normalised


def parse_emaid(text: str) -> Emaid:
    """Parse and normalise an EMAID as defined in ISO 15118-2 Annex H.

    Case is folded and the hyphenated form accepted. A check digit that does not match is
    *not* an error: foreign providers issue such EMAIDs and roaming must accept them, so the
    result carries :attr:`Emaid.check_digit_status` for the caller to decide. Structure
    errors (length, alphabet, field layout) raise :class:`~pki.errors.EmaidError`.
    """
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        raise EmaidError("EMAID must be a string of at most 64 characters")
    candidate = text.strip().upper()
    match = _HYPHENATED.match(candidate) or _COMPACT.match(candidate)
    if match is None:
        raise EmaidError(
            "EMAID must be 2 letters, 3 and 9 alphanumerics and an optional check character"
        )
    country, provider, instance, check = match.groups()
    body = f"{country}{provider}{instance}"
    if check is None:
        status = CheckDigitStatus.ABSENT
    elif compute_check_digit(body) == check:
        status = CheckDigitStatus.VALID
    else:
        status = CheckDigitStatus.INVALID
    return Emaid(country, provider, instance, check, status)


def generate_emaid(provider_id: str, *, instance: str | None = None) -> Emaid:
    """Create an EMAID for our provider with a correct check digit (ISO 15118-2 Annex H).

    ``provider_id`` is country plus provider (``DE8EM`` or ``DE-8EM``). Without ``instance``
    nine random characters are drawn from a CSPRNG, so EMAIDs cannot be enumerated.
    """
    compact = provider_id.replace("-", "").upper()
    if not re.fullmatch(r"[A-Z]{2}[A-Z0-9]{3}", compact):
        raise EmaidError("provider id must be 2 letters and 3 alphanumerics, e.g. DE8EM")
    chosen = instance.upper() if instance is not None else _random_instance()
    if not re.fullmatch(r"[A-Z0-9]{9}", chosen):
        raise EmaidError("EMAID instance must be 9 alphanumerics")
    body = compact + chosen
    return Emaid(
        compact[:2], compact[2:], chosen, compute_check_digit(body), CheckDigitStatus.VALID
    )


def _random_instance() -> str:
    """Nine uniform characters from one CSPRNG read (rejection sampling keeps it unbiased)."""
    out: list[str] = []
    while len(out) < 9:
        # 252 = 7 * 36: bytes at or above it would favour the first characters.
        out.extend(ALPHABET[b % 36] for b in secrets.token_bytes(16) if b < 252)
    return "".join(out[:9])


_PCID = re.compile(r"[A-Za-z0-9]{17,18}")


def validate_pcid(text: str) -> str:
    """Check a PCID, the vehicle's provisioning certificate id (CN of the OEM leaf).

    ISO 15118-2 gives the PCID 17 characters plus an optional 18th check character,
    alphanumeric. Case is kept as written: real PCIDs (e.g. Hubject's ``hubUsEaTest000003``)
    are mixed-case and the CN must match byte for byte.
    """
    # fullmatch: ``$`` would also accept a trailing newline, which a CN must not carry.
    if not isinstance(text, str) or not _PCID.fullmatch(text):
        raise PcidError("PCID must be 17 or 18 alphanumeric characters")
    return text
