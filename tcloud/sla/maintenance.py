"""Planned maintenance: vendors announce windows at least 72 hours ahead, within a monthly cap.

The rule itself (what is excused, what counts as down) is applied when availability is
evaluated (availability.py); here a vendor is refused an announcement that could never be
excused, and shown how much of each month's cap is already planned.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlmodel import Session

from tcloud.accounts.models import User
from tcloud.audit.services import record
from tcloud.catalog import browse
from tcloud.clock import TAIPEI, to_taipei, utcnow
from tcloud.errors import DomainError, NotFound
from tcloud.sla.availability import MAINTENANCE_NOTICE
from tcloud.sla.models import MaintenanceWindow


def windows_between(session: Session, solution_ids: list[int], start: datetime,
                    end: datetime) -> list[MaintenanceWindow]:
    """Windows (not cancelled) of these solutions overlapping [start, end), in start order."""
    return list(session.execute(
        select(MaintenanceWindow).where(
            MaintenanceWindow.solution_id.in_(solution_ids),
            MaintenanceWindow.cancelled_at.is_(None),
            MaintenanceWindow.starts_at < end, MaintenanceWindow.ends_at > start)
        .order_by(MaintenanceWindow.starts_at)).scalars())


MAX_WINDOW_MINUTES = 24 * 60


def vendor_solutions(session: Session, organisation_id: int) -> list:
    """The vendor's public solutions (those the platform probes), as live_health_urls rows."""
    return [row for row in browse.live_health_urls(session) if row[3] == organisation_id]


def own_solution(session: Session, vendor: User, solution_id: int):
    """The vendor's own public solution, or NotFound (another vendor's looks the same)."""
    rows = browse.live_health_urls(session, [solution_id])
    if not rows or rows[0][3] != vendor.organisation_id:
        raise NotFound(_l("That solution is not one of your listed solutions."))
    return rows[0]


def month_bounds(moment: datetime) -> tuple[datetime, datetime]:
    local = to_taipei(moment)
    first = datetime(local.year, local.month, 1, tzinfo=TAIPEI)
    following = datetime(local.year + local.month // 12, local.month % 12 + 1, 1, tzinfo=TAIPEI)
    return first.astimezone(UTC), following.astimezone(UTC)


def planned_minutes(session: Session, solution_id: int, moment: datetime) -> int:
    """Minutes of in-time maintenance announced in the Taipei month of `moment` (cap used)."""
    start, end = month_bounds(moment)
    total = 0
    for window in windows_between(session, [solution_id], start, end):
        if window.starts_at - window.announced_at >= MAINTENANCE_NOTICE:
            total += int((min(window.ends_at, end) - max(window.starts_at, start))
                         / timedelta(minutes=1))
    return total


def announce(session: Session, *, vendor: User, solution_id: int, starts_at: datetime,
             duration_minutes: int, reason: str, now: datetime | None = None
             ) -> MaintenanceWindow:
    """Record a maintenance window; refused unless it starts at least 72 hours from now."""
    now = now or utcnow()
    own_solution(session, vendor, solution_id)
    if starts_at - now < MAINTENANCE_NOTICE:
        raise DomainError(_l("Announce maintenance at least 72 hours before it starts: the "
                             "earliest start now is %(earliest)s (Taiwan time).",
                             earliest=to_taipei(now + MAINTENANCE_NOTICE).strftime(
                                 "%Y-%m-%d %H:%M")), field="starts_at")
    if not 1 <= duration_minutes <= MAX_WINDOW_MINUTES:
        raise DomainError(_l("A maintenance window lasts from 1 minute to 24 hours."),
                          field="duration_minutes")
    window = MaintenanceWindow(solution_id=solution_id, starts_at=starts_at,
                               ends_at=starts_at + timedelta(minutes=duration_minutes),
                               announced_at=now, reason=reason, announced_by_id=vendor.id)
    session.add(window)
    session.flush()
    record(session, actor=vendor, action="sla.maintenance_announced",
           subject_type="maintenance_window", subject_id=window.id, reason=reason,
           after={"solution_id": solution_id, "starts_at": starts_at.isoformat(),
                  "ends_at": window.ends_at.isoformat()})
    return window


def cancel(session: Session, *, vendor: User, window_id: int,
           now: datetime | None = None) -> MaintenanceWindow:
    """Withdraw a window that has not started yet."""
    now = now or utcnow()
    window = session.get(MaintenanceWindow, window_id)
    if window is None:
        raise NotFound(_l("That maintenance window does not exist."))
    own_solution(session, vendor, window.solution_id)
    if window.cancelled_at is not None:
        return window
    if window.starts_at <= now:
        raise DomainError(_l("This maintenance has already started and can no longer be "
                             "cancelled."))
    window.cancelled_at = now
    session.add(window)
    session.flush()
    record(session, actor=vendor, action="sla.maintenance_cancelled",
           subject_type="maintenance_window", subject_id=window.id,
           before={"cancelled_at": None}, after={"cancelled_at": now.isoformat()})
    return window


def upcoming(session: Session, solution_id: int, now: datetime | None = None,
             include_past_days: int = 31) -> list[MaintenanceWindow]:
    """Windows of the last month and the future, newest first (cancelled ones too)."""
    since = (now or utcnow()) - timedelta(days=include_past_days)
    return list(session.execute(select(MaintenanceWindow).where(
        MaintenanceWindow.solution_id == solution_id, MaintenanceWindow.ends_at > since)
        .order_by(MaintenanceWindow.starts_at.desc())).scalars())
