"""Business-hours clock figures: bisect over a year-long clock vs a naive day-by-day walk.

Run with `.venv/bin/python -m bench.sla_clock`. Prints figures; asserts only that both
answers agree. The schedule is a salon's: weekdays 09:00-18:00, Saturdays 10:00-20:00, closed
on Sundays and on Taiwan's 2026 national holidays, Asia/Taipei.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tcloud.sla.business_hours import SupportSchedule
from tests.sla import naive_clock

TPE = ZoneInfo("Asia/Taipei")
HOLIDAYS_2026 = {date(2026, 1, 1), *(date(2026, 2, d) for d in range(14, 23)),
                 date(2026, 2, 27), date(2026, 2, 28), date(2026, 4, 3), date(2026, 4, 4),
                 date(2026, 4, 5), date(2026, 4, 6), date(2026, 5, 1), date(2026, 6, 19),
                 date(2026, 9, 25), date(2026, 9, 28), date(2026, 10, 9), date(2026, 10, 10),
                 date(2026, 10, 25), date(2026, 12, 25)}
WINDOWS = ([{"day": d, "opens": "09:00", "closes": "18:00"}
            for d in ("mon", "tue", "wed", "thu", "fri")]
           + [{"day": "sat", "opens": "10:00", "closes": "20:00"}])


def median_micros(action, cases) -> float:
    samples = []
    for case in cases:
        start = time.perf_counter()
        action(*case)
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


def report(label: str, fast: float, slow: float) -> None:
    print(f"{label:<46} bisect {fast:8.2f} µs   naive walk {slow:10.1f} µs"
          f"   ({slow / fast:,.0f}× faster)")


def main() -> None:
    schedule = SupportSchedule.from_windows(WINDOWS, holidays=HOLIDAYS_2026)
    built = time.perf_counter()
    clock = schedule.clock(date(2026, 1, 1), date(2026, 12, 31))
    built = (time.perf_counter() - built) * 1000
    print(f"year clock: {len(clock)} open spans, {clock.total_seconds / 3600:,.0f} business "
          f"hours, built in {built:.2f} ms")

    rng = random.Random(5)
    year_start = datetime(2026, 1, 1, tzinfo=TPE)

    def moment(max_day=300):
        return year_start + timedelta(minutes=rng.randrange(max_day * 24 * 60),
                                      seconds=rng.randrange(60))

    targets = [(moment(), rng.choice((30, 120, 480, 24 * 60)) * 60) for _ in range(2000)]
    for start, seconds in targets[:200]:
        assert clock.due_time(start, seconds) == naive_clock.due_time(schedule, start, seconds)
    report("due_time (response targets 30 min - 24 h)",
           median_micros(clock.due_time, targets),
           median_micros(lambda s, n: naive_clock.due_time(schedule, s, n), targets[:300]))

    spans = []
    for _ in range(2000):
        start = moment(250)
        spans.append((start, start + timedelta(days=rng.randrange(1, 90))))
    for start, end in spans[:100]:
        assert (clock.business_seconds_between(start, end)
                == naive_clock.business_seconds_between(schedule, start, end))
    report("business_seconds_between (spans 1-90 days)",
           median_micros(clock.business_seconds_between, spans),
           median_micros(lambda a, b: naive_clock.business_seconds_between(schedule, a, b),
                         spans[:200]))

    whole_year = [(year_start, year_start + timedelta(days=364))] * 50
    report("business_seconds_between (the whole year)",
           median_micros(clock.business_seconds_between, whole_year),
           median_micros(lambda a, b: naive_clock.business_seconds_between(schedule, a, b),
                         whole_year[:10]))
    checks = [(moment(),) for _ in range(2000)]
    print(f"{'is_open / next_close':<46} bisect {median_micros(clock.is_open, checks):8.2f} µs"
          f" / {median_micros(clock.next_close, checks):.2f} µs")


if __name__ == "__main__":
    main()
