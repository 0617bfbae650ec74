"""Search rules of the station domain: opening hours, power, Plug & Charge, card payment."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from app.stations import domain, rules

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _location(hours: domain.Hours | None, time_zone: str = "Europe/Berlin") -> domain.Location:
    return domain.Location(
        country_code="DE",
        party_id="TST",
        id="L1",
        publish=True,
        address="Teststr. 1",
        city="Berlin",
        country="DEU",
        coordinates=domain.GeoLocation(latitude="52.520000", longitude="13.400000"),
        time_zone=time_zone,
        opening_times=hours,
        last_updated=T0,
    )


def _connector(
    power_type: domain.PowerType, volts: int, amps: int, watts: int | None = None
) -> domain.Connector:
    return domain.Connector(
        id="1",
        standard="IEC_62196_T2",
        format=domain.ConnectorFormat.SOCKET,
        power_type=power_type,
        max_voltage=volts,
        max_amperage=amps,
        max_electric_power=watts,
        last_updated=T0,
    )


def _evse(capabilities: list[str] | None = None) -> domain.EVSE:
    plug = _connector(domain.PowerType.DC, 500, 100)
    return domain.EVSE(
        uid="E1",
        status=domain.Status.AVAILABLE,
        capabilities=capabilities,
        connectors=[plug],
        last_updated=T0,
    )


NIGHT = domain.Hours(
    twentyfourseven=False,
    regular_hours=[domain.RegularHours(weekday=5, period_begin="22:00", period_end="02:00")],
)


def test_period_crossing_midnight_is_open_late_on_its_own_weekday() -> None:
    # Friday 2024-03-01 23:30 Berlin (CET) = 22:30 UTC
    assert rules.is_open_at(_location(NIGHT), datetime(2024, 3, 1, 22, 30, tzinfo=UTC))


def test_period_crossing_midnight_is_open_early_on_the_next_day() -> None:
    # Saturday 01:30 Berlin = 00:30 UTC
    assert rules.is_open_at(_location(NIGHT), datetime(2024, 3, 2, 0, 30, tzinfo=UTC))


def test_period_crossing_midnight_is_closed_after_its_end() -> None:
    # Saturday 02:00 Berlin: end is exclusive
    assert rules.is_open_at(_location(NIGHT), datetime(2024, 3, 2, 1, 0, tzinfo=UTC)) is False


def test_regular_hours_follow_daylight_saving_time() -> None:
    office = domain.Hours(
        twentyfourseven=False,
        regular_hours=[domain.RegularHours(weekday=1, period_begin="08:00", period_end="20:00")],
    )
    # 07:30 UTC is 08:30 in winter (open) but 09:30 in summer; 06:30 UTC is 07:30 / 08:30.
    location = _location(office)
    assert rules.is_open_at(location, datetime(2024, 1, 8, 6, 30, tzinfo=UTC)) is False
    assert rules.is_open_at(location, datetime(2024, 7, 8, 6, 30, tzinfo=UTC)) is True


def test_exceptional_closing_overrides_twentyfourseven() -> None:
    closed = domain.ExceptionalPeriod(
        period_begin=datetime(2018, 12, 25, 3, tzinfo=UTC),
        period_end=datetime(2018, 12, 25, 5, tzinfo=UTC),
    )
    hours = domain.Hours(twentyfourseven=True, exceptional_closings=[closed])
    assert rules.is_open_at(_location(hours), datetime(2018, 12, 25, 4, tzinfo=UTC)) is False
    assert rules.is_open_at(_location(hours), datetime(2018, 12, 25, 5, tzinfo=UTC)) is True


def test_exceptional_opening_adds_to_regular_hours() -> None:
    extra = domain.ExceptionalPeriod(
        period_begin=datetime(2018, 12, 25, 5, tzinfo=UTC),
        period_end=datetime(2018, 12, 25, 7, tzinfo=UTC),
    )
    hours = domain.Hours(
        twentyfourseven=False,
        regular_hours=[
            domain.RegularHours(weekday=d, period_begin="00:00", period_end="04:00")
            for d in range(1, 8)
        ],
        exceptional_openings=[extra],
    )
    assert rules.is_open_at(_location(hours, "UTC"), datetime(2018, 12, 25, 6, tzinfo=UTC))
    assert not rules.is_open_at(_location(hours, "UTC"), datetime(2018, 12, 26, 6, tzinfo=UTC))


def test_twentyfourseven_needs_no_time_zone() -> None:
    hours = domain.Hours(twentyfourseven=True)
    assert rules.is_open_at(_location(hours, "Mars/Olympus"), T0) is True


def test_unknown_time_zone_with_regular_hours_is_unknown() -> None:
    assert rules.is_open_at(_location(NIGHT, "Mars/Olympus"), T0) is None


def test_missing_opening_times_is_unknown() -> None:
    assert rules.is_open_at(_location(None), T0) is None


def test_max_electric_power_wins_over_volts_times_amps() -> None:
    assert rules.max_power_w(_connector(domain.PowerType.DC, 920, 400, 150_000)) == 150_000


def test_three_phase_power_uses_line_to_neutral_voltage_three_times() -> None:
    # 230 V line-to-neutral x 32 A x 3 = 22 080 W, the usual "22 kW" Type 2 point.
    assert rules.max_power_w(_connector(domain.PowerType.AC_3_PHASE, 230, 32)) == 22_080


def test_single_phase_and_dc_power_are_volts_times_amps() -> None:
    assert rules.max_power_w(_connector(domain.PowerType.AC_1_PHASE, 230, 16)) == 3_680
    assert rules.max_power_w(_connector(domain.PowerType.DC, 500, 100)) == 50_000


def test_plug_and_charge_is_detected_from_connector_capabilities() -> None:
    evse = _evse(capabilities=["ISO_15118_2_PLUG_AND_CHARGE"])  # wrong level: EVSE
    assert not rules.supports_plug_and_charge(evse)
    pnc = msgspec.structs.replace(
        evse,
        connectors=[
            msgspec.structs.replace(
                evse.connectors[0], capabilities=["ISO_15118_20_PLUG_AND_CHARGE"]
            )
        ],
    )
    assert rules.supports_plug_and_charge(pnc)
    location = msgspec.structs.replace(_location(None), evses=[evse, pnc])
    assert rules.supports_plug_and_charge(location)


def test_any_payment_terminal_capability_means_ad_hoc_card_payment() -> None:
    assert rules.supports_ad_hoc_card_payment(_evse(["CONTACTLESS_CARD_SUPPORT"]))
    assert rules.supports_ad_hoc_card_payment(_evse(["PED_TERMINAL", "RESERVABLE"]))
    assert not rules.supports_ad_hoc_card_payment(_evse(["RFID_READER"]))
    assert not rules.supports_ad_hoc_card_payment(_evse(None))
