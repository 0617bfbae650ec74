"""Localised templates: every kind in every language, money and energy per locale."""

from __future__ import annotations

from typing import Any

import pytest

from app.notifications.money import (
    STYLES,
    UnknownCurrencyError,
    format_energy_kwh,
    format_money,
)
from app.notifications.templates import (
    SUPPORTED_LOCALES,
    TEMPLATES,
    InvalidTemplateParameterError,
    MissingTemplateParameterError,
    NotificationKind,
    UnknownNotificationKindError,
    placeholders,
    render,
    resolve_locale,
)

EN, DE = STYLES["en"], STYLES["de"]

SAMPLE_PARAMS: dict[str, Any] = {
    "station_name": "Alexanderplatz 1",
    "energy_wh": 23_456,
    "cost_minor": 123_456,
    "fee_per_minute_minor": 10,
    "amount_minor": 4_999,
    "currency": "EUR",
}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_kind_renders_in_every_locale(kind: NotificationKind, locale: str) -> None:
    template = TEMPLATES[kind]
    params = {name: SAMPLE_PARAMS[name] for name in template.params}
    message = render(kind, params, locale)
    assert message.locale == locale
    assert message.title
    assert message.body
    assert "{" not in message.title + message.body


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_templates_use_only_what_their_parameters_provide(kind: NotificationKind) -> None:
    template = TEMPLATES[kind]
    provided = {
        "energy" if name == "energy_wh" else name.removesuffix("_minor") for name in template.params
    }
    assert set(template.texts) == set(SUPPORTED_LOCALES)
    for text in template.texts.values():
        assert placeholders(text.title) | placeholders(text.body) <= provided


def test_session_completed_in_english_and_german() -> None:
    params = {
        "station_name": "Hbf",
        "energy_wh": 1_234_567,
        "cost_minor": 123_456,
        "currency": "EUR",
    }
    en = render("session_completed", params, "en-GB")
    de = render("session_completed", params, "de-DE")
    assert en.body == "You charged 1,234.57 kWh at Hbf. Total: €1,234.56."
    assert de.body == "Du hast an Hbf 1.234,57 kWh geladen. Gesamt: 1.234,56 €."


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("de_CH", "de"),
        ("DE", "de"),
        ("en-US", "en"),
        ("fi-FI", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_locale_resolution_falls_back_to_english(tag: str | None, expected: str) -> None:
    assert resolve_locale(tag) == expected


def test_unknown_locale_renders_english() -> None:
    assert render("session_started", {"station_name": "X"}, "fi").title == "Charging started"


def test_missing_parameters_are_listed_in_a_typed_error() -> None:
    with pytest.raises(MissingTemplateParameterError) as caught:
        render("session_completed", {"station_name": "X"}, "de")
    assert caught.value.missing == ["energy_wh", "cost_minor", "currency"]
    assert [error.field for error in caught.value.errors or []] == caught.value.missing


def test_unknown_kind_is_a_typed_error() -> None:
    with pytest.raises(UnknownNotificationKindError):
        render("session_exploded", {}, "en")


@pytest.mark.parametrize("value", ["12.34", 12.34, True])
def test_money_parameters_must_be_integer_minor_units(value: object) -> None:
    with pytest.raises(InvalidTemplateParameterError):
        render("payment_failed", {"amount_minor": value, "currency": "EUR"}, "en")  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("amount", "currency", "english", "german"),
    [
        (0, "EUR", "€0.00", "0,00 €"),
        (1, "EUR", "€0.01", "0,01 €"),
        (-250, "EUR", "-€2.50", "-2,50 €"),
        (-123_456, "EUR", "-€1,234.56", "-1.234,56 €"),
        (123_456, "EUR", "€1,234.56", "1.234,56 €"),
        (100_000_000_000_01, "EUR", "€100,000,000,000.01", "100.000.000.000,01 €"),
        (1_234, "JPY", "¥1,234", "1.234 ¥"),
        (0, "JPY", "¥0", "0 ¥"),
        (-5, "JPY", "-¥5", "-5 ¥"),
        (1_234_567, "BHD", "BHD 1,234.567", "1.234,567 BHD"),
        (999, "CHF", "CHF 9.99", "9,99 CHF"),
        (100, "USD", "$1.00", "1,00 $"),
    ],
)
def test_money_is_formatted_per_locale_from_minor_units(
    amount: int, currency: str, english: str, german: str
) -> None:
    assert format_money(amount, currency, EN) == english
    assert format_money(amount, currency, DE) == german


def test_unknown_currency_is_refused_not_guessed() -> None:
    with pytest.raises(UnknownCurrencyError):
        format_money(100, "XYZ", EN)


@pytest.mark.parametrize(
    ("wh", "english", "german"),
    [
        (0, "0.00 kWh", "0,00 kWh"),
        (4, "0.00 kWh", "0,00 kWh"),
        (5, "0.01 kWh", "0,01 kWh"),
        (12_345, "12.35 kWh", "12,35 kWh"),
        (1_234_567, "1,234.57 kWh", "1.234,57 kWh"),
    ],
)
def test_energy_is_kwh_with_two_decimals(wh: int, english: str, german: str) -> None:
    assert format_energy_kwh(wh, EN) == english
    assert format_energy_kwh(wh, DE) == german
