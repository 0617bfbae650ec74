"""Rules over canonical stations: opening hours, connector power, what a station offers.

Pure functions of the :mod:`app.stations.domain` types, used by the search projection,
the API and the importers.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.stations.domain import (
    AD_HOC_CARD_PAYMENT_CAPABILITIES,
    EVSE,
    PLUG_AND_CHARGE_CAPABILITIES,
    Connector,
    ExceptionalPeriod,
    Hours,
    Location,
    PowerType,
    RegularHours,
    Status,
)


def _in_period(at: datetime, period: ExceptionalPeriod) -> bool:
    return period.period_begin <= at < period.period_end


def _hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _in_regular_hours(local: datetime, hours: list[RegularHours]) -> bool:
    """Regular periods in local wall-clock time (OCPI RegularHours).

    ``period_end <= period_begin`` is read as crossing midnight into the next day
    ("22:00"-"02:00"); equal begin and end therefore cover 24 hours from ``period_begin``.
    """
    today = local.isoweekday()
    yesterday = 7 if today == 1 else today - 1
    now = local.time().replace(tzinfo=None)
    for period in hours:
        begin, end = _hhmm(period.period_begin), _hhmm(period.period_end)
        if begin < end:
            if period.weekday == today and begin <= now < end:
                return True
        elif (period.weekday == today and now >= begin) or (
            period.weekday == yesterday and now < end
        ):
            return True
    return False


def is_open_at(location: Location, at_utc: datetime) -> bool | None:
    """Whether the Location's EVSEs can be accessed at ``at_utc`` (OCPI Hours class).

    Precedence follows the spec: ``exceptional_closings`` override everything, then
    ``exceptional_openings`` (UTC periods, end exclusive), then ``twentyfourseven``, then
    ``regular_hours`` evaluated in the Location's IANA ``time_zone`` (so DST is honoured).

    Returns ``None`` ("unknown") when ``opening_times`` is absent, or when regular hours
    have to be evaluated but ``time_zone`` is not a known IANA zone. A naive ``at_utc`` is
    taken as UTC, like an OCPI DateTime without designator.
    """
    if location.opening_times is None:
        return None
    return hours_open_at(location.opening_times, location.time_zone, at_utc)


def hours_open_at(hours: Hours, time_zone: str, at_utc: datetime) -> bool | None:
    """:func:`is_open_at` for an ``Hours`` object and IANA ``time_zone`` on their own.

    The search reads hours from its pre-rendered summary, without a whole Location.
    """
    at = at_utc.replace(tzinfo=UTC) if at_utc.tzinfo is None else at_utc.astimezone(UTC)
    if any(_in_period(at, p) for p in hours.exceptional_closings or ()):
        return False
    if any(_in_period(at, p) for p in hours.exceptional_openings or ()):
        return True
    if hours.twentyfourseven:
        return True
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return _in_regular_hours(at.astimezone(zone), hours.regular_hours or [])


_PHASES = {
    PowerType.AC_1_PHASE: 1,
    PowerType.AC_2_PHASE: 2,
    PowerType.AC_2_PHASE_SPLIT: 2,
    PowerType.AC_3_PHASE: 3,
    PowerType.DC: 1,
}


def max_power_w(connector: Connector) -> int:
    """Maximum power of a connector in W (OCPI Connector.max_electric_power).

    ``max_electric_power`` wins when present (the spec sets it when lower than V x A).
    Otherwise V x A x phases: OCPI gives ``max_voltage`` line to neutral for AC_3_PHASE, so
    three phases are 3 x U_LN x I (the same as sqrt(3) x U_LL x I). Two-phase and split-phase
    connectors are counted as 2 x U x I with the voltage as given.
    """
    if connector.max_electric_power is not None:
        return connector.max_electric_power
    return _PHASES[connector.power_type] * connector.max_voltage * connector.max_amperage


def in_service(location: Location) -> list[EVSE]:
    """The EVSEs a driver could use: all but REMOVED ones (kept by OCPI for history)."""
    return [evse for evse in location.evses or () if evse.status != Status.REMOVED]


def location_max_power_w(location: Location) -> int:
    """Highest connector power over the EVSEs in service, 0 when there is none."""
    return max(
        (max_power_w(c) for evse in in_service(location) for c in evse.connectors), default=0
    )


def supports_plug_and_charge(station: Location | EVSE) -> bool:
    """True when any connector declares ISO 15118-2 or -20 Plug & Charge (OCPI 2.3.0).

    OCPI 2.2.1 has no way to say this, so a Location imported from 2.2.1 is always False.
    A REMOVED EVSE does not count.
    """
    evses = in_service(station) if isinstance(station, Location) else [station]
    if any(evse.status == Status.REMOVED for evse in evses):
        return False
    return any(
        PLUG_AND_CHARGE_CAPABILITIES.intersection(connector.capabilities or ())
        for evse in evses
        for connector in evse.connectors
    )


def supports_ad_hoc_card_payment(evse: EVSE) -> bool:
    """True when the EVSE has a payment terminal for bank cards.

    The spec (Capability enum) describes an ad-hoc payment terminal with any combination of
    CHIP_CARD_SUPPORT, CONTACTLESS_CARD_SUPPORT, CREDIT_CARD_PAYABLE, DEBIT_CARD_PAYABLE and
    PED_TERMINAL, so any one of them is taken to mean "a driver can pay with a card here".
    RFID_READER alone does not count: it authorises contract tokens, not ad-hoc payment.
    A REMOVED EVSE offers nothing.
    """
    if evse.status == Status.REMOVED:
        return False
    return bool(AD_HOC_CARD_PAYMENT_CAPABILITIES.intersection(evse.capabilities or ()))


def connector_count(location: Location) -> int:
    """Number of connectors over all EVSEs of a Location."""
    return sum(len(evse.connectors) for evse in location.evses or ())
