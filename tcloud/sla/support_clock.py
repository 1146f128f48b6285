"""The business-hours clock of one subscription: its committed support hours plus holidays.

Built from the order's SLA snapshot (support_windows, covers_national_holidays: what the buyer
signed, not what the listing says today) and the holidays stored in the database, in
Asia/Taipei through zoneinfo (business_hours.py does the arithmetic). A clock covers a range of
dates; `clock_for` picks one wide enough for an incident from its opening to `now`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from tcloud.clock import TAIPEI
from tcloud.sla.business_hours import BusinessClock, SupportSchedule
from tcloud.sla.holidays import holidays_between

DAYS_BEFORE = 2
# A response target is at most a business day (480 min, SlaMinimums); 60 days after opening is
# room for the longest holiday run plus a late look by the job.
DAYS_AFTER = 60


def schedule_from_snapshot(snapshot: dict, holidays=frozenset()) -> SupportSchedule:
    return SupportSchedule.from_windows(snapshot.get("support_windows") or [],
                                        holidays=holidays,
                                        covers_holidays=bool(
                                            snapshot.get("covers_national_holidays")))


def clock_for(session: Session, snapshot: dict, opened_at: datetime,
              now: datetime | None = None) -> BusinessClock:
    """A clock from two days before `opened_at` to 60 days after it (or after `now`)."""
    first = opened_at.astimezone(TAIPEI).date() - timedelta(days=DAYS_BEFORE)
    last = max(opened_at, now or opened_at).astimezone(TAIPEI).date() + timedelta(
        days=DAYS_AFTER)
    schedule = schedule_from_snapshot(snapshot, holidays_between(session, first, last))
    return schedule.clock(first, last)
