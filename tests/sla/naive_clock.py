"""A deliberately naive business-hours clock: walks the calendar day by day on every call.

The reference the real clock is checked against (tests) and raced against (bench/sla_clock.py).
It shares no code with tcloud.sla.business_hours beyond reading the schedule's data.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def _instant(day, minute, zone):
    if minute == 24 * 60:
        day, minute = day + timedelta(days=1), 0
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone).astimezone(UTC)


def _spans(schedule, first_day, last_day):
    """Union of the open spans of local dates first_day..last_day, in UTC, one day at a time."""
    zone = ZoneInfo(schedule.zone)
    spans = []
    day = first_day
    while day <= last_day:
        for start, end in sorted((_instant(day, opens, zone), _instant(day, closes, zone))
                                 for opens, closes in schedule.windows_on(day)):
            if end > start:
                if spans and start <= spans[-1][1]:
                    spans[-1] = (spans[-1][0], max(spans[-1][1], end))
                else:
                    spans.append((start, end))
        day += timedelta(days=1)
    return spans


def _local_day(moment, schedule):
    return moment.astimezone(ZoneInfo(schedule.zone)).date()


def business_seconds_between(schedule, start, end):
    spans = _spans(schedule, _local_day(start, schedule) - timedelta(days=1),
                   _local_day(end, schedule) + timedelta(days=1))
    total = timedelta(0)
    for span_start, span_end in spans:
        low, high = max(span_start, start), min(span_end, end)
        if high > low:
            total += high - low
    return total.total_seconds()


def due_time(schedule, start, seconds, *, horizon_days=400):
    """Walk forward a day at a time, spending the business time left."""
    if seconds == 0:
        return start
    left = timedelta(seconds=seconds)
    day = _local_day(start, schedule) - timedelta(days=1)
    for _ in range(horizon_days):
        for span_start, span_end in _spans(schedule, day, day):
            low = max(span_start, start)
            if span_end > low:
                if span_end - low >= left:
                    return (low + left).astimezone(start.tzinfo)
                left -= span_end - low
        day += timedelta(days=1)
    raise LookupError("no due time within the horizon")


def is_open(schedule, moment):
    day = _local_day(moment, schedule)
    return any(s <= moment < e for s, e in _spans(schedule, day - timedelta(days=1),
                                                  day + timedelta(days=1)))
