"""The business-hours clock: worked examples in Asia/Taipei, DST zones, and properties."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tcloud.catalog.sla_terms import SupportWindow
from tcloud.sla.business_hours import (
    CalendarClock,
    ClockRangeExceeded,
    SupportSchedule,
)
from tests.sla import naive_clock

TPE = ZoneInfo("Asia/Taipei")
NYC = ZoneInfo("America/New_York")
OFFICE = [{"day": d, "opens": "09:00", "closes": "18:00"} for d in ("mon", "tue", "wed", "thu",
                                                                    "fri")]
NEW_YEAR = date(2026, 1, 1)  # a Thursday, a national holiday
HOUR = 3600


def tpe(*args):
    return datetime(*args, tzinfo=TPE)


def office_clock(**options):
    schedule = SupportSchedule.from_windows(OFFICE, holidays={NEW_YEAR}, **options)
    return schedule.clock(date(2025, 12, 1), date(2026, 2, 28))


# 2025-12-29 is a Monday.
@pytest.mark.parametrize(("start", "end", "hours"), [
    (tpe(2025, 12, 29, 10), tpe(2025, 12, 29, 12), 2),           # inside one window
    (tpe(2025, 12, 29, 7), tpe(2025, 12, 29, 10), 1),            # starts before opening
    (tpe(2025, 12, 29, 17), tpe(2025, 12, 30, 10), 2),           # across the night
    (tpe(2026, 1, 2, 17), tpe(2026, 1, 5, 10), 2),               # across the weekend
    (tpe(2025, 12, 31, 17), tpe(2026, 1, 2, 10), 2),             # across New Year's Day
    (tpe(2026, 1, 3, 9), tpe(2026, 1, 4, 18), 0),                # a weekend only
    (tpe(2025, 12, 29, 0), tpe(2026, 1, 5, 0), 4 * 9),           # a week with one holiday
])
def test_worked_examples_of_elapsed_business_time(start, end, hours):
    assert office_clock().business_seconds_between(start, end) == hours * HOUR


@pytest.mark.parametrize(("start", "hours", "due"), [
    (tpe(2025, 12, 29, 10), 2, tpe(2025, 12, 29, 12)),
    (tpe(2025, 12, 29, 7), 0.5, tpe(2025, 12, 29, 9, 30)),   # counting begins at the opening
    (tpe(2025, 12, 29, 17), 1, tpe(2025, 12, 29, 18)),       # due exactly at closing time
    (tpe(2025, 12, 29, 17), 2, tpe(2025, 12, 30, 10)),
    (tpe(2026, 1, 2, 17), 2, tpe(2026, 1, 5, 10)),           # Friday evening to Monday
    (tpe(2026, 1, 3, 12), 1, tpe(2026, 1, 5, 10)),           # raised on a Saturday
    (tpe(2025, 12, 31, 17), 2, tpe(2026, 1, 2, 10)),         # skips the holiday
    (tpe(2025, 12, 29, 20), 0, tpe(2025, 12, 29, 20)),       # nothing to wait for
])
def test_worked_examples_of_due_times(start, hours, due):
    assert office_clock().due_time(start, hours * HOUR) == due


def test_a_covered_holiday_is_an_ordinary_day():
    clock = office_clock(covers_holidays=True)
    assert clock.due_time(tpe(2025, 12, 31, 17), 2 * HOUR) == tpe(2026, 1, 1, 10)
    assert clock.is_open(tpe(2026, 1, 1, 12))
    assert not office_clock().is_open(tpe(2026, 1, 1, 12))


def test_intervals_are_utc_instants_from_taipei_wall_clock():
    clock = SupportSchedule.from_windows(OFFICE).clock(date(2025, 12, 29), date(2025, 12, 29))
    assert clock.intervals() == [(datetime(2025, 12, 29, 1, tzinfo=UTC),
                                  datetime(2025, 12, 29, 10, tzinfo=UTC))]
    # The answer keeps the zone of the question.
    asked = datetime(2025, 12, 29, 2, tzinfo=UTC)
    assert clock.due_time(asked, HOUR).tzinfo is UTC


def test_support_window_objects_and_json_give_the_same_schedule():
    objects = [SupportWindow(d, time(9), time(18)) for d in ("mon", "tue", "wed", "thu", "fri")]
    assert SupportSchedule.from_windows(objects) == SupportSchedule.from_windows(OFFICE)


def test_overnight_support_is_two_windows_joined_into_one_span():
    late = SupportSchedule.from_windows([
        {"day": "fri", "opens": "22:00", "closes": "24:00"},
        {"day": "sat", "opens": "00:00", "closes": "02:00"},
    ])
    clock = late.clock(date(2026, 1, 2), date(2026, 1, 4))
    assert len(clock) == 1
    assert clock.is_open(tpe(2026, 1, 2, 23, 59))
    assert clock.is_open(tpe(2026, 1, 3, 0, 0))
    assert clock.next_close(tpe(2026, 1, 2, 22, 30)) == tpe(2026, 1, 3, 2)
    assert clock.due_time(tpe(2026, 1, 2, 23), 2 * HOUR) == tpe(2026, 1, 3, 1)
    assert clock.total_seconds == 4 * HOUR


def test_open_close_and_next_open():
    clock = office_clock()
    assert clock.is_open(tpe(2025, 12, 29, 9))            # opening instant is open
    assert not clock.is_open(tpe(2025, 12, 29, 18))       # closing instant is closed
    assert clock.next_close(tpe(2025, 12, 29, 9)) == tpe(2025, 12, 29, 18)
    assert clock.next_close(tpe(2025, 12, 29, 19)) is None
    assert clock.next_open(tpe(2026, 1, 2, 19)) == tpe(2026, 1, 5, 9)
    assert clock.next_open(tpe(2025, 12, 29, 10)) == tpe(2025, 12, 29, 10)


def test_refuses_what_it_cannot_know():
    clock = office_clock()
    with pytest.raises(ValueError, match="aware"):
        clock.is_open(datetime(2026, 1, 5, 10))
    with pytest.raises(ClockRangeExceeded):
        clock.business_seconds_between(tpe(2026, 1, 5), tpe(2026, 6, 1))
    with pytest.raises(ClockRangeExceeded):
        clock.due_time(tpe(2026, 2, 27, 10), 100 * HOUR)
    with pytest.raises(ValueError):
        clock.due_time(tpe(2026, 1, 5, 10), -1)
    always = SupportSchedule.from_windows(
        [{"day": d, "opens": "00:00", "closes": "24:00"} for d in ("mon", "tue", "wed", "thu",
                                                                   "fri", "sat", "sun")])
    with pytest.raises(ClockRangeExceeded):
        always.clock(date(2026, 1, 1), date(2026, 1, 31)).next_close(tpe(2026, 1, 10))


@pytest.mark.parametrize("window", [
    {"day": "fri", "opens": "22:00", "closes": "02:00"},   # crosses midnight: split it
    {"day": "fri", "opens": "10:00", "closes": "10:00"},
    {"day": "fri", "opens": "10:00", "closes": "24:30"},
    {"day": "friday", "opens": "10:00", "closes": "11:00"},
])
def test_refuses_malformed_windows(window):
    with pytest.raises(ValueError):
        SupportSchedule.from_windows([window])


def test_new_york_office_hours_follow_the_wall_clock_across_dst():
    """Built from the local wall clock per date: 09:00 is 14:00 UTC in winter, 13:00 in summer."""
    daily = [{"day": d, "opens": "09:00", "closes": "17:00"}
             for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
    clock = SupportSchedule.from_windows(daily, zone="America/New_York").clock(
        date(2026, 3, 6), date(2026, 3, 10))  # clocks go forward on Sunday 8 March 2026
    opens = [start for start, _end in clock.intervals()]
    assert [o.hour for o in opens] == [14, 14, 13, 13, 13]
    assert all(end - start == timedelta(hours=8) for start, end in clock.intervals())
    friday_4pm = datetime(2026, 3, 6, 16, tzinfo=NYC)
    assert clock.due_time(friday_4pm, 3 * 8 * HOUR) == datetime(2026, 3, 9, 16, tzinfo=NYC)


@pytest.mark.parametrize(("day", "real_hours"), [(date(2026, 3, 8), 3), (date(2026, 11, 1), 5),
                                                 (date(2026, 6, 1), 4)])
def test_a_night_window_over_a_dst_change_counts_real_time(day, real_hours):
    night = SupportSchedule.from_windows(
        [{"day": day.strftime("%a").lower(), "opens": "00:00", "closes": "04:00"}],
        zone="America/New_York")
    assert night.clock(day, day).total_seconds == real_hours * HOUR


def test_calendar_clock_counts_every_second_even_across_dst():
    calendar = CalendarClock()
    start = datetime(2026, 3, 7, 12, tzinfo=NYC)
    due = calendar.due_time(start, 24 * HOUR)
    assert due == datetime(2026, 3, 8, 13, tzinfo=NYC)  # 24 real hours, not 24 wall hours
    assert calendar.business_seconds_between(start, due) == 24 * HOUR
    assert calendar.is_open(start) and calendar.next_open(start) == start


def test_a_year_of_taipei_office_hours():
    holidays = {date(2026, 1, 1), date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18),
                date(2026, 2, 19), date(2026, 2, 20), date(2026, 4, 3), date(2026, 10, 9)}
    clock = SupportSchedule.from_windows(OFFICE, holidays=holidays).clock(
        date(2026, 1, 1), date(2026, 12, 31))
    weekdays = sum(1 for n in range(365)
                   if (date(2026, 1, 1) + timedelta(n)).weekday() < 5) - len(holidays)
    assert len(clock) == weekdays
    assert clock.total_seconds == weekdays * 9 * HOUR
    assert clock.business_seconds_between(tpe(2026, 1, 1), tpe(2027, 1, 1)) == weekdays * 9 * HOUR


# ---- properties: the clock agrees with a naive day-by-day walk, in zones with and without DST

ZONES = ("Asia/Taipei", "America/New_York", "Australia/Lord_Howe", "Europe/London")
FIRST_DAYS = (date(2026, 3, 5), date(2026, 3, 26), date(2026, 4, 2), date(2026, 10, 1),
              date(2026, 10, 22), date(2026, 10, 29), date(2026, 6, 10))


@st.composite
def schedules(draw):
    week = []
    for _ in range(7):
        cuts = sorted(draw(st.sets(st.integers(0, 144), max_size=6)))
        bounds = [c * 10 for c in cuts]  # ten-minute steps reach inside 30- and 60-minute gaps
        week.append(tuple((bounds[i], bounds[i + 1]) for i in range(0, len(bounds) - 1, 2)))
    first = draw(st.sampled_from(FIRST_DAYS))
    holidays = draw(st.sets(st.integers(0, 20).map(lambda n: first + timedelta(n)), max_size=4))
    return SupportSchedule(tuple(week), frozenset(holidays), draw(st.booleans()),
                           draw(st.sampled_from(ZONES))), first


def instant_in(first, zone):
    start = datetime.combine(first, time(0), tzinfo=ZoneInfo(zone))
    return st.integers(0, 20 * 24 * 60).map(lambda m: (start + timedelta(minutes=m) + timedelta(
        seconds=m % 7)).astimezone(UTC).astimezone(ZoneInfo(zone)))


def real_seconds(start, end):
    # Subtracting two datetimes of the same ZoneInfo is wall-clock arithmetic: go through UTC.
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_clock_agrees_with_the_naive_walk(data):
    schedule, first = data.draw(schedules())
    clock = schedule.clock(first - timedelta(days=1), first + timedelta(days=24))
    a = data.draw(instant_in(first, schedule.zone))
    b = data.draw(instant_in(first, schedule.zone))
    start, end = min(a, b), max(a, b)
    elapsed = clock.business_seconds_between(start, end)
    assert elapsed == naive_clock.business_seconds_between(schedule, start, end)
    assert 0 <= elapsed <= real_seconds(start, end)
    assert clock.is_open(start) == naive_clock.is_open(schedule, start)
    try:
        due = clock.due_time(start, elapsed)
    except ClockRangeExceeded:
        return
    assert due == naive_clock.due_time(schedule, start, elapsed)
    assert due <= end
    assert clock.business_seconds_between(start, due) == elapsed


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_due_time_is_the_earliest_instant_with_enough_business_time(data):
    schedule, first = data.draw(schedules())
    clock = schedule.clock(first - timedelta(days=1), first + timedelta(days=24))
    start = data.draw(instant_in(first, schedule.zone))
    seconds = data.draw(st.integers(1, 40 * HOUR))
    try:
        due = clock.due_time(start, seconds)
    except ClockRangeExceeded:
        assume(False)
    assert clock.business_seconds_between(start, due) == seconds
    just_before = due.astimezone(UTC) - timedelta(microseconds=1)
    assert clock.business_seconds_between(start, just_before) < seconds
    assert clock.is_open(just_before)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_elapsed_business_time_adds_up_and_next_close_ends_the_span(data):
    schedule, first = data.draw(schedules())
    clock = schedule.clock(first - timedelta(days=1), first + timedelta(days=24))
    a, b, c = sorted(data.draw(instant_in(first, schedule.zone)) for _ in range(3))
    between = clock.business_seconds_between
    assert between(a, b) + between(b, c) == pytest.approx(between(a, c), abs=1e-6)
    assert between(b, a) == -between(a, b)
    try:
        close = clock.next_close(a)
    except ClockRangeExceeded:
        return
    if close is None:
        assert not clock.is_open(a)
    else:
        assert between(a, close) == real_seconds(a, close)
        assert not clock.is_open(close)


@settings(deadline=None)
@given(st.integers(0, 10 ** 7), st.sampled_from(ZONES))
def test_calendar_clock_is_a_24_7_schedule(seconds, zone):
    always = SupportSchedule(tuple(((0, 24 * 60),) for _ in range(7)), zone=zone)
    start = datetime(2026, 3, 1, 8, 15, tzinfo=ZoneInfo(zone))
    clock = always.clock(date(2026, 2, 27), date(2026, 7, 1))
    assert clock.due_time(start, seconds) == CalendarClock().due_time(start, seconds)


def test_a_window_written_inside_a_dst_gap_still_joins_the_union():
    """02:20-02:30 does not exist on 8 March 2026 in New York; it lands at 03:20 EDT, after the
    03:00-03:20 window, and the two must still make one span rather than lose one."""
    gap = SupportSchedule.from_windows(
        [{"day": "sun", "opens": "02:20", "closes": "02:30"},
         {"day": "sun", "opens": "03:00", "closes": "03:20"}], zone="America/New_York")
    clock = gap.clock(date(2026, 3, 8), date(2026, 3, 8))
    assert clock.intervals() == [(datetime(2026, 3, 8, 7, tzinfo=UTC),
                                  datetime(2026, 3, 8, 7, 30, tzinfo=UTC))]
