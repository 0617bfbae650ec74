"""Locale formatting of money and energy for message texts, in integer arithmetic only.

Amounts arrive as integer minor units plus an ISO 4217 currency code and are split
into major and minor digits with ``divmod``; no float ever touches an amount, so
``123456`` EUR cents is ``€1,234.56`` and never ``€1,234.5599999``.

The patterns follow CLDR's standard currency format for each language: English puts
the symbol before the number (``-€1,234.56``, ``CHF 1,234.56`` when the code is the
symbol), German after it (``-1.234,56 €``).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import FieldError, InvalidInputError


class UnknownCurrencyError(InvalidInputError):
    problem_type = "unknown-currency"
    title = "Unknown currency"


# ISO 4217 minor-unit exponents for the currencies an EMSP meets in practice; a code
# not listed here is refused rather than guessed (a wrong exponent misstates an amount
# a hundredfold).
_EXPONENTS: dict[str, int] = {
    "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2,
    "CZK": 2, "HUF": 2, "RON": 2, "BGN": 2, "ISK": 0, "CAD": 2, "AUD": 2, "NZD": 2,
    "JPY": 0, "KRW": 0, "CNY": 2, "INR": 2, "SGD": 2, "HKD": 2, "TRY": 2, "ZAR": 2,
    "AED": 2, "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "CLP": 0, "VND": 0,
}  # fmt: skip

# Symbols where CLDR's English and German data use one; other codes print as the code.
_SYMBOLS: dict[str, str] = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


@dataclass(frozen=True, slots=True)
class NumberStyle:
    """Separators and currency placement of one language."""

    group: str
    decimal: str
    symbol_first: bool


STYLES: dict[str, NumberStyle] = {
    "en": NumberStyle(group=",", decimal=".", symbol_first=True),
    "de": NumberStyle(group=".", decimal=",", symbol_first=False),
}


def currency_exponent(currency: str) -> int:
    try:
        return _EXPONENTS[currency]
    except KeyError:
        raise UnknownCurrencyError(
            f"no minor-unit exponent known for currency {currency!r}",
            errors=[FieldError(field="currency", message="not a supported ISO 4217 code")],
        ) from None


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def format_decimal(units: int, exponent: int, style: NumberStyle) -> str:
    """``units`` scaled by ``10**-exponent``, grouped, with exactly ``exponent`` decimals."""
    sign = "-" if units < 0 else ""
    major, minor = divmod(abs(units), 10**exponent)
    text = _group(str(major), style.group)
    if exponent:
        text += style.decimal + str(minor).zfill(exponent)
    return sign + text


def format_money(amount_minor: int, currency: str, style: NumberStyle) -> str:
    """``123456, "EUR"`` is ``€1,234.56`` in English and ``1.234,56 €`` in German."""
    exponent = currency_exponent(currency)
    number = format_decimal(abs(amount_minor), exponent, style)
    sign = "-" if amount_minor < 0 else ""
    symbol = _SYMBOLS.get(currency)
    if style.symbol_first:
        return f"{sign}{symbol}{number}" if symbol else f"{sign}{currency} {number}"
    return f"{sign}{number} {symbol or currency}"


def format_energy_kwh(energy_wh: int, style: NumberStyle) -> str:
    """Integer Wh shown as kWh with two decimals, rounded half up: ``12345`` is ``12.35``."""
    # Round to whole 10 Wh (two kWh decimals) in integers, away from zero on a half.
    tens, remainder = divmod(abs(energy_wh), 10)
    if remainder >= 5:
        tens += 1
    return format_decimal(-tens if energy_wh < 0 else tens, 2, style) + " kWh"
