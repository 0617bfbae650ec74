"""Validation of the codes a driver's profile carries: country, currency, locale, VAT id.

- Country: ISO 3166-1 alpha-2, the 249 officially assigned codes.
- Currency: ISO 4217 codes of currencies a driver can be billed in (circulating
  currencies; no fund codes such as BOV or CHE, metals or test codes).
- Locale: the BCP 47 tag shape (RFC 5646 ``language[-script][-region][-variant]``),
  normalised to its conventional case (``de-DE``, ``zh-Hant-TW``). The language subtag is
  not checked against the IANA registry: an unknown but well-formed tag falls back to a
  default translation in the app, which is harmless.
- VAT id: the formats published for VIES (EU member states, ``EL`` for Greece, ``XI``
  for Northern Ireland) plus GB, CH and NO, after removing spaces, dots and hyphens;
  other prefixes get a generic shape (two letters then 2-18 letters or digits). Check
  digits are not verified: only VIES can say whether a number is registered, and that
  belongs to invoicing.
"""

from __future__ import annotations

import re

_ISO_3166_ALPHA_2 = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
COUNTRIES = frozenset(_ISO_3166_ALPHA_2.split())

_ISO_4217_BILLABLE = """
AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES
KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU
MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON
RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND
TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR
ZMW ZWG
"""
CURRENCIES = frozenset(_ISO_4217_BILLABLE.split())

_LOCALE = re.compile(
    r"(?P<language>[A-Za-z]{2,3})"
    r"(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?"
    r"(?P<variants>(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*)"
)

_IRISH = r"(?:\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])"
_UK = r"(?:\d{9}|\d{12}|GD\d{3}|HA\d{3})"
_VAT_BY_PREFIX = {
    prefix: re.compile(pattern)
    for prefix, pattern in {
        "AT": r"U\d{8}",
        "BE": r"[01]\d{9}",
        "BG": r"\d{9,10}",
        "CY": r"\d{8}[A-Z]",
        "CZ": r"\d{8,10}",
        "DE": r"\d{9}",
        "DK": r"\d{8}",
        "EE": r"\d{9}",
        "EL": r"\d{9}",
        "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
        "FI": r"\d{8}",
        "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}",
        "HR": r"\d{11}",
        "HU": r"\d{8}",
        "IE": _IRISH,
        "IT": r"\d{11}",
        "LT": r"\d{9}|\d{12}",
        "LU": r"\d{8}",
        "LV": r"\d{11}",
        "MT": r"\d{8}",
        "NL": r"\d{9}B\d{2}",
        "PL": r"\d{10}",
        "PT": r"\d{9}",
        "RO": r"\d{2,10}",
        "SE": r"\d{10}01",
        "SI": r"\d{8}",
        "SK": r"\d{10}",
        "XI": _UK,
        "GB": _UK,
        "CH": r"E\d{9}(?:MWST|TVA|IVA)?",
        "NO": r"\d{9}(?:MVA)?",
    }.items()
}
_VAT_GENERIC = re.compile(r"[A-Z]{2}[A-Z0-9]{2,18}")
_VAT_SEPARATORS = re.compile(r"[\s.\-]")


def is_country(code: str) -> bool:
    return code in COUNTRIES


def is_currency(code: str) -> bool:
    return code in CURRENCIES


def normalise_locale(tag: str) -> str | None:
    """The tag in conventional case, or None when it is not a BCP 47 language tag."""
    match = _LOCALE.fullmatch(tag)
    if match is None:
        return None
    parts = [match["language"].lower()]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    parts.extend(v.lower() for v in match["variants"].split("-") if v)
    return "-".join(parts)


def normalise_vat_id(value: str) -> str | None:
    """The VAT id without separators and in upper case, or None when its shape is wrong."""
    compact = _VAT_SEPARATORS.sub("", value).upper()
    pattern = _VAT_BY_PREFIX.get(compact[:2])
    if pattern is not None:
        return compact if pattern.fullmatch(compact[2:]) else None
    return compact if _VAT_GENERIC.fullmatch(compact) else None
