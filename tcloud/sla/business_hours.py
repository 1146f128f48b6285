"""The business-hours clock: support hours as real instants, and time counted only inside them.

Incident response (SLA term 4) is counted within the committed support hours (term 2): a weekly
schedule of windows in local wall-clock time, national holidays as data, Asia/Taipei. A
`SupportSchedule` is that commitment; `schedule.clock(first_day, last_day)` lays it out once
as sorted open intervals in UTC with cumulative business time before each, so every question
afterwards is a binary search (`bisect`) instead of a day-by-day walk per call:

    clock.business_seconds_between(start, end)   business time elapsed
    clock.due_time(start, seconds)               when that much business time has passed
    clock.is_open(moment), clock.next_close(moment), clock.next_open(moment)

Wall-clock times become instants through zoneinfo for each date, never a fixed offset, so the
same code is right in zones with daylight saving (the tests use America/New_York; Taiwan has
none today). A window never crosses midnight: an overnight commitment is two windows
(fri 22:00-24:00, sat 00:00-02:00), which the clock joins into one open span. `CalendarClock`
answers the same questions for 24/7 counting (the most severe incidents).

Instants are handled as integer microseconds since the epoch so sums never drift. A clock only
knows its own range of dates: a question whose answer lies outside it raises
`ClockRangeExceeded` rather than guessing; build the clock with a margin (see `clock_around`).
No database or Flask import.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TAIPEI = "Asia/Taipei"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = 1_000_000


class ClockRangeExceeded(ValueError):
    """The answer lies outside the dates the clock was built for; build a wider one."""


def to_micros(moment: datetime) -> int:
    """Microseconds since the epoch of an aware datetime (naive ones are refused: no guessing)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the business-hours clock needs aware datetimes")
    return (moment - _EPOCH) // timedelta(microseconds=1)


def from_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def _like(reference: datetime, micros: int) -> datetime:
    """An instant in the reference's zone (never `reference + timedelta`: that is wall-clock
    arithmetic in zones with daylight saving)."""
    return from_micros(micros).astimezone(reference.tzinfo)


def _minute_of_day(value: str | time) -> int:
    """'09:30' or time(9, 30) as minutes after midnight; '24:00' is the end of the day."""
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    if value == "24:00":
        return DAY_MINUTES
    parsed = time.fromisoformat(value)
    return parsed.hour * 60 + parsed.minute


@dataclass(frozen=True)
class SupportSchedule:
    """A weekly support commitment: per weekday (0 = Monday) a tuple of (opens, closes) minutes."""

    week: tuple[tuple[tuple[int, int], ...], ...]
    holidays: frozenset[date] = frozenset()
    covers_holidays: bool = False
    zone: str = TAIPEI

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("a week has seven days")
        for windows in self.week:
            for opens, closes in windows:
                if not 0 <= opens < closes <= DAY_MINUTES:
                    raise ValueError("a window opens before it closes and never crosses midnight")
        ZoneInfo(self.zone)  # an unknown zone fails here, not on first use

    @classmethod
    def from_windows(cls, windows: Iterable, *, holidays: Iterable[date] = (),
                     covers_holidays: bool = False, zone: str = TAIPEI) -> SupportSchedule:
        """From SupportWindow objects or the stored JSON [{day, opens, closes}, ...].

        JSON times may be `time` objects or 'HH:MM' strings; '24:00' closes a window at
        midnight. SupportWindow objects are read through their opens_minute/closes_minute.
        """
        week: list[list[tuple[int, int]]] = [[] for _ in WEEKDAYS]
        for window in windows:
            if isinstance(window, dict):
                day = window["day"]
                span = (_minute_of_day(window["opens"]), _minute_of_day(window["closes"]))
            else:  # the catalogue's SupportWindow, whose minutes say 1440 for 24:00
                day, span = window.day, (window.opens_minute, window.closes_minute)
            if day not in WEEKDAYS:
                raise ValueError(f"unknown weekday {day!r}")
            week[WEEKDAYS.index(day)].append(span)
        return cls(tuple(tuple(sorted(day)) for day in week), frozenset(holidays),
                   covers_holidays, zone)

    def windows_on(self, day: date) -> tuple[tuple[int, int], ...]:
        if day in self.holidays and not self.covers_holidays:
            return ()
        return self.week[day.weekday()]

    def clock(self, first_day: date, last_day: date) -> BusinessClock:
        """Lay the schedule out for local dates first_day..last_day inclusive."""
        if last_day < first_day:
            raise ValueError("last_day is before first_day")
        zone = ZoneInfo(self.zone)
        starts: list[int] = []
        ends: list[int] = []
        day = first_day
        while day <= last_day:
            # Sorted again after conversion: a window written inside a DST gap lands after
            # the transition and may overtake the next one.
            for start, end in sorted((_local_to_micros(day, opens, zone),
                                      _local_to_micros(day, closes, zone))
                                     for opens, closes in self.windows_on(day)):
                if end <= start:  # only a window lost inside a DST gap
                    continue
                if ends and start <= ends[-1]:  # touching or overlapping: one open span
                    ends[-1] = max(ends[-1], end)
                else:
                    starts.append(start)
                    ends.append(end)
            day += timedelta(days=1)
        range_start = _local_to_micros(first_day, 0, zone)
        range_end = _local_to_micros(last_day, DAY_MINUTES, zone)
        return BusinessClock(starts, ends, range_start, range_end)

    def clock_around(self, moment: datetime, *, days_before: int = 7,
                     days_after: int = 60) -> BusinessClock:
        """A clock for the local dates around `moment`, wide enough for one incident."""
        local_day = moment.astimezone(ZoneInfo(self.zone)).date()
        return self.clock(local_day - timedelta(days=days_before),
                          local_day + timedelta(days=days_after))


def _local_to_micros(day: date, minute: int, zone: ZoneInfo) -> int:
    """A local wall-clock minute of a date as an instant (fold=0: first of repeated times)."""
    if minute == DAY_MINUTES:
        day, minute = day + timedelta(days=1), 0
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    return to_micros(local)


class BusinessClock:
    """Open intervals [starts[i], ends[i]) in epoch microseconds, sorted and disjoint.

    `before[i]` is the business time before interval i and `through[i]` the business time up to
    its end, so the business time at any instant is one bisect and one subtraction.
    """

    def __init__(self, starts: list[int], ends: list[int], range_start: int,
                 range_end: int) -> None:
        self.starts = starts
        self.ends = ends
        self.range_start = range_start
        self.range_end = range_end
        self.before: list[int] = []
        self.through: list[int] = []
        total = 0
        for start, end in zip(starts, ends, strict=True):
            self.before.append(total)
            total += end - start
            self.through.append(total)

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def total_seconds(self) -> float:
        return (self.through[-1] if self.through else 0) / _MICRO

    def intervals(self) -> list[tuple[datetime, datetime]]:
        """The open spans as aware UTC datetimes (for display and for tests)."""
        return [(from_micros(s), from_micros(e)) for s, e in zip(self.starts, self.ends,
                                                                 strict=True)]

    def _checked(self, moment: datetime) -> int:
        micros = to_micros(moment)
        if not self.range_start <= micros <= self.range_end:
            raise ClockRangeExceeded(f"{moment.isoformat()} is outside the clock's dates")
        return micros

    def _elapsed_at(self, micros: int) -> int:
        """Business microseconds from the start of the range to `micros`."""
        i = bisect_right(self.starts, micros) - 1
        if i < 0:
            return 0
        return self.before[i] + min(micros, self.ends[i]) - self.starts[i]

    def business_seconds_between(self, start: datetime, end: datetime) -> float:
        """Business time from start to end; negative if end is before start."""
        return (self._elapsed_at(self._checked(end))
                - self._elapsed_at(self._checked(start))) / _MICRO

    def due_time(self, start: datetime, business_seconds: float) -> datetime:
        """The earliest instant by which `business_seconds` of business time have passed.

        From a start outside hours counting begins at the next opening; zero seconds is due at
        the start itself. A due time that falls on a closing instant is that instant.
        """
        if business_seconds < 0:
            raise ValueError("business_seconds must not be negative")
        micros = self._checked(start)
        needed = round(business_seconds * _MICRO)
        if needed == 0:
            return start
        target = self._elapsed_at(micros) + needed
        j = bisect_left(self.through, target)
        if j == len(self.through):
            raise ClockRangeExceeded("the due time lies beyond the clock's last date")
        return _like(start, self.starts[j] + (target - self.before[j]))

    def is_open(self, moment: datetime) -> bool:
        micros = self._checked(moment)
        i = bisect_right(self.starts, micros) - 1
        return i >= 0 and micros < self.ends[i]

    def next_close(self, moment: datetime) -> datetime | None:
        """When the support hours open at `moment` end; None when closed at `moment`."""
        micros = self._checked(moment)
        i = bisect_right(self.starts, micros) - 1
        if i < 0 or micros >= self.ends[i]:
            return None
        if self.ends[i] >= self.range_end:  # the span may go on past the last date
            raise ClockRangeExceeded("support hours run past the clock's last date")
        return from_micros(self.ends[i])

    def next_open(self, moment: datetime) -> datetime | None:
        """`moment` itself when open, else the next opening; None when none in range."""
        micros = self._checked(moment)
        i = bisect_right(self.starts, micros) - 1
        if i >= 0 and micros < self.ends[i]:
            return moment
        if i + 1 < len(self.starts):
            return from_micros(self.starts[i + 1])
        return None


class CalendarClock:
    """24/7 counting with the BusinessClock's questions: every second is a business second."""

    def business_seconds_between(self, start: datetime, end: datetime) -> float:
        return (to_micros(end) - to_micros(start)) / _MICRO

    def due_time(self, start: datetime, business_seconds: float) -> datetime:
        if business_seconds < 0:
            raise ValueError("business_seconds must not be negative")
        return _like(start, to_micros(start) + round(business_seconds * _MICRO))

    def is_open(self, moment: datetime) -> bool:
        to_micros(moment)
        return True

    def next_close(self, moment: datetime) -> datetime | None:
        raise ClockRangeExceeded("a calendar clock never closes")

    def next_open(self, moment: datetime) -> datetime | None:
        return moment
