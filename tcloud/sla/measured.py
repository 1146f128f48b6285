"""Measured availability for pages, month-end and the advisor: read from day roll-ups only.

Figures are sums of per-day counts (never scans of raw probe rows); a day's encoded minutes are
decoded only when an announced maintenance window touches it, to apply availability.py's rule
(72 hours' notice, the monthly cap; beyond the cap counts as down). The cap is applied per
calendar month, so a 30- or 90-day window spanning two months applies each month's own cap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from tcloud.clock import to_taipei, utcnow
from tcloud.sla import availability as rules
from tcloud.sla.maintenance import windows_between
from tcloud.sla.minute_states import DayRollup, StateCounts, decode_states
from tcloud.sla.models import MinuteDay
from tcloud.sla.settings import maintenance_cap_minutes

NO_DATA, UP, DEGRADED = "no_data", "up", "degraded"


@dataclass(frozen=True)
class MonthFigures:
    up: int
    down: int
    maintenance: int
    unknown: int
    percent: float | None
    lacking_evidence: bool  # more than 1% of the month unknown (or nothing measured)


@dataclass(frozen=True)
class DayFigures:
    """One block of the uptime bar."""

    day: date
    counts: StateCounts

    @property
    def percent(self) -> float | None:
        return rules.Availability(self.counts).percent

    @property
    def state(self) -> str:
        """no_data (nothing measured), up (no down minute) or degraded (some down minutes)."""
        if not self.counts.up + self.counts.down:
            return NO_DATA
        return DEGRADED if self.counts.down else UP


@dataclass
class SolutionFigures:
    solution_id: int
    availability_30d: float | None
    availability_90d: float | None
    lacking_evidence_30d: bool
    days: list[DayFigures] = field(default_factory=list)  # oldest first, up to 90, today last

    @property
    def has_data(self) -> bool:
        return self.availability_90d is not None


def monthly_availability(session: Session, solution_id: int, year: int,
                         month: int) -> MonthFigures:
    """One Taipei calendar month of one solution, maintenance rules applied."""
    return monthly_availability_of(session, [solution_id], year, month)[solution_id]


def monthly_availability_of(session: Session, solution_ids: list[int], year: int,
                            month: int) -> dict[int, MonthFigures]:
    """The same for many solutions in a few queries, not a few per solution (month end reads
    every probed solution: bench/sla_probes.py measures both at 800)."""
    ids = list(dict.fromkeys(solution_ids))
    if not ids:
        return {}
    counts = _day_counts(session, ids, rules.month_days(year, month))
    return {solution_id: _month_figures(StateCounts.total(counts[solution_id].values()))
            for solution_id in ids}


def solution_figures(session: Session, solution_ids: list[int], *,
                     now: datetime | None = None) -> dict[int, SolutionFigures]:
    """30- and 90-day availability and the 90 days of the uptime bar, per solution.

    The windows end today (Taipei) inclusive: today's minutes so far count, its future minutes
    are unknown and so never lower the figure.
    """
    ids = list(dict.fromkeys(solution_ids))
    if not ids:
        return {}
    today = to_taipei(now or utcnow()).date()
    days = rules.local_days(today - timedelta(days=89), today)
    counts = _day_counts(session, ids, days)
    result = {}
    for solution_id in ids:
        per_day = counts[solution_id]
        last30 = rules.Availability(StateCounts.total(per_day[d] for d in days[-30:]))
        last90 = rules.Availability(StateCounts.total(per_day.values()))
        result[solution_id] = SolutionFigures(
            solution_id=solution_id,
            availability_30d=last30.percent,
            availability_90d=last90.percent,
            lacking_evidence_30d=last30.lacking_evidence,
            days=[DayFigures(d, per_day[d]) for d in days],
        )
    return result


def _month_figures(total: StateCounts) -> MonthFigures:
    figure = rules.Availability(total)
    return MonthFigures(up=total.up, down=total.down, maintenance=total.maintenance,
                        unknown=total.unknown, percent=figure.percent,
                        lacking_evidence=figure.lacking_evidence)


def _day_counts(session: Session, solution_ids: list[int],
                days: list[date]) -> dict[int, dict[date, StateCounts]]:
    """Counts per solution per day with maintenance applied; a day without a roll-up is unknown."""
    rows = session.execute(
        select(MinuteDay.solution_id, MinuteDay.day, MinuteDay.up, MinuteDay.down,
               MinuteDay.maintenance, MinuteDay.unknown)
        .where(MinuteDay.solution_id.in_(solution_ids),
               MinuteDay.day >= days[0], MinuteDay.day <= days[-1])).all()
    unmeasured = {}
    for day in days:
        first, end = rules.day_minutes(day)
        unmeasured[day] = StateCounts(unknown=end - first)
    result = {solution_id: dict(unmeasured) for solution_id in solution_ids}
    for solution_id, day, up, down, maintenance, unknown in rows:
        result[solution_id][day] = StateCounts(up, down, maintenance, unknown)
    for solution_id, changes in _maintenance_changes(session, solution_ids, days).items():
        encoded = _encoded_days(session, solution_id, list(changes))
        for day, minutes in changes.items():
            first, end = rules.day_minutes(day)
            states = decode_states(encoded[day]) if day in encoded else bytes(end - first)
            result[solution_id][day] = DayRollup.from_states(day, states).with_states_at(
                minutes).counts
    return result


def _maintenance_changes(session: Session, solution_ids: list[int],
                         days: list[date]) -> dict[int, dict[date, dict[int, int]]]:
    """solution → day → {minute index: MAINTENANCE or DOWN}, each month's cap applied."""
    months = _months_touching(days)
    start, end = months[0][0], months[-1][1]
    by_solution = defaultdict(list)
    for window in windows_between(session, solution_ids, _moment(start), _moment(end)):
        by_solution[window.solution_id].append(rules.MaintenanceWindow(
            starts_at=window.starts_at, ends_at=window.ends_at,
            announced_at=window.announced_at))
    cap = maintenance_cap_minutes()
    changes: dict[int, dict[date, dict[int, int]]] = {}
    for solution_id, windows in by_solution.items():
        overlay: dict[int, int] = {}
        for month_first, month_end in months:
            # Each month's cap is spent from its own first day, even if the range starts later.
            overlay.update(rules.maintenance_overlay(
                windows, first_minute=month_first, end_minute=month_end, cap_minutes=cap))
        split = rules._overlay_by_day(overlay, days, rules.TAIPEI)
        if split:
            changes[solution_id] = split
    return changes


def _months_touching(days: list[date]) -> list[tuple[int, int]]:
    months = sorted({(d.year, d.month) for d in days})
    bounds = []
    for year, month in months:
        month_days = rules.month_days(year, month)
        bounds.append((rules.day_minutes(month_days[0])[0], rules.day_minutes(month_days[-1])[1]))
    return bounds


def _encoded_days(session: Session, solution_id: int, days: list[date]) -> dict[date, bytes]:
    rows = session.execute(select(MinuteDay.day, MinuteDay.encoded).where(
        MinuteDay.solution_id == solution_id, MinuteDay.day.in_(days))).all()
    return {day: bytes(encoded) for day, encoded in rows}


def _moment(epoch_minute: int) -> datetime:
    return rules._EPOCH + timedelta(minutes=epoch_minute)

