"""Planned maintenance: vendors announce windows at least 72 hours ahead, within a monthly cap.

The rule itself (what is excused, what counts as down) is applied when availability is
evaluated (availability.py); here a vendor is refused an announcement that could never be
excused, and shown how much of each month's cap is already planned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

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
