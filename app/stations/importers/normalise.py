"""Text and geometry helpers shared by the station importers and the dedupe step."""

from __future__ import annotations

import math
import re
import unicodedata

# ISO 3166-1 alpha-2 -> alpha-3 for the countries the seed sources can contain
# (OCPI Location.country is alpha-3, Location.country_code alpha-2).
ALPHA3 = {
    "AT": "AUT", "BE": "BEL", "CH": "CHE", "CZ": "CZE", "DE": "DEU", "DK": "DNK",
    "ES": "ESP", "FR": "FRA", "GB": "GBR", "IT": "ITA", "LU": "LUX", "NL": "NLD",
    "NO": "NOR", "PL": "POL", "SE": "SWE",
}  # fmt: skip

# Legal forms and filler words that say nothing about who operates a charger.
_OPERATOR_NOISE = frozenset(
    {
        "ag", "b", "berlin", "bv", "co", "de", "deutschland", "dienstleistungs", "e", "ev",
        "germany", "gmbh", "kg", "mbh", "niederlassung", "se", "the", "ug", "v", "worldwide",
    }
)  # fmt: skip


def format_coordinate(value: float) -> str:
    """Six decimals (~0.1 m), which satisfies the OCPI regex ``[0-9]{5,7}`` decimals."""
    return f"{value:.6f}"


def ascii_fold(text: str) -> str:
    """Drop accents and non-ASCII so a value fits an OCPI CiString (printable ASCII)."""
    text = text.replace("ß", "ss")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded if 32 <= ord(ch) < 127)


def operator_tokens(name: str | None) -> tuple[str, ...]:
    """Lower-case words of an operator name without legal forms or parenthesised notes."""
    if not name:
        return ()
    text = re.sub(r"\(.*?\)", " ", ascii_fold(name).lower())
    words = re.findall(r"[a-z0-9]+", text)
    return tuple(w for w in words if w not in _OPERATOR_NOISE)


def party_id_for(operator: str | None, fallback: str) -> str:
    """Three upper-case letters derived from the operator name, e.g. "innogy SE" -> "INN".

    OCPI party ids are assigned by national registries; an import has none, so a stable,
    readable stand-in is derived. Collisions are harmless because Location ids are unique
    on their own ('OCM-...', 'BNA-...').
    """
    letters = "".join(operator_tokens(operator)).upper()
    return letters[:3] if len(letters) >= 3 else fallback


def operators_match(a: str | None, b: str | None) -> bool:
    """Fuzzy operator equality: a shared significant word ("allego" in "Allego BV")."""
    words_a = {w for w in operator_tokens(a) if len(w) >= 4}
    words_b = {w for w in operator_tokens(b) if len(w) >= 4}
    return bool(words_a & words_b)


def street_key(address: str | None) -> tuple[str, str]:
    """(street, house number) normalised: "Boyenstraße 23" and "Boyenstr. 23" agree."""
    if not address:
        return ("", "")
    text = ascii_fold(address).lower()
    text = re.sub(r"stra(ss|s)e\b|str\b\.?", "str", text)
    match = re.search(r"(\d+\s*[a-z]?)\b", text)
    number = re.sub(r"\s", "", match.group(1)) if match else ""
    street = re.sub(r"[^a-z]", "", text[: match.start()] if match else text)
    return (street, number)


def addresses_match(a: str | None, b: str | None) -> bool:
    """Same street, and the same house number unless one side has none."""
    street_a, number_a = street_key(a)
    street_b, number_b = street_key(b)
    if not street_a or street_a != street_b:
        return False
    return not number_a or not number_b or number_a == number_b


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def clip(text: str | None, max_length: int) -> str | None:
    """Trim to an OCPI string(n) limit; None for empty input."""
    if text is None:
        return None
    text = " ".join(text.split())
    return text[:max_length] or None
