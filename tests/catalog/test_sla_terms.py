"""The five SLA terms as data: consistency checks, programme minimums, compensation tiers."""

from dataclasses import replace
from datetime import time

import pytest

from tcloud.catalog.sla_terms import (
    CompensationTier,
    SlaMinimums,
    SlaTerms,
    SupportWindow,
    clock_text,
    credit_percent_for,
    parse_clock,
    shortfalls,
    structure_problems,
)

WEEKDAYS_9_TO_6 = tuple(SupportWindow(d, time(9), time(18)) for d in
                        ("mon", "tue", "wed", "thu", "fri"))
SALON_HOURS = WEEKDAYS_9_TO_6 + (SupportWindow("sat", time(10), time(20)),
                                 SupportWindow("sun", time(10), time(20)))
TERMS = SlaTerms(
    availability_percent=99.5, support_windows=SALON_HOURS, covers_national_holidays=True,
    support_channels=("phone", "line"),
    compensation_tiers=(CompensationTier(99.5, 10), CompensationTier(99.0, 25),
                        CompensationTier(95.0, 50)),
    compensation_cap_percent=50, response_minutes=120, rpo_minutes=24 * 60,
)


def fields_of(found):
    return [(f, key) for f, key, _values in found]


def test_good_terms_pass_both_checks():
    assert structure_problems(TERMS) == []
    assert shortfalls(TERMS, SlaMinimums()) == []
    assert TERMS.supports_weekends()
    assert TERMS.weekly_support_minutes() == 5 * 9 * 60 + 2 * 10 * 60


def test_each_term_below_the_minimum_is_named():
    poor = replace(TERMS, availability_percent=98.0, support_windows=WEEKDAYS_9_TO_6[:2],
                   support_channels=(), response_minutes=24 * 60, rpo_minutes=7 * 24 * 60,
                   compensation_tiers=(CompensationTier(97.0, 5),))
    assert fields_of(shortfalls(poor, SlaMinimums())) == [
        ("availability_percent", "availability_below"),
        ("support_windows", "support_hours_below"),
        ("support_channels", "channels_below"),
        ("response_minutes", "response_above"),
        ("rpo_minutes", "rpo_above"),
        ("compensation_tiers", "credit_below"),
    ]


def test_minimums_are_settings():
    strict = SlaMinimums(availability_percent=99.9)
    assert fields_of(shortfalls(TERMS, strict)) == [("availability_percent", "availability_below")]


@pytest.mark.parametrize("change,expected", [
    ({"support_windows": (SupportWindow("mon", time(18), time(9)),)},
     ("support_windows", "window_order")),
    ({"support_windows": (SupportWindow("funday", time(9), time(18)),)},
     ("support_windows", "unknown_day")),
    ({"availability_percent": 100.0}, ("availability_percent", "availability_range")),
    ({"compensation_tiers": ()}, ("compensation_tiers", "no_tiers")),
    ({"compensation_tiers": (CompensationTier(95.0, 50), CompensationTier(99.0, 10))},
     ("compensation_tiers", "tiers_order")),
    ({"compensation_tiers": (CompensationTier(99.0, 50), CompensationTier(95.0, 10))},
     ("compensation_tiers", "credits_order")),
    ({"compensation_tiers": (CompensationTier(99.9, 10),)},
     ("compensation_tiers", "tier_above_target")),
    ({"compensation_cap_percent": 0}, ("compensation_tiers", "percent_range")),
    ({"support_channels": ("fax",)}, ("support_channels", "unknown_channel")),
    ({"rpo_minutes": 0}, ("rpo_minutes", "positive")),
])
def test_inconsistent_terms_are_reported(change, expected):
    assert expected in fields_of(structure_problems(replace(TERMS, **change)))


@pytest.mark.parametrize("measured,credit", [
    (99.9, 0), (99.5, 0), (99.49, 10), (99.0, 10), (98.9, 25), (90.0, 50),
])
def test_compensation_tiers(measured, credit):
    assert credit_percent_for(TERMS, measured) == credit


def test_compensation_is_capped():
    generous = replace(TERMS, compensation_cap_percent=30)
    assert credit_percent_for(generous, 90.0) == 30


def test_24_00_closes_a_window_at_midnight():
    midnight = parse_clock("24:00", closing=True)
    assert midnight == time(0) and clock_text(midnight, closing=True) == "24:00"
    assert clock_text(parse_clock("00:00")) == "00:00"  # an opening time stays 00:00
    window = SupportWindow("fri", parse_clock("09:00"), midnight)
    assert (window.opens_minute, window.closes_minute) == (9 * 60, 24 * 60)
    round_the_clock = replace(TERMS, support_windows=tuple(
        SupportWindow(day, time(0), midnight)
        for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")))
    assert structure_problems(round_the_clock) == []
    assert round_the_clock.weekly_support_minutes() == 7 * 24 * 60


@pytest.mark.parametrize(("text", "closing"), [
    ("24:00", False), ("24:30", True), ("25:00", True), ("9am", True), ("", True)])
def test_times_past_the_end_of_the_day_do_not_parse(text, closing):
    with pytest.raises(ValueError):
        parse_clock(text, closing=closing)


def test_a_window_must_still_close_after_it_opens():
    empty_day = SupportWindow("mon", time(10), time(10))
    assert fields_of(structure_problems(replace(TERMS, support_windows=(empty_day,)))) == [
        ("support_windows", "window_order")]
