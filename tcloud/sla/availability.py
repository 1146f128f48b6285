"""Monthly availability from day roll-ups, the maintenance rules, and error-budget burn rates.

Availability = up ÷ (minutes − maintenance − unknown), over the Asia/Taipei calendar month. A
month with more than 1% unknown minutes lacks evidence: the figure is still given (unknown
minutes were excluded, never counted against the vendor) and the flag tells compensation and the
dashboards not to take it at face value (see compensation.py for what that means for credits).

Maintenance is applied when a period is evaluated, not when minutes are rolled up: roll-ups keep
what the probes measured, and the policy (72 hours' notice, a monthly cap) is applied on top.
Excused maintenance minutes leave the denominator; maintenance announced late, or beyond the
month's cap, counts as down, whatever the probe saw: the vendor declared the service unavailable.
Only days a window touches are decoded, so a month stays a sum of counts.

Burn rates follow Google's SRE workbook (multi-window, multi-burn-rate alerts): page when the
error budget burns at 14.4× over both the last hour and the last 5 minutes, open a ticket at 6×
over both 6 hours and 30 minutes. The long window proves it matters, the short one that it is
still happening. No database or Flask import.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from functools import lru_cache
from zoneinfo import ZoneInfo

from tcloud.sla.minute_states import DOWN, MAINTENANCE, UP, DayRollup, StateCounts

TAIPEI = "Asia/Taipei"
MAINTENANCE_NOTICE = timedelta(hours=72)
LACKING_EVIDENCE_UNKNOWN_SHARE = Fraction(1, 100)
PAGE, TICKET = "page", "ticket"
# (alert, burn rate, long window minutes, short window minutes)
BURN_RULES = ((PAGE, Fraction(144, 10), 60, 5), (TICKET, Fraction(6), 360, 30))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Availability:
    counts: StateCounts

    @property
    def measured_minutes(self) -> int:
        """minutes − maintenance − unknown, i.e. up + down."""
        return self.counts.up + self.counts.down

    @property
    def percent(self) -> float | None:
        """Correctly rounded (int ÷ int in Python), so tier thresholds compare exactly."""
        if not self.measured_minutes:
            return None
        return 100 * self.counts.up / self.measured_minutes

    @property
    def lacking_evidence(self) -> bool:
        counts = self.counts
        return (not self.measured_minutes
                or Fraction(counts.unknown, counts.minutes) > LACKING_EVIDENCE_UNKNOWN_SHARE)

    @property
    def vendor_favourable_percent(self) -> float | None:
        """Availability if every unknown minute had been up: what no vendor can dispute."""
        counts = self.counts
        denominator = counts.up + counts.down + counts.unknown
        return 100 * (counts.up + counts.unknown) / denominator if denominator else None


@dataclass(frozen=True)
class MaintenanceWindow:
    starts_at: datetime
    ends_at: datetime
    announced_at: datetime

    @property
    def announced_in_time(self) -> bool:
        return self.starts_at - self.announced_at >= MAINTENANCE_NOTICE


def epoch_minute(moment: datetime, *, up: bool = False) -> int:
    """Whole minutes since the epoch, rounded down (or up) so windows widen to whole minutes."""
    seconds = (moment - _EPOCH) / timedelta(seconds=1)
    return -int(-seconds // 60) if up else int(seconds // 60)


@lru_cache(maxsize=4096)  # a pure function that month and 90-day reads call per solution per day
def day_minutes(day: date, zone: str = TAIPEI) -> tuple[int, int]:
    """The epoch minutes [first, end) of a local day (1440 of them, or 1380/1500 with DST)."""
    tz = ZoneInfo(zone)
    first = datetime.combine(day, time(0), tzinfo=tz)
    after = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return epoch_minute(first), epoch_minute(after)


def local_days(first_day: date, last_day: date) -> list[date]:
    return [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]


def month_days(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return local_days(first, following - timedelta(days=1))


def maintenance_overlay(windows: Iterable[MaintenanceWindow], *, first_minute: int,
                        end_minute: int, cap_minutes: int) -> dict[int, int]:
    """Epoch minute → MAINTENANCE (excused) or DOWN, for one month's [first, end) minutes.

    In-time windows are excused in time order until the cap is spent. A minute inside both an
    in-time and a late window is judged by the in-time one.
    """
    in_time: set[int] = set()
    late: set[int] = set()
    for window in windows:
        low = max(first_minute, epoch_minute(window.starts_at))
        high = min(end_minute, epoch_minute(window.ends_at, up=True))
        (in_time if window.announced_in_time else late).update(range(low, high))
    overlay = {minute: DOWN for minute in late - in_time}
    for spent, minute in enumerate(sorted(in_time)):
        overlay[minute] = MAINTENANCE if spent < cap_minutes else DOWN
    return overlay


def evaluate_days(rollups: Iterable[DayRollup], days: Sequence[date], *,
                  overlay: dict[int, int] | None = None, zone: str = TAIPEI) -> Availability:
    """Availability over local days; a day without a roll-up is wholly unknown."""
    by_day: dict[date, DayRollup] = {}
    for rollup in rollups:
        if rollup.day in by_day:
            raise ValueError(f"two roll-ups for {rollup.day}")
        by_day[rollup.day] = rollup
    total = StateCounts()
    touched = _overlay_by_day(overlay or {}, days, zone)
    for day in days:
        first, end = day_minutes(day, zone)
        rollup = by_day.get(day)
        changes = touched.get(day)
        if rollup is None:
            rollup = DayRollup.from_states(day, bytes(end - first))
        elif rollup.counts.minutes != end - first:
            raise ValueError(f"the roll-up for {day} has {rollup.counts.minutes} minutes")
        if changes:
            rollup = rollup.with_states_at(changes)
        total = total + rollup.counts
    return Availability(total)


def _overlay_by_day(overlay: dict[int, int], days: Sequence[date],
                    zone: str) -> dict[date, dict[int, int]]:
    """Split an overlay by local day: minute index within the day → state."""
    result: dict[date, dict[int, int]] = {}
    if not overlay:
        return result
    bounds = [day_minutes(day, zone) for day in days]
    firsts = [first for first, _ in bounds]
    for minute, state in overlay.items():
        i = bisect_right(firsts, minute) - 1
        if i >= 0 and minute < bounds[i][1]:
            result.setdefault(days[i], {})[minute - firsts[i]] = state
    return result


def evaluate_month(rollups: Iterable[DayRollup], *, year: int, month: int,
                   maintenance: Iterable[MaintenanceWindow] = (), cap_minutes: int = 0,
                   zone: str = TAIPEI) -> Availability:
    """One calendar month: roll-ups of that month's days, maintenance rules applied."""
    days = month_days(year, month)
    first, _ = day_minutes(days[0], zone)
    _, end = day_minutes(days[-1], zone)
    overlay = maintenance_overlay(maintenance, first_minute=first, end_minute=end,
                                  cap_minutes=cap_minutes)
    wanted = set(days)
    return evaluate_days([r for r in rollups if r.day in wanted], days, overlay=overlay,
                         zone=zone)


def burn_rate(states: Sequence[int], target_percent: float) -> Fraction | None:
    """How many times faster than allowed the error budget burns over these minutes.

    1 means the budget would be exactly spent by the end of the period; maintenance and unknown
    minutes are neither good nor bad. None when nothing was measured.
    """
    up = sum(1 for s in states if s == UP)
    down = sum(1 for s in states if s == DOWN)
    if not up + down:
        return None
    budget = 1 - Fraction(str(target_percent)) / 100
    return Fraction(down, up + down) / budget


def burn_alert(recent: Sequence[int], target_percent: float) -> str | None:
    """PAGE, TICKET or None from the latest minute states (oldest first, newest last).

    Give at least the last 6 hours (360 minutes); fewer means the long windows see less.
    """
    for alert, threshold, long_window, short_window in BURN_RULES:
        long_rate = burn_rate(recent[-long_window:], target_percent)
        short_rate = burn_rate(recent[-short_window:], target_percent)
        if (long_rate is not None and short_rate is not None
                and long_rate >= threshold and short_rate >= threshold):
            return alert
    return None
