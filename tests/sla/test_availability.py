"""Monthly availability from day roll-ups, maintenance rules, and burn-rate alerts."""

from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tcloud.sla import availability as av
from tcloud.sla.minute_states import DOWN, MAINTENANCE, UNKNOWN, UP, DayRollup, StateCounts

TPE = ZoneInfo("Asia/Taipei")
APRIL = av.month_days(2026, 4)  # 30 days, 43,200 minutes


def tpe(*args):
    return datetime(*args, tzinfo=TPE)


def all_up(days=APRIL):
    return [DayRollup.from_states(day, [UP] * 1440) for day in days]


def with_minutes(rollups, day, state, count, start=0):
    """Replace `count` minutes of one day with `state` from minute `start`."""
    return [r.with_states_at({start + i: state for i in range(count)}) if r.day == day else r
            for r in rollups]


def april(rollups, **options):
    return av.evaluate_month(rollups, year=2026, month=4, **options)


def test_month_days_and_minutes():
    assert len(APRIL) == 30 and len(av.month_days(2026, 2)) == 28
    assert len(av.month_days(2026, 12)) == 31
    first, end = av.day_minutes(date(2026, 4, 1))
    assert end - first == 1440
    assert first == av.epoch_minute(tpe(2026, 4, 1))


def test_a_month_exactly_on_target_is_exactly_on_target():
    result = april(with_minutes(all_up(), date(2026, 4, 10), DOWN, 216))  # 0.5% of 43,200
    assert result.percent == 99.5
    assert result.measured_minutes == 43_200 and not result.lacking_evidence


@pytest.mark.parametrize(("unknown", "lacking"), [(432, False), (433, True)])
def test_more_than_one_percent_unknown_lacks_evidence(unknown, lacking):
    rollups = with_minutes(all_up(), date(2026, 4, 2), UNKNOWN, unknown)
    result = april(rollups)
    assert result.lacking_evidence is lacking
    assert result.percent == 100.0  # unknown minutes are not held against the vendor


def test_a_day_without_a_roll_up_is_unknown():
    result = april(all_up()[1:])
    assert result.counts.unknown == 1440 and result.lacking_evidence
    nothing = april([])
    assert nothing.percent is None and nothing.lacking_evidence


def test_vendor_favourable_figure_counts_unknown_as_up():
    rollups = with_minutes(all_up(), date(2026, 4, 2), UNKNOWN, 1440)
    rollups = with_minutes(rollups, date(2026, 4, 3), DOWN, 720)
    result = april(rollups)
    assert result.percent == 100 * (43_200 - 1440 - 720) / (43_200 - 1440)
    assert result.vendor_favourable_percent == 100 * (43_200 - 720) / 43_200


def test_other_months_are_ignored_and_duplicates_refused():
    may_day = DayRollup.from_states(date(2026, 5, 1), [DOWN] * 1440)
    assert april(all_up() + [may_day]).counts == StateCounts(up=43_200)
    with pytest.raises(ValueError, match="two roll-ups"):
        april(all_up() + all_up()[:1])
    with pytest.raises(ValueError, match="minutes"):
        april([DayRollup.from_states(date(2026, 4, 1), [UP] * 1000)])


def window(start, hours, notice_hours):
    return av.MaintenanceWindow(start, start + timedelta(hours=hours),
                                start - timedelta(hours=notice_hours))


def test_maintenance_announced_in_time_and_within_the_cap_is_excused():
    result = april(all_up(), maintenance=[window(tpe(2026, 4, 12, 2), 2, 72)], cap_minutes=240)
    assert result.counts == StateCounts(up=43_200 - 120, maintenance=120)
    assert result.percent == 100.0


def test_late_notice_counts_as_down_whatever_the_probes_saw():
    result = april(all_up(), maintenance=[window(tpe(2026, 4, 12, 2), 2, 71.9)],
                   cap_minutes=240)
    assert result.counts == StateCounts(up=43_200 - 120, down=120)


def test_beyond_the_monthly_cap_counts_as_down_in_time_order():
    windows = [window(tpe(2026, 4, 20, 1), 3, 100), window(tpe(2026, 4, 5, 1), 3, 100)]
    result = april(all_up(), maintenance=windows, cap_minutes=240)
    assert result.counts == StateCounts(up=43_200 - 360, maintenance=240, down=120)
    overlay = av.maintenance_overlay(windows, first_minute=av.day_minutes(APRIL[0])[0],
                                     end_minute=av.day_minutes(APRIL[-1])[1], cap_minutes=240)
    first_of_20th = av.epoch_minute(tpe(2026, 4, 20, 1))
    assert overlay[first_of_20th] == MAINTENANCE  # the 5th's window spent 180 of the cap
    assert overlay[first_of_20th + 60] == DOWN


def test_windows_widen_to_whole_minutes_and_stop_at_the_month_edge():
    odd = av.MaintenanceWindow(tpe(2026, 4, 12, 10, 0, 30), tpe(2026, 4, 12, 10, 1, 30),
                               tpe(2026, 4, 1))
    assert april(all_up(), maintenance=[odd], cap_minutes=60).counts.maintenance == 2
    across = window(tpe(2026, 4, 30, 23), 3, 100)  # runs into May
    assert april(all_up(), maintenance=[across], cap_minutes=600).counts.maintenance == 60


def test_an_in_time_window_wins_over_an_overlapping_late_one():
    both = [window(tpe(2026, 4, 12, 2), 2, 100), window(tpe(2026, 4, 12, 3), 2, 1)]
    assert april(all_up(), maintenance=both, cap_minutes=600).counts == StateCounts(
        up=43_200 - 180, maintenance=120, down=60)


@st.composite
def february(draw):
    """Four weeks of minute states as runs, plus maintenance windows and a cap."""
    runs = draw(st.lists(st.tuples(st.sampled_from((UP, DOWN, UNKNOWN)), st.integers(1, 3000)),
                         max_size=30))
    states = bytearray(b"".join(bytes([state]) * length for state, length in runs))
    states += bytes([UP]) * (28 * 1440 - len(states))
    del states[28 * 1440:]
    windows = [window(tpe(2026, 2, 1) + timedelta(minutes=draw(st.integers(-600, 40_000))),
                      draw(st.integers(1, 600)) / 60, draw(st.sampled_from((1, 72, 200))))
               for _ in range(draw(st.integers(0, 4)))]
    return bytes(states), windows, draw(st.integers(0, 900))


@settings(max_examples=40, deadline=None)
@given(february())
def test_month_from_roll_ups_equals_counting_raw_minutes(case):
    raw, windows, cap = case
    days = av.month_days(2026, 2)
    rollups = [DayRollup.from_states(day, raw[i * 1440:(i + 1) * 1440])
               for i, day in enumerate(days)]
    result = av.evaluate_month(rollups, year=2026, month=2, maintenance=windows,
                               cap_minutes=cap)
    # The reference: every raw minute of the month, with the overlay applied one by one.
    first = av.epoch_minute(tpe(2026, 2, 1))
    overlay = av.maintenance_overlay(windows, first_minute=first, end_minute=first + len(raw),
                                     cap_minutes=cap)
    reference = bytearray(raw)
    for minute, state in overlay.items():
        reference[minute - first] = state
    assert result.counts == StateCounts.of(reference)
    assert result.counts.maintenance <= cap


def test_burn_rate_is_relative_to_the_error_budget():
    assert av.burn_rate([UP] * 99 + [DOWN], 99.0) == 1
    assert av.burn_rate([UP] * 98 + [DOWN] * 2, 99.0) == 2
    assert av.burn_rate([MAINTENANCE, UNKNOWN], 99.9) is None
    assert av.burn_rate([UP, MAINTENANCE, UNKNOWN, DOWN], 99.0) == Fraction(50)


def test_page_needs_both_the_hour_and_the_last_five_minutes():
    quiet = [UP] * 360
    assert av.burn_alert(quiet, 99.9) is None
    fresh = quiet[:-1] + [DOWN]  # 1/60 = 16.7× over the hour, 1/5 = 200× now
    assert av.burn_alert(fresh, 99.9) == av.PAGE
    over = quiet[:-20] + [DOWN] + [UP] * 19  # still 16.7× over the hour, but 0 now
    assert av.burn_alert(over, 99.9) is None


def test_ticket_at_six_times_over_six_hours_and_half_an_hour():
    recent = [UP] * 360
    for minute in (10, 100, 340):  # 3/360 = 8.3× over 6 h; 1/30 = 33× over 30 min
        recent[minute] = DOWN
    assert av.burn_alert(recent, 99.9) == av.TICKET
    assert av.burn_alert(recent, 99.0) is None  # a looser target has budget to spare


def test_burn_rate_threshold_is_inclusive_and_exact():
    # 99.0% target: 14.4× means 14.4% of the hour down; 9 of 60 minutes is 15%.
    hour = [DOWN] * 9 + [UP] * 46 + [DOWN] * 5
    assert av.burn_alert([UP] * 300 + hour, 99.0) == av.PAGE
    assert av.burn_rate([DOWN] * 6 + [UP] * 94, 99.0) == 6
    # 95% target: a ticket at exactly 30% of 6 hours (108 minutes) and of 30 minutes (9).
    recent = [DOWN] * 99 + [UP] * 231 + [DOWN] * 9 + [UP] * 21
    assert av.burn_alert(recent, 95.0) == av.TICKET
    recent[0] = UP
    assert av.burn_alert(recent, 95.0) is None
