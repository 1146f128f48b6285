"""Incident deadlines: when a response is due, when to warn, and which breaches happened.

Two SLA terms meet here. Incident response (term 4): the vendor's first response is due within
the committed minutes, counted on the support-hours clock, except for the most severe incidents,
which count on the calendar clock (a shop that cannot sell on Saturday night cannot wait for
Monday). Support hours (term 2): an incident raised while support is open must get an answer
before those hours end, whatever the response target says; otherwise "support hours" would be
a promise nobody checks.

`assess_response` is a pure function of the incident's times and `now`, so the scheduler can
run it as often as it likes and replay it after a restart; `next_check_at` says when the answer
can next change without new input, which is when a job should look again. No database or Flask
import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tcloud.sla.business_hours import BusinessClock, CalendarClock, ClockRangeExceeded

CRITICAL, HIGH, NORMAL, LOW = "critical", "high", "normal", "low"
SEVERITIES = (CRITICAL, HIGH, NORMAL, LOW)  # most severe first
WARN_FRACTION = 0.8

WAITING = "waiting"
WARNING = "warning"
BREACHED = "breached"
ANSWERED = "answered"
ANSWERED_LATE = "answered_late"


@dataclass(frozen=True)
class ResponseTarget:
    severity: str
    minutes: int
    calendar: bool  # counted on the calendar clock instead of support hours

    @property
    def seconds(self) -> int:
        return self.minutes * 60


def response_targets(response_minutes: int, *, overrides: Mapping[str, int] | None = None,
                     calendar_severities: tuple[str, ...] = (CRITICAL,)
                     ) -> dict[str, ResponseTarget]:
    """Targets per severity from a contract's single committed `response_minutes`.

    Today a listing commits one response time; it applies to every severity unless a contract
    names per-severity minutes in `overrides`. The committed time is a ceiling: an override may
    only be stricter, never looser, so a per-severity table can never weaken the listing.
    """
    if response_minutes <= 0:
        raise ValueError("response_minutes must be positive")
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(SEVERITIES)
    if unknown:
        raise ValueError(f"unknown severities {sorted(unknown)}")
    targets = {}
    for severity in SEVERITIES:
        minutes = overrides.get(severity, response_minutes)
        if not 0 < minutes <= response_minutes:
            raise ValueError(f"{severity}: a target must be positive and within the commitment")
        targets[severity] = ResponseTarget(severity, minutes, severity in calendar_severities)
    return targets


@dataclass(frozen=True)
class ResponseAssessment:
    state: str  # waiting, warning, breached, answered, answered_late
    due_at: datetime  # response due (on the target's clock)
    support_hours_end: datetime | None  # raised inside support hours: the answer is due by then
    warn_at: datetime  # 80% of the time toward the first deadline
    elapsed_seconds: float  # counted time used so far (to the answer, if answered)
    remaining_seconds: float  # counted time left before the response is due (never negative)
    response_breach: bool
    support_hours_breach: bool
    next_check_at: datetime | None  # when this can next change without new input
    # Waiting outside support hours: the clock is stopped and starts again at this opening
    # (None when it is running, round the clock, answered or already overdue).
    clock_resumes_at: datetime | None = None

    @property
    def breached(self) -> bool:
        return self.response_breach or self.support_hours_breach

    @property
    def used_fraction(self) -> float:
        total = self.elapsed_seconds + self.remaining_seconds
        return self.elapsed_seconds / total if total else 1.0


def support_hours_end(clock: BusinessClock, opened_at: datetime) -> datetime | None:
    """When the support hours in which an incident was raised end; None if raised outside them
    or if support runs on past the clock's dates (round-the-clock support cannot end)."""
    try:
        return clock.next_close(opened_at)
    except ClockRangeExceeded:
        return None


def assess_response(*, target: ResponseTarget, support_clock: BusinessClock,
                    opened_at: datetime, now: datetime, answered_at: datetime | None = None,
                    warn_fraction: float = WARN_FRACTION) -> ResponseAssessment:
    """Where an incident stands at `now`.

    An answer recorded after `now` is ignored, so re-running for a past `now` gives the answer
    the job gave then. Answering exactly at the due time is in time; answering at the instant
    support hours close is not ("before those hours end").
    """
    if answered_at is not None and answered_at > now:
        answered_at = None
    clock = CalendarClock() if target.calendar else support_clock
    due_at = clock.due_time(opened_at, target.seconds)
    hours_end = support_hours_end(support_clock, opened_at)
    stop = answered_at if answered_at is not None else now
    elapsed = max(0.0, clock.business_seconds_between(opened_at, stop))
    remaining = max(0.0, target.seconds - elapsed)

    if answered_at is not None:
        response_breach = answered_at > due_at
        support_breach = hours_end is not None and answered_at >= hours_end
    else:
        response_breach = now > due_at
        support_breach = hours_end is not None and now >= hours_end

    warn_at = clock.due_time(opened_at, target.seconds * warn_fraction)
    if hours_end is not None:
        # Inside one open span business time is real time; go through UTC so the sum is not
        # wall-clock arithmetic in a zone with daylight saving.
        start = opened_at.astimezone(UTC)
        warn_at = min(warn_at, (start + (hours_end - start) * warn_fraction).astimezone(
            opened_at.tzinfo))

    if answered_at is not None:
        state = ANSWERED_LATE if response_breach or support_breach else ANSWERED
        next_check = None
    elif response_breach or support_breach:
        state = BREACHED
        # A support-hours breach can still be followed by a response breach.
        next_check = None if response_breach else _after(due_at)
    else:
        state = WARNING if now >= warn_at else WAITING
        changes = [warn_at, _after(due_at)] + ([hours_end] if hours_end is not None else [])
        next_check = min(t for t in changes if t > now)
    resumes_at = None
    if state in (WAITING, WARNING) and not target.calendar and not clock.is_open(now):
        resumes_at = clock.next_open(now)
    return ResponseAssessment(state, due_at, hours_end, warn_at, elapsed, remaining,
                              response_breach, support_breach, next_check, resumes_at)


def _after(moment: datetime) -> datetime:
    """The first instant a deadline counts as passed (breach is strictly after the due time)."""
    return moment + timedelta(microseconds=1)
