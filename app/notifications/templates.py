"""Localised notification texts: one template per kind and language, English fallback.

A template names the raw parameters it needs. Rendering checks them first and raises
:class:`MissingTemplateParameterError` listing every missing one, so a caller that
forgot ``cost_minor`` learns it at once instead of a driver reading ``{cost}``.

Raw parameters are turned into display values per language before substitution:

- ``<name>_minor`` (integer minor units) with ``currency`` becomes ``{<name>}``,
  formatted as money for the language (``cost_minor`` -> ``{cost}``);
- ``energy_wh`` (integer Wh) becomes ``{energy}`` in kWh;
- text parameters (``station_name``) are used as given.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.core.errors import FieldError, InvalidInputError
from app.notifications.money import STYLES, NumberStyle, format_energy_kwh, format_money

DEFAULT_LOCALE = "en"
SUPPORTED_LOCALES = ("en", "de")

ParamValue = str | int
TemplateParams = Mapping[str, ParamValue]


class NotificationKind(StrEnum):
    SESSION_STARTED = "session_started"
    SESSION_STOPPED = "session_stopped"
    SESSION_COMPLETED = "session_completed"
    SESSION_FAILED = "session_failed"
    IDLE_FEE_STARTED = "idle_fee_started"
    PAYMENT_FAILED = "payment_failed"


class UnknownNotificationKindError(InvalidInputError):
    problem_type = "unknown-notification-kind"
    title = "Unknown notification kind"


class MissingTemplateParameterError(InvalidInputError):
    problem_type = "missing-template-parameter"
    title = "Missing template parameter"

    def __init__(self, kind: str, missing: list[str]) -> None:
        super().__init__(
            f"notification {kind!r} needs parameters: {', '.join(missing)}",
            errors=[FieldError(field=name, message="required by the template") for name in missing],
        )
        self.kind = kind
        self.missing = missing


class InvalidTemplateParameterError(InvalidInputError):
    problem_type = "invalid-template-parameter"
    title = "Invalid template parameter"


@dataclass(frozen=True, slots=True)
class Text:
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class Template:
    params: tuple[str, ...]
    texts: Mapping[str, Text]


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    kind: str
    locale: str
    title: str
    body: str


_STATION = ("station_name",)
TEMPLATES: Mapping[NotificationKind, Template] = {
    NotificationKind.SESSION_STARTED: Template(
        params=_STATION,
        texts={
            "en": Text("Charging started", "Your session at {station_name} has started."),
            "de": Text("Ladevorgang gestartet", "Dein Ladevorgang an {station_name} läuft."),
        },
    ),
    NotificationKind.SESSION_STOPPED: Template(
        params=_STATION,
        texts={
            "en": Text(
                "Charging stopped",
                "Your session at {station_name} has stopped. Please unplug your vehicle.",
            ),
            "de": Text(
                "Ladevorgang beendet",
                "Dein Ladevorgang an {station_name} wurde beendet. Bitte zieh den Stecker ab.",
            ),
        },
    ),
    NotificationKind.SESSION_COMPLETED: Template(
        params=("station_name", "energy_wh", "cost_minor", "currency"),
        texts={
            "en": Text(
                "Charging complete",
                "You charged {energy} at {station_name}. Total: {cost}.",
            ),
            "de": Text(
                "Ladevorgang abgeschlossen",
                "Du hast an {station_name} {energy} geladen. Gesamt: {cost}.",
            ),
        },
    ),
    NotificationKind.SESSION_FAILED: Template(
        params=_STATION,
        texts={
            "en": Text(
                "Charging could not start",
                "The session at {station_name} failed. You have not been charged.",
            ),
            "de": Text(
                "Ladevorgang fehlgeschlagen",
                "Der Ladevorgang an {station_name} ist fehlgeschlagen. Dir wurde nichts berechnet.",
            ),
        },
    ),
    NotificationKind.IDLE_FEE_STARTED: Template(
        params=("station_name", "fee_per_minute_minor", "currency"),
        texts={
            "en": Text(
                "Blocking fee started",
                "Your vehicle is still plugged in at {station_name}. "
                "A blocking fee of {fee_per_minute} per minute now applies.",
            ),
            "de": Text(
                "Blockiergebühr läuft",
                "Dein Fahrzeug ist an {station_name} noch angesteckt. "
                "Ab jetzt fällt eine Blockiergebühr von {fee_per_minute} pro Minute an.",
            ),
        },
    ),
    NotificationKind.PAYMENT_FAILED: Template(
        params=("amount_minor", "currency"),
        texts={
            "en": Text(
                "Payment failed",
                "We could not collect {amount}. Please update your payment method.",
            ),
            "de": Text(
                "Zahlung fehlgeschlagen",
                "Wir konnten {amount} nicht einziehen. Bitte aktualisiere deine Zahlungsart.",
            ),
        },
    ),
}


def resolve_locale(locale: str | None) -> str:
    """The supported language for a BCP 47 tag: ``de-AT`` and ``de_DE`` are ``de``.

    Anything unknown (or nothing) falls back to English rather than failing: a driver
    with a Finnish phone still gets a readable message.
    """
    if not locale:
        return DEFAULT_LOCALE
    language = locale.replace("_", "-").split("-", 1)[0].strip().lower()
    return language if language in SUPPORTED_LOCALES else DEFAULT_LOCALE


def template_for(kind: str) -> Template:
    try:
        return TEMPLATES[NotificationKind(kind)]
    except ValueError:
        raise UnknownNotificationKindError(
            f"no template for notification kind {kind!r}",
            errors=[FieldError(field="kind", message="unknown notification kind")],
        ) from None


def _integer(params: TemplateParams, name: str) -> int:
    value = params[name]
    # bool is an int subclass; True cents is a bug, not one cent.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTemplateParameterError(
            f"{name} must be an integer",
            errors=[FieldError(field=name, message="must be an integer")],
        )
    return value


def _display_values(
    params: TemplateParams, names: tuple[str, ...], style: NumberStyle
) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in names:
        if name.endswith("_minor"):
            currency = str(params["currency"])
            values[name.removesuffix("_minor")] = format_money(
                _integer(params, name), currency, style
            )
        elif name == "energy_wh":
            values["energy"] = format_energy_kwh(_integer(params, name), style)
        else:
            values[name] = str(params[name])
    return values


def render(kind: str, params: TemplateParams, locale: str | None = None) -> RenderedMessage:
    """The title and body of ``kind`` in the driver's language."""
    template = template_for(kind)
    missing = [name for name in template.params if name not in params]
    if missing:
        raise MissingTemplateParameterError(kind, missing)
    language = resolve_locale(locale)
    text = template.texts.get(language) or template.texts[DEFAULT_LOCALE]
    values = _display_values(params, template.params, STYLES[language])
    return RenderedMessage(
        kind=kind,
        locale=language,
        title=text.title.format_map(values),
        body=text.body.format_map(values),
    )


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a text uses (tests check templates against their params)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}
