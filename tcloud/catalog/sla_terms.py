"""The five SLA terms of a solution as structured data, and the programme's minimums.

1. availability target (% per calendar month); 2. support hours (a weekly schedule in
Asia/Taipei, whether national holidays are covered) and channels; 3. outage compensation
(tiers: availability below X% → Y% of that month's fee, capped); 4. incident response time
(minutes, counted within support hours); 5. RPO (minutes).
`shortfalls()` says which term falls below the minimums and why, as message keys with values,
so the listing form can show each next to its field. No database or Flask import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHANNELS = ("phone", "line", "email", "chat")
DAY_MINUTES = 24 * 60
END_OF_DAY = "24:00"  # how a window closing at midnight is written, stored and shown


def minute_of_day(moment: time, *, closing: bool = False) -> int:
    """Minutes after midnight; a closing time of 00:00 is the end of the day (1440)."""
    minutes = moment.hour * 60 + moment.minute
    return DAY_MINUTES if closing and minutes == 0 else minutes


def clock_text(moment: time, *, closing: bool = False) -> str:
    """'09:00', or '24:00' for a window closing at midnight."""
    if closing and minute_of_day(moment, closing=True) == DAY_MINUTES:
        return END_OF_DAY
    return moment.strftime("%H:%M")


def parse_clock(text: str, *, closing: bool = False) -> time:
    """'HH:MM' as a time; '24:00' only as a closing time, read as 00:00 (see SupportWindow).

    Raises ValueError for anything else (24:30, 25:00, 9am)."""
    text = text.strip()
    if closing and text in (END_OF_DAY, END_OF_DAY + ":00"):
        return time(0, 0)
    return time.fromisoformat(text)


@dataclass(frozen=True)
class SupportWindow:
    """Support on one weekday from `opens` to `closes`, Taiwan time.

    A window never crosses midnight: overnight support is two windows (fri 22:00–24:00,
    sat 00:00–02:00). A `time` cannot say 24:00, so a window closing at midnight has
    `closes == time(0, 0)`: a window cannot close at the very start of its own day, so that
    value means nothing else. Compare windows through `opens_minute` and `closes_minute`
    (0–1440), never through the `time` values, and write them with `clock_text`.
    """

    day: str  # one of WEEKDAYS
    opens: time
    closes: time

    @property
    def opens_minute(self) -> int:
        return minute_of_day(self.opens)

    @property
    def closes_minute(self) -> int:
        return minute_of_day(self.closes, closing=True)


@dataclass(frozen=True)
class CompensationTier:
    below_percent: float  # monthly availability below this...
    credit_percent: int  # ...earns this share of that month's fee


@dataclass(frozen=True)
class SlaTerms:
    availability_percent: float
    support_windows: tuple[SupportWindow, ...]
    covers_national_holidays: bool
    support_channels: tuple[str, ...]
    compensation_tiers: tuple[CompensationTier, ...]
    compensation_cap_percent: int
    response_minutes: int
    rpo_minutes: int

    def weekly_support_minutes(self) -> int:
        return sum(w.closes_minute - w.opens_minute for w in self.support_windows)

    def supports_weekends(self) -> bool:
        return any(w.day in ("sat", "sun") for w in self.support_windows)


@dataclass(frozen=True)
class SlaMinimums:
    """Programme floors (administrator setting); defaults are sensible for SaaS for micro firms."""

    availability_percent: float = 99.0
    weekly_support_minutes: int = 5 * 8 * 60  # office hours on weekdays
    max_response_minutes: int = 8 * 60  # within one business day of support hours
    max_rpo_minutes: int = 24 * 60
    min_first_tier_credit_percent: int = 10
    channels_required: int = 1


def structure_problems(terms: SlaTerms) -> list[tuple[str, str, dict]]:
    """Inconsistencies in the terms themselves: (field, message key, values)."""
    problems = []
    for window in terms.support_windows:
        if window.day not in WEEKDAYS:
            problems.append(("support_windows", "unknown_day", {"day": window.day}))
        if window.closes_minute <= window.opens_minute:
            problems.append(("support_windows", "window_order", {"day": window.day}))
    if not 0 < terms.availability_percent < 100:
        problems.append(("availability_percent", "availability_range", {}))
    tiers = terms.compensation_tiers
    if not tiers:
        problems.append(("compensation_tiers", "no_tiers", {}))
    thresholds = [t.below_percent for t in tiers]
    credits = [t.credit_percent for t in tiers]
    if thresholds != sorted(thresholds, reverse=True) or len(set(thresholds)) != len(thresholds):
        problems.append(("compensation_tiers", "tiers_order", {}))
    elif credits != sorted(credits):
        problems.append(("compensation_tiers", "credits_order", {}))
    if tiers and thresholds[0] > terms.availability_percent:
        problems.append(("compensation_tiers", "tier_above_target", {}))
    if any(not 0 < c <= 100 for c in credits) or not 0 < terms.compensation_cap_percent <= 100:
        problems.append(("compensation_tiers", "percent_range", {}))
    if any(c not in CHANNELS for c in terms.support_channels):
        problems.append(("support_channels", "unknown_channel", {}))
    if terms.response_minutes <= 0 or terms.rpo_minutes <= 0:
        problems.append(("response_minutes" if terms.response_minutes <= 0 else "rpo_minutes",
                         "positive", {}))
    return problems


def shortfalls(terms: SlaTerms, minimums: SlaMinimums) -> list[tuple[str, str, dict]]:
    """Terms below the programme minimums: (field, message key, values for the message)."""
    found = []
    if terms.availability_percent < minimums.availability_percent:
        found.append(("availability_percent", "availability_below",
                      {"minimum": minimums.availability_percent}))
    if terms.weekly_support_minutes() < minimums.weekly_support_minutes:
        found.append(("support_windows", "support_hours_below",
                      {"hours": minimums.weekly_support_minutes // 60}))
    if len(set(terms.support_channels)) < minimums.channels_required:
        found.append(("support_channels", "channels_below",
                      {"count": minimums.channels_required}))
    if terms.response_minutes > minimums.max_response_minutes:
        found.append(("response_minutes", "response_above",
                      {"minutes": minimums.max_response_minutes}))
    if terms.rpo_minutes > minimums.max_rpo_minutes:
        found.append(("rpo_minutes", "rpo_above", {"minutes": minimums.max_rpo_minutes}))
    tiers = terms.compensation_tiers
    if tiers and tiers[0].credit_percent < minimums.min_first_tier_credit_percent:
        found.append(("compensation_tiers", "credit_below",
                      {"percent": minimums.min_first_tier_credit_percent}))
    return found


def credit_percent_for(terms: SlaTerms, measured_availability: float) -> int:
    """The share of the month's fee owed for a measured availability, capped."""
    owed = 0
    for tier in terms.compensation_tiers:
        if measured_availability < tier.below_percent:
            owed = max(owed, tier.credit_percent)
    return min(owed, terms.compensation_cap_percent)
